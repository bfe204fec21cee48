/**
 * The float32 kernels give the same bits in Chromium as in Node: the WebAssembly SIMD kernels
 * (only IEEE, deterministic instructions) and the JS functions they repeat, on the sweep
 * float32.test.ts checks in Node.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FLOAT32_FUNCTIONS, mapFloat32 } from '../../packages/nnlab/src/kernels/vector.js';
import type { VectorFunction } from '../../packages/nnlab/src/kernels/vector.js';
import { outputBits, sweepInputs } from '../math/float32-sweep.js';
import { ROOT, hasBrowser, launchBrowser } from './harness.js';

const FUNCTIONS: VectorFunction[] = ['exp', 'log', 'tanh', 'sigmoid'];

/** kernels/vector.ts as one script that sets `globalThis.nnlabVector`. */
async function vectorScript(): Promise<string> {
  const result = await build({ entryPoints: [`${ROOT}packages/nnlab/src/kernels/vector.ts`], bundle: true, format: 'iife', globalName: 'nnlabVector', write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}

describe.skipIf(!hasBrowser)('browser: the float32 kernels give Node’s bits', () => {
  it('exp, log, tanh, sigmoid: wasm and JS in Chromium equal wasm in Node on the whole sweep', async () => {
    const x = sweepInputs();
    const inNode = Object.fromEntries(FUNCTIONS.map((fn) => {
      const out = new Float32Array(x.length);
      mapFloat32(fn, out, x, x.length);
      return [fn, outputBits(out)];
    }));
    expect(FLOAT32_FUNCTIONS.exp).toBeTypeOf('function');
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: await vectorScript() });
      const inChromium = await page.evaluate(({ inputs, functions }) => {
        const api = (globalThis as unknown as { nnlabVector: { mapFloat32: typeof mapFloat32; FLOAT32_FUNCTIONS: typeof FLOAT32_FUNCTIONS } }).nnlabVector;
        const x = new Float32Array(inputs);
        const bitsOf = (v: Float32Array) => Array.from(new Uint32Array(v.buffer), (b, i) => (v[i] !== v[i] ? 0x7fc00000 : b));
        return Object.fromEntries(functions.map((fn) => {
          const wasm = new Float32Array(x.length);
          api.mapFloat32(fn, wasm, x, x.length);
          return [fn, { wasm: bitsOf(wasm), js: bitsOf(Float32Array.from(x, api.FLOAT32_FUNCTIONS[fn])) }];
        }));
      }, { inputs: Array.from(x), functions: FUNCTIONS });
      for (const fn of FUNCTIONS) {
        expect(inChromium[fn].wasm, `${fn} in wasm`).toEqual(inNode[fn]);
        expect(inChromium[fn].js, `${fn} in JS`).toEqual(inNode[fn]);
      }
    } finally {
      await browser.close();
    }
  });
});
