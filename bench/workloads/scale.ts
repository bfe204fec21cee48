/**
 * (e) The scale table: how one training step's time grows with batch size and width, nnlab
 * against TensorFlow.js wasm and NumPy (and PyTorch where it imports), so the crossovers are
 * known: where per-call overhead stops mattering and matrix-multiply throughput takes over.
 *
 * The network is a 2-layer MLP, width → width ReLU → 10 logits, softmax cross entropy on integer
 * labels, SGD (lr 0.1): the same step as (b) at other sizes. Every cell starts from the same
 * He-normal weights and seeded data in every library, and the first step's loss is compared as
 * in the other workloads. Each cell is timed with short settings (SCALE_TIMING): the grid has
 * 20 cells per library and its largest step is ~4 GFLOP.
 */
import * as tf from '@tensorflow/tfjs';
import { Generator, nn } from '../../packages/nnlab/src/index.js';
import { runPython } from '../python/python.js';
import type { PythonTask } from '../python/python.js';
import { measure, percentile } from '../timing.js';
import type { Timing, TimingOptions } from '../timing.js';
import { crossEntropyStep, denseInits } from '../workload.js';
import { relativeDifference } from '../first-values.js';
import type { DenseInit, Library, Runner } from '../workload.js';

export const BATCHES = [1, 8, 64, 256, 1024] as const;
export const WIDTHS = [8, 64, 256, 1024] as const;
const CLASSES = 10;
const LR = 0.1;
/** The libraries the table compares, nnlab first (the ratios' denominator). */
export const SCALE_LIBRARIES = ['nnlab', 'tfjs-wasm', 'numpy', 'torch'] as const satisfies readonly Library[];
export type ScaleLibrary = (typeof SCALE_LIBRARIES)[number];

export const SCALE_TIMING: TimingOptions = { warmupMs: 100, warmupWindowMs: 50, maxWarmupMs: 1000, sampleMs: 5, minTimeMs: 250, minSamples: 5 };
export const SCALE_QUICK_TIMING: TimingOptions = { warmupMs: 20, warmupWindowMs: 10, maxWarmupMs: 100, sampleMs: 2, minTimeMs: 20, minSamples: 2 };

interface Cell {
  batch: number;
  width: number;
  layers: DenseInit[];
  x: Float32Array;
  labels: number[];
}

function cell(batch: number, width: number): Cell {
  const rng = new Generator(`scale ${batch}×${width}`);
  const x = new Float32Array(batch * width);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const labels = Array.from({ length: batch }, () => rng.integer(0, CLASSES));
  return { batch, width, layers: denseInits([width, width, CLASSES], width, (fanIn) => Math.sqrt(2 / fanIn)), x, labels };
}

function nnlabRunner(c: Cell): Runner {
  const model = new nn.Sequential({
    hidden: new nn.Dense(c.width, c.width, { activation: 'relu', weightInit: nn.init.zeros() }),
    out: new nn.Dense(c.width, CLASSES, { weightInit: nn.init.zeros() }),
  });
  return crossEntropyStep(model, ['hidden', 'out'], c.layers, LR, c.x, c.labels);
}

function tfjsRunner(c: Cell): Runner {
  const params = c.layers.flatMap((layer) => [tf.variable(tf.tensor2d(layer.weight, [layer.inFeatures, layer.outFeatures])), tf.variable(tf.tensor1d(layer.bias))]);
  const [w1, b1, w2, b2] = params;
  const x = tf.tensor2d(c.x, [c.batch, c.width]);
  const labels = tf.tensor1d(c.labels, 'int32');
  const opt = tf.train.sgd(LR);
  return {
    step() {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CLASSES), tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2)) as tf.Scalar, true)!;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    dispose() {
      tf.dispose([...params, x, labels]);
      opt.dispose();
    },
  };
}

function pythonTask(c: Cell): PythonTask {
  return { kind: 'train', layers: c.layers, activations: ['relu', 'linear'], x: c.x, target: Float32Array.from(c.labels), loss: 'ce', lr: LR };
}

export interface ScaleEntry {
  firstValue?: number;
  timing?: Timing;
  skip?: string;
  error?: string;
}

export interface ScaleResult {
  batches: readonly number[];
  widths: readonly number[];
  /** results[library][`${batch}×${width}`] */
  results: Partial<Record<ScaleLibrary, Record<string, ScaleEntry>>>;
  /** Per library against nnlab: where, along each width's row of batches, the faster one changes. */
  crossovers: Partial<Record<ScaleLibrary, string[]>>;
  mismatches: string[];
}

export const cellKey = (batch: number, width: number): string => `${batch}×${width}`;

/** Runs the grid for the libraries asked for; `useBackend` switches tfjs to its wasm backend. */
export async function runScale(
  libraries: readonly Library[],
  timing: TimingOptions,
  useBackend: (library: Library) => Promise<void>,
  log: (line: string) => void,
): Promise<ScaleResult> {
  const result: ScaleResult = { batches: BATCHES, widths: WIDTHS, results: {}, crossovers: {}, mismatches: [] };
  const libs = SCALE_LIBRARIES.filter((l) => libraries.includes(l));
  for (const library of libs) {
    const entries: Record<string, ScaleEntry> = {};
    result.results[library] = entries;
    await useBackend(library);
    log(`  (e) ${library}…`);
    let skip: string | undefined;
    for (const width of WIDTHS) {
      for (const batch of BATCHES) {
        const c = cell(batch, width);
        const key = cellKey(batch, width);
        if (skip !== undefined) {
          entries[key] = { skip };
          continue;
        }
        if (library === 'numpy' || library === 'torch') {
          const r = runPython(library, 1, pythonTask(c), timing);
          entries[key] = r;
          skip = r.skip;
          continue;
        }
        let runner: Runner | undefined;
        try {
          runner = library === 'nnlab' ? nnlabRunner(c) : tfjsRunner(c);
          const t0 = performance.now();
          const firstValue = runner.step();
          const firstMs = performance.now() - t0;
          entries[key] = { firstValue, timing: firstMs > SLOW_STEP_MS ? fewSteps(runner, 2) : measure(() => runner!.step(), timing) };
        } catch (error) {
          entries[key] = { error: error instanceof Error ? error.message : String(error) };
        } finally {
          runner?.dispose?.();
        }
      }
    }
  }
  const base = result.results.nnlab;
  for (const library of libs.filter((l) => l !== 'nnlab')) {
    const entries = result.results[library]!;
    for (const [key, e] of Object.entries(entries)) {
      const expected = base?.[key]?.firstValue;
      if (e.firstValue === undefined || expected === undefined) continue;
      const relative = relativeDifference(e.firstValue, expected);
      if (relative > 1e-4) result.mismatches.push(`${library} at batch × width ${key}: first loss ${e.firstValue} differs from nnlab's ${expected} (relative ${relative.toExponential(2)} > 0.0001)`);
    }
    if (base !== undefined) result.crossovers[library] = crossovers(library, base, entries);
  }
  return result;
}

/** A first step slower than this (tfjs-wasm at width 1024, batch 1024: ~9 s here) is timed over a few single steps instead. */
const SLOW_STEP_MS = 300;

/** The median of `count` single steps, each its own sample: for steps too slow for `measure`'s warm-up and calibration. */
function fewSteps(runner: Runner, count: number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < count; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    runner.step();
    wall.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = (v: number[]): number => percentile(v, 0.5);
  return {
    medianMs: mid(wall), p10Ms: wall[0], p90Ms: wall[wall.length - 1], meanMs: wall.reduce((a, b) => a + b, 0) / count,
    cpuMedianMs: mid(cpu), cpuP10Ms: cpu[0], cpuP90Ms: cpu[cpu.length - 1], samples: count, itersPerSample: 1, warmupMs: 0,
  };
}

/** Ratio of medians, other/nnlab (> 1: nnlab faster), or undefined where either is missing. */
export function scaleRatio(base: Record<string, ScaleEntry> | undefined, other: Record<string, ScaleEntry> | undefined, key: string): number | undefined {
  const a = other?.[key]?.timing?.medianMs;
  const b = base?.[key]?.timing?.medianMs;
  return a === undefined || b === undefined ? undefined : a / b;
}

function crossovers(library: ScaleLibrary, base: Record<string, ScaleEntry>, other: Record<string, ScaleEntry>): string[] {
  return WIDTHS.map((width) => {
    const sides = BATCHES.map((batch) => {
      const r = scaleRatio(base, other, cellKey(batch, width));
      return r === undefined ? undefined : r > 1 ? 'nnlab' : library;
    });
    if (sides.every((s) => s === undefined)) return `width ${width}: not measured`;
    const changes: string[] = [];
    for (let i = 1; i < BATCHES.length; i++) {
      if (sides[i] !== undefined && sides[i - 1] !== undefined && sides[i] !== sides[i - 1]) {
        changes.push(`${sides[i]} faster from batch ${BATCHES[i]} (batch ${BATCHES[i - 1]}: ${sides[i - 1]})`);
      }
    }
    const first = sides.find((s) => s !== undefined);
    return changes.length === 0 ? `width ${width}: ${first} faster at every batch size` : `width ${width}: ${first} faster at batch ${BATCHES[0]}; ${changes.join('; ')}`;
  });
}
