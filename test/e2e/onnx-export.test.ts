/**
 * The playground's Export ONNX button in Chromium: after a few training steps the downloaded file
 * is run in onnxruntime-web (its wasm backend, in a second Chromium page served from
 * node_modules by request interception), over every point of the output map, and must give the
 * map the playground shows.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type * as OrtWeb from 'onnxruntime-web';
import { grid2d } from '../../packages/nnlab/src/index.js';
import { featureRows } from '../../lab/web/playground/features.js';
import type { PlaygroundHook } from '../../lab/web/playground/index.js';
import type { NetworkSpec } from '../../lab/web/playground/spec.js';
import { ARTIFACTS, ROOT, hasBrowser, useLab } from './harness.js';
import type { Lab } from './harness.js';

/** The same float32 tolerance as test/onnx: max |difference| / max |map value|. */
const TOLERANCE = 1e-6;
const STEPS = 12;

/** An origin that exists only inside the browser: every request to it is answered from onnxruntime-web's dist. */
const ORT_ORIGIN = 'http://onnxruntime-web.test';
const ORT_DIST = join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');
const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** A page with onnxruntime-web (ort.wasm.min.js, one thread) loaded as window.ort. */
async function onnxRuntimeWebPage(lab: Lab): Promise<Page> {
  const page = await lab.newPage();
  await page.route(`${ORT_ORIGIN}/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === '') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="ort.wasm.min.js"></script>' });
    if (!/^[\w.-]+$/.test(name)) return route.fulfill({ status: 404 });
    return route.fulfill({ contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream', body: await readFile(join(ORT_DIST, name)) });
  });
  await page.goto(`${ORT_ORIGIN}/`);
  await page.waitForFunction(() => 'ort' in window);
  return page;
}

/** The file's output for `rows` ([n, width], row-major) in onnxruntime-web, and the file's input and output names. */
async function runInOnnxRuntimeWeb(page: Page, bytes: Buffer, rows: Float32Array, width: number) {
  return page.evaluate(
    async ({ origin, file, values, width }) => {
      const ort = (window as unknown as { ort: typeof OrtWeb }).ort;
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.wasmPaths = `${origin}/`;
      const session = await ort.InferenceSession.create(new Uint8Array(file), { executionProviders: ['wasm'] });
      const input = new ort.Tensor('float32', Float32Array.from(values), [values.length / width, width]);
      const result = await session.run({ [session.inputNames[0]]: input });
      const output = result[session.outputNames[0]];
      const names = { inputs: [...session.inputNames], outputs: [...session.outputNames] };
      await session.release();
      return { names, dims: [...output.dims], data: Array.from(output.data as Float32Array) };
    },
    { origin: ORT_ORIGIN, file: [...bytes], values: [...rows], width },
  );
}

/** What the output map shows, from the network's output rows: as spec.ts's `probabilities` computes it (here in float64). */
function shownFrom(loss: NetworkSpec['loss'], output: number[], units: number): number[][] {
  const n = output.length / units;
  const column = (j: number) => Array.from({ length: n }, (_, i) => output[i * units + j]);
  if (loss === 'mse') return [column(0)];
  if (loss === 'bce') return [column(0).map((z) => 1 / (1 + Math.exp(-z)))];
  const probabilities = Array.from({ length: n }, (_, i) => {
    const row = output.slice(i * units, (i + 1) * units);
    const top = Math.max(...row);
    const e = row.map((z) => Math.exp(z - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
  return Array.from({ length: units }, (_, j) => probabilities.map((p) => p[j]));
}

function relativeDifference(actual: number[][], shown: number[][]): number {
  let difference = 0;
  let scale = 0;
  shown.forEach((map, j) => map.forEach((v, i) => {
    difference = Math.max(difference, Math.abs(actual[j][i] - v));
    scale = Math.max(scale, Math.abs(v));
  }));
  return Number.isNaN(difference) ? Infinity : difference / scale;
}

describe.skipIf(!hasBrowser)('browser lab: the playground exports its model as ONNX', () => {
  const lab = useLab();

  const setups: { name: string; query: string; features: NetworkSpec['features']; loss: NetworkSpec['loss']; units: number; signature: string }[] = [
    {
      name: 'the default network (2 → 4 tanh → 2 tanh → 1, cross entropy)',
      query: '',
      features: ['x0', 'x1'],
      loss: 'bce',
      units: 1,
      signature: 'input [batch, 2]: x₀, x₁; output [batch, 1]: the logit (P(class 1) = sigmoid(output))',
    },
    {
      name: 'four features, residual layers, softmax over 3 classes',
      query: '&data=spiral&classes=3&inputs=x0,x1,x0sq,sin1&layers=4:relu,4:tanh:0.2&skip=residual&loss=softmax',
      features: ['x0', 'x1', 'x0sq', 'sin1'],
      loss: 'softmax',
      units: 3,
      signature: 'input [batch, 4]: x₀, x₁, x₀², sin 2πx₁; output [batch, 3]: logits (class probabilities = softmax(output))',
    },
  ];

  it.each(setups)(`$name: after ${STEPS} steps, Export ONNX downloads a file whose output in onnxruntime-web is the output map shown`, async (setup) => {
    const { page, errors } = await lab.open(`?page=playground${setup.query}`);
    await page.waitForFunction(() => window.__nnlab!.error() !== undefined);
    for (let i = 0; i < STEPS; i++) await page.getByTestId('step').click();
    await page.waitForFunction((epochs) => window.__nnlab!.epoch() === epochs, STEPS);

    const button = page.getByTestId('model-export-onnx');
    expect(await button.isEnabled()).toBe(true);
    expect(await button.getAttribute('aria-description')).toMatch(/^Download the model as an ONNX file \(opset 17\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`nnlab-playground-epoch-${STEPS}.onnx`);
    const bytes = await readFile(await download.path());
    expect(await page.locator('.pg-model').textContent()).toContain(`Exported at epoch ${STEPS} as ONNX: ${setup.signature}.`);
    await page.locator('.pg-model').screenshot({ path: `${ARTIFACTS}/playground-onnx-export-${setup.loss}.png` });

    const shown = (await page.evaluate(() => (window.__nnlab as PlaygroundHook).outputMaps()))!;
    expect(shown.maps).toHaveLength(setup.units);
    const rows = featureRows(grid2d({ resolution: shown.resolution }).data, setup.features!);
    const ortPage = await onnxRuntimeWebPage(lab);
    const onnx = await runInOnnxRuntimeWeb(ortPage, bytes, rows, setup.features!.length);
    expect(onnx.names).toEqual({ inputs: ['input'], outputs: ['output'] });
    expect(onnx.dims).toEqual([shown.resolution ** 2, setup.units]);
    const difference = relativeDifference(shownFrom(setup.loss, onnx.data, setup.units), shown.maps);
    console.log(`${setup.name}: largest difference from the map shown, relative to its largest value: ${difference.toExponential(2)}`);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
    expect(errors).toEqual([]);
    await ortPage.close();
    await page.close();
  });
});
