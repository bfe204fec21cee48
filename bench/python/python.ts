/**
 * Runs a workload in NumPy or PyTorch through `bench/python/bench.py`, as a child process: the
 * weights and data go over as one raw float32 file, the request as JSON on stdin, and the
 * script prints the first step's value and its timing (the same options as timing.ts) as JSON.
 * Where python3 or the library is missing, the result says so and the row is skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Timing, TimingOptions } from '../timing.js';
import type { DenseInit } from '../dense-init.js';

export type PythonLibrary = 'numpy' | 'torch';

/** A workload as the Python script runs it (see the docstring of bench.py). */
export interface PythonTask {
  kind: 'train' | 'eval' | 'unary';
  /** None for 'unary'. */
  layers: readonly DenseInit[];
  /** One per layer: 'relu', 'sigmoid', 'tanh' or 'linear'. */
  activations: readonly string[];
  /** [rows, layers[0].inFeatures], row-major; for 'unary' a flat array of values. */
  x: Float32Array;
  /** 'unary': the elementwise function applied to x ('sigmoid', 'tanh' or 'exp'). */
  op?: string;
  /** Training: float targets [rows, out] for 'mse', class indices [rows] for 'ce'. */
  target?: Float32Array;
  loss?: 'mse' | 'ce';
  lr?: number;
  /** Evaluation: keep every layer's output per unit, softmax on the output (the playground's maps). */
  maps?: boolean;
}

export interface PythonResult {
  firstValue?: number;
  timing?: Timing;
  /** e.g. "numpy 2.4.6, 1 BLAS thread(s)". */
  version?: string;
  /** Why the library did not run (python3 or the module missing). */
  skip?: string;
  error?: string;
}

const SCRIPT = fileURLToPath(new URL('./bench.py', import.meta.url));

export function runPython(library: PythonLibrary, threads: number, task: PythonTask, timing: TimingOptions): PythonResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nnlab-bench-'));
  try {
    const file = path.join(dir, 'arrays.f32');
    const chunks: Float32Array[] = [];
    let offset = 0;
    const ref = (data: Float32Array, shape: number[]): { offset: number; shape: number[] } => {
      chunks.push(data);
      const at = offset;
      offset += data.length;
      return { offset: at, shape };
    };
    const xShape = task.kind === 'unary' ? [task.x.length] : [task.x.length / task.layers[0].inFeatures, task.layers[0].inFeatures];
    const rows = xShape[0];
    const request = {
      library,
      threads,
      timing,
      task: {
        kind: task.kind,
        file,
        layers: task.layers.map((l) => ({ weight: ref(l.weight, [l.inFeatures, l.outFeatures]), bias: ref(l.bias, [l.outFeatures]) })),
        activations: task.activations,
        x: ref(task.x, xShape),
        ...(task.target === undefined ? {} : { target: ref(task.target, [rows, task.target.length / rows]) }),
        loss: task.loss,
        lr: task.lr,
        maps: task.maps ?? false,
        op: task.op,
      },
    };
    const all = new Float32Array(offset);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    writeFileSync(file, new Uint8Array(all.buffer));
    const child = spawnSync('python3', [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 24 });
    if (child.error !== undefined) {
      const missing = (child.error as NodeJS.ErrnoException).code === 'ENOENT';
      return missing ? { skip: 'python3 is not installed' } : { error: `python3: ${child.error.message}` };
    }
    if (child.status !== 0) return { error: `python3 exited with ${child.status}: ${child.stderr.trim().split('\n').slice(-3).join(' / ')}` };
    return JSON.parse(child.stdout) as PythonResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
