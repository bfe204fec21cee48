/**
 * What a workload is: one computation, written once per library, from the same data and the
 * same starting weights, so the first step's value can be compared across libraries before
 * any of them is timed.
 */
import { captureStep, Generator, nn, optim, tensor } from '../packages/nnlab/src/index.js';
import type { Tensor } from '../packages/nnlab/src/index.js';
import type { DenseInit } from './dense-init.js';
import type { PythonTask } from './python/python.js';

/**
 * numpy and torch run in a python3 child process (bench/python/) on 1 thread; the -2t variants
 * on 2 (BLAS threads for NumPy, `torch.set_num_threads(2)`), for workloads that mark it.
 */
export const LIBRARIES = ['nnlab', 'tfjs-cpu', 'tfjs-wasm', 'hand', 'numpy', 'numpy-2t', 'torch', 'torch-2t'] as const;
export type Library = (typeof LIBRARIES)[number];
export const PYTHON_LIBRARIES: Readonly<Partial<Record<Library, { library: 'numpy' | 'torch'; threads: number }>>> = {
  numpy: { library: 'numpy', threads: 1 },
  'numpy-2t': { library: 'numpy', threads: 2 },
  torch: { library: 'torch', threads: 1 },
  'torch-2t': { library: 'torch', threads: 2 },
};

/** A workload set up in one library, ready to run. */
export interface Runner {
  /**
   * One iteration. Returns a number computed from the iteration's result (the loss, or a sum
   * of the outputs) that has been read back into JavaScript, so async backends have finished.
   */
  step(): number;
  /** Frees what the library will not free by itself (tfjs tensors and variables). */
  dispose?(): void;
}

export interface Workload {
  /** 'a', 'b', …: what `--only` selects. */
  id: string;
  title: string;
  description: string;
  /** Relative tolerance when comparing the first step's value across libraries (float32 everywhere). */
  tolerance: number;
  nnlab(): Runner;
  /** Runs on whichever tfjs backend is active; run.ts sets cpu, then wasm. */
  tfjs(): Runner;
  /** A plain-loop reference with explicit derivative formulas, where the workload has one. */
  hand?(): Runner;
  /** The workload for NumPy and PyTorch (bench/python/bench.py), where it has one. */
  python?(): PythonTask;
  /** Whether the Python libraries also run on 2 threads (numpy-2t, torch-2t): for matmul-bound workloads. */
  pythonTwoThreads?: boolean;
  /** Only these libraries run (a variant of another workload whose other rows it would only repeat). */
  libraries?: readonly string[];
  /** Values one step computes, where the report should also give the time per value (the elementwise rows). */
  valuesPerStep?: number;
}

export type { DenseInit };

/**
 * Starting weights for a stack of dense layers, `sizes` = [in, hidden…, out]: each weight
 * normal(0, std(fanIn)), each bias zero. Drawn from `seed`, so every library starts alike.
 */
export function denseInits(sizes: readonly number[], seed: number, std: (fanIn: number) => number): DenseInit[] {
  const rng = new Generator(seed);
  return sizes.slice(1).map((outFeatures, i) => {
    const inFeatures = sizes[i];
    const weight = new Float32Array(inFeatures * outFeatures);
    for (let j = 0; j < weight.length; j++) weight[j] = rng.normal(0, std(inFeatures));
    return { inFeatures, outFeatures, weight, bias: new Float32Array(outFeatures) };
  });
}

/**
 * nnlab's classifier training step, as (b) and (e) time it: the model's dense layers (`names`,
 * in order) set to `inits`, then softmax cross entropy on integer labels, backward, SGD.
 */
export function crossEntropyStep(model: nn.Module, names: readonly string[], inits: readonly DenseInit[], lr: number, x: Float32Array, labels: number[]): Runner {
  const { opt, input } = crossEntropySetup(model, names, inits, lr, x, labels);
  return eagerStep(opt, () => nn.crossEntropyLoss(model.forward(input), labels));
}

/** nnlab's eager training step: zero the gradients, the loss, backward, the update; the loss before it. */
export function eagerStep(opt: optim.Optimizer<optim.PenaltyOptions>, loss: () => Tensor): Runner {
  return {
    step() {
      opt.zeroGrad();
      const value = loss();
      value.backward();
      opt.step();
      return value.item();
    },
  };
}

/** crossEntropyStep's step captured once (captureStep) and replayed: the same numbers, no graph, no per-step allocation. */
export function capturedCrossEntropyStep(model: nn.Module, names: readonly string[], inits: readonly DenseInit[], lr: number, x: Float32Array, labels: number[]): Runner {
  const { opt, input } = crossEntropySetup(model, names, inits, lr, x, labels);
  const step = captureStep({
    loss: (inputs) => nn.crossEntropyLoss(model.forward(inputs.x), inputs.t),
    optimizer: opt,
    inputs: { x: input, t: tensor(labels, 'float32') },
    model,
  });
  return { step: () => step.run() };
}

function crossEntropySetup(model: nn.Module, names: readonly string[], inits: readonly DenseInit[], lr: number, x: Float32Array, labels: number[]) {
  model.loadStateDict(
    Object.fromEntries(
      inits.flatMap((layer, i) => [
        [`${names[i]}.weight`, tensor(layer.weight, 'float32', [layer.inFeatures, layer.outFeatures])],
        [`${names[i]}.bias`, tensor(layer.bias, 'float32', [layer.outFeatures])],
      ]),
    ),
  );
  return { opt: new optim.SGD(model.parameters(), { lr }), input: tensor(x, 'float32', [labels.length, inits[0].inFeatures]) };
}

/** The unit square as `resolution`² points [x0, x1], row-major: point r·resolution + c is (c/(resolution − 1), r/(resolution − 1)), nnlab's grid2d layout. */
export function gridPoints(resolution: number): Float32Array {
  const data = new Float32Array(resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      data[(r * resolution + c) * 2] = c / (resolution - 1);
      data[(r * resolution + c) * 2 + 1] = r / (resolution - 1);
    }
  }
  return data;
}
