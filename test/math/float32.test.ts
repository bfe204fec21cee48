/**
 * The float32 exp, log, tanh and sigmoid (packages/nnlab/src/math/float32.ts) and their
 * WebAssembly SIMD kernels (kernels/wasm/vector-code.ts): the same bits either way, within the
 * error docs/api.md states, special values classed as Math classes them, and the float32 ops
 * running them while float64 ops keep the fdlibm ports. (In Chromium: e2e/float32-kernels.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { exp, log, sigmoid, tanh, tensor } from '../../packages/nnlab/src/index.js';
import * as math from '../../packages/nnlab/src/math/index.js';
import { FLOAT32_FUNCTIONS, mapFloat32 } from '../../packages/nnlab/src/kernels/vector.js';
import type { VectorFunction } from '../../packages/nnlab/src/kernels/vector.js';
import { createVectorMap } from '../../packages/nnlab/src/kernels/wasm/vector-runtime.js';
import { setWasmGemmEnabled } from '../../packages/nnlab/src/kernels/backend.js';
import { EDGES, EXACT, ulpError } from './float32-edges.js';
import { outputBits, sweepInputs } from './float32-sweep.js';

const FUNCTIONS: VectorFunction[] = ['exp', 'log', 'tanh', 'sigmoid'];
const measured = JSON.parse(readFileSync(new URL('./fixtures/float32-accuracy.json', import.meta.url), 'utf8')) as {
  results: Record<VectorFunction, { maxUlp: number; inputs: number }>;
};

afterEach(() => setWasmGemmEnabled(true));

function inWasm(fn: VectorFunction, x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  mapFloat32(fn, out, x, x.length);
  return out;
}

function inJs(fn: VectorFunction, x: Float32Array): Float32Array {
  return Float32Array.from(x, FLOAT32_FUNCTIONS[fn]);
}

describe('float32 transcendental kernels', () => {
  it('compile in Node 20 (wasm SIMD): the tests below compare wasm with JS, not JS with itself', () => {
    expect(createVectorMap()).not.toBeNull();
  });

  it.each(FUNCTIONS)('%s: the wasm kernel gives the JS function’s bits on a sweep of all bit patterns and the edges', (fn) => {
    const x = sweepInputs();
    expect(outputBits(inWasm(fn, x))).toEqual(outputBits(inJs(fn, x)));
  });

  it.each(FUNCTIONS)('%s: every array length and offset (the last vector’s spare lanes, chunk ends) gives the same bits', (fn) => {
    const x = sweepInputs().subarray(0, 70000);
    const whole = inJs(fn, x);
    for (const [start, length] of [[0, 1], [3, 5], [1, 7], [5, 33], [0, 65536], [7, 65537], [0, 70000]]) {
      const part = x.subarray(start, start + length);
      expect(outputBits(inWasm(fn, part)), `[${start}, ${start + length})`).toEqual(outputBits(whole.subarray(start, start + length)));
    }
  });

  it.each(FUNCTIONS)('%s: within the error measured on the dense sweep (fixtures/float32-accuracy.json), never a wrong class', (fn) => {
    const x = sweepInputs();
    const got = inWasm(fn, x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulpError(got[i], EXACT[fn](x[i])));
    expect(worst).toBeLessThanOrEqual(measured.results[fn].maxUlp);
    // The bound docs/api.md promises.
    expect(measured.results[fn].maxUlp).toBeLessThanOrEqual(2);
  });

  it('special values: as Math classes them, and −0 keeps its sign through tanh', () => {
    const cases: [VectorFunction, number, number][] = [
      ['exp', -Infinity, 0], ['exp', Infinity, Infinity], ['exp', 0, 1], ['exp', -0, 1], ['exp', 89, Infinity], ['exp', -104, 0],
      ['exp', 88.72283172607422, Math.fround(Math.exp(88.72283172607422))], ['exp', 88.72283935546875, Infinity],
      ['log', 0, -Infinity], ['log', -0, -Infinity], ['log', -1, NaN], ['log', -Infinity, NaN], ['log', Infinity, Infinity], ['log', 1, 0],
      ['tanh', -0, -0], ['tanh', 0, 0], ['tanh', Infinity, 1], ['tanh', -Infinity, -1], ['tanh', 1e-45, 1e-45],
      ['sigmoid', 0, 0.5], ['sigmoid', -0, 0.5], ['sigmoid', Infinity, 1], ['sigmoid', -Infinity, 0],
    ];
    for (const [fn, x, expected] of cases) {
      const input = new Float32Array([x]);
      for (const got of [inWasm(fn, input)[0], inJs(fn, input)[0]]) expect(Object.is(got, Math.fround(expected)), `${fn}(${x}) = ${got}`).toBe(true);
    }
    for (const fn of FUNCTIONS) {
      for (const got of [inWasm(fn, new Float32Array([NaN]))[0], inJs(fn, new Float32Array([NaN]))[0]]) expect(got).toBeNaN();
    }
    // Subnormal results round once: exp's two-step scaling.
    expect(inWasm('exp', new Float32Array([-100]))[0]).toBe(Math.fround(Math.exp(-100)));
    expect(EDGES.length).toBeGreaterThan(200);
  });

  it('float32 ops run them; float64 ops keep the fdlibm ports; the JS fallback (wasm off) gives the same bits', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i - 500) / 37);
    const ops = { exp, log: (t: ReturnType<typeof tensor>) => log(t.abs()), tanh, sigmoid } as const;
    const wasmOn = FUNCTIONS.map((fn) => Array.from(ops[fn](tensor(values, 'float32')).data));
    FUNCTIONS.forEach((fn, k) => {
      const x = new Float32Array(values.map((v) => (fn === 'log' ? Math.abs(v) : v)));
      expect(outputBits(new Float32Array(wasmOn[k]))).toEqual(outputBits(inJs(fn, x)));
      const f64 = Array.from(ops[fn](tensor(values, 'float64')).data);
      const fdlibm = fn === 'sigmoid' ? EXACT.sigmoid : math[fn];
      expect(f64).toEqual(values.map((v) => fdlibm(fn === 'log' ? Math.abs(v) : v)));
    });
    setWasmGemmEnabled(false);
    expect(FUNCTIONS.map((fn) => Array.from(ops[fn](tensor(values, 'float32')).data))).toEqual(wasmOn);
  });
});

describe('docs/api.md on the float32 kernels', () => {
  it('quotes the errors fixtures/float32-accuracy.json records', () => {
    const docs = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const quoted = docs.match(/\*\*exp ([\d.]+) ulp, log ([\d.]+) ulp, tanh ([\d.]+) ulp, sigmoid ([\d.]+) ulp\*\*/);
    expect(quoted).not.toBeNull();
    expect(quoted!.slice(1).map(Number)).toEqual(FUNCTIONS.map((fn) => Number(measured.results[fn].maxUlp.toFixed(2))));
    const inputs = measured.results.exp.inputs;
    expect(docs).toContain(`(${Math.round(inputs / 1e6)} million inputs each)`);
  });
});
