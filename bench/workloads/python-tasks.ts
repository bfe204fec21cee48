/**
 * Workloads (a), (b) and (c) as NumPy and PyTorch run them (bench/python/bench.py): the same
 * weights (`denseInits` with each workload's seed and scale) and data as the workload's own file,
 * rebuilt here from the same seeds so those files stay as they are. The first-step check in
 * run.ts compares the Python value with nnlab's: a MISMATCH there means this file and the
 * workload's file have drifted apart.
 */
import { Generator } from '../../packages/nnlab/src/index.js';
import type { PythonTask } from '../python/python.js';
import { denseInits } from '../workload.js';

/** (a): xor-step.ts's 2-2-1 sigmoid net, weights normal(0, 0.3) from seed 0, MSE, lr 5. */
function xorTask(): PythonTask {
  return {
    kind: 'train',
    layers: denseInits([2, 2, 1], 0, () => 0.3),
    activations: ['sigmoid', 'sigmoid'],
    x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]),
    target: new Float32Array([0, 1, 1, 0]),
    loss: 'mse',
    lr: 5,
  };
}

/** (b): mlp-step.ts's 784-256-128-10 ReLU MLP, He-normal from seed 1, batch of 128 from seed 2, lr 0.1. */
function mlpTask(): PythonTask {
  const rng = new Generator(2);
  const x = new Float32Array(128 * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const labels = Float32Array.from({ length: 128 }, () => rng.integer(0, 10));
  return {
    kind: 'train',
    layers: denseInits([784, 256, 128, 10], 1, (fanIn) => Math.sqrt(2 / fanIn)),
    activations: ['relu', 'relu', 'linear'],
    x,
    target: labels,
    loss: 'ce',
    lr: 0.1,
  };
}

/** (c): grid-eval.ts's 2-8-8-1 tanh net (normal(0, 1/√fanIn) from seed 3) on the 200 × 200 grid. */
function gridTask(): PythonTask {
  const resolution = 200;
  const x = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      x[(r * resolution + c) * 2] = c / (resolution - 1);
      x[(r * resolution + c) * 2 + 1] = r / (resolution - 1);
    }
  }
  return { kind: 'eval', layers: denseInits([2, 8, 8, 1], 3, (fanIn) => 1 / Math.sqrt(fanIn)), activations: ['tanh', 'tanh', 'tanh'], x };
}

/** By workload id. */
export const PYTHON_TASKS: Readonly<Record<string, () => PythonTask>> = { a: xorTask, b: mlpTask, c: gridTask };

/** Workloads whose Python rows also run on 2 threads (numpy-2t, torch-2t): the matmul-bound ones. */
export const PYTHON_TWO_THREADS: readonly string[] = ['b'];
