/**
 * A run of dense layers evaluated without the tape (Sequential.forward under noGrad), with each
 * large intermediate result kept in the wasm kernels' memory: the product that makes it writes
 * it there and the next layer's product reads it there, where the layer-by-layer path copies
 * it out into a new array and back in. Nothing else can see an intermediate (Sequential returns
 * only the last layer's output, and no graph is recorded), so its block is handed back as soon
 * as the next layer has read it. The numbers are the layers' own: denseInto is the dense op's
 * forward step for step, and a product gives the same bits wherever its operands live.
 *
 * (c) of the bench, a 2-8-8-1 tanh net over 40,000 points, copies 5 MB and allocates 2.6 MB less
 * per call this way.
 */
import { borrowResident, giveBackResident } from '../kernels/index.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { denseInto, denseIntoSupports } from './inference.js';
import { Dense } from './layers/dense.js';
import type { Module } from './module.js';

/**
 * Intermediates from this many values are borrowed from the kernels' memory; below, copying
 * them costs about what borrowing does (a block search and a view), and a run with no
 * intermediate this large goes layer by layer.
 */
export const CHAIN_MIN_VALUES = 16384;

/**
 * Whether `layer` can join a run at an input `width` wide: a Dense (its own forward, not a
 * subclass's) that denseInto evaluates (so with a bias), float32 throughout, of that width.
 */
function chainable(layer: Module, width: number): layer is Dense {
  if (Object.getPrototypeOf(layer) !== Dense.prototype) return false;
  const dense = layer as Dense;
  return denseIntoSupports(dense) && dense.inFeatures === width && dense.weight.dtype === 'float32' && dense.bias!.dtype === 'float32';
}

/**
 * How many layers from `start` form a run for x (rank 2, float32): consecutive chainable dense
 * layers, at least two of them, with an intermediate of CHAIN_MIN_VALUES or more; else 0.
 */
export function denseRunLength(layers: readonly Module[], start: number, x: Tensor): number {
  if (x.rank !== 2 || x.dtype !== 'float32' || x.shape[0] === 0) return 0;
  const rows = x.shape[0];
  let width = x.shape[1];
  let end = start;
  let large = false;
  while (end < layers.length && chainable(layers[end], width)) {
    if (end > start && rows * width >= CHAIN_MIN_VALUES) large = true;
    width = (layers[end] as Dense).outFeatures;
    end++;
  }
  return end - start >= 2 && large ? end - start : 0;
}

/**
 * The output for x of the run of `count` layers from `start` (see denseRunLength), as a new
 * tensor; its large intermediates borrowed.
 */
export function forwardDenseRun(layers: readonly Module[], start: number, count: number, x: Tensor): Tensor {
  const rows = x.shape[0];
  const end = start + count;
  let input: FloatArray = x.data;
  let lentInput: Float32Array | null = null; // the current layer's input, when borrowed
  let lentOutput: Float32Array | null = null;
  try {
    for (let i = start; i < end; i++) {
      const layer = layers[i] as Dense;
      const size = rows * layer.outFeatures;
      lentOutput = i === end - 1 || size < CHAIN_MIN_VALUES ? null : borrowResident(size);
      const out = lentOutput ?? new Float32Array(size);
      denseInto(layer, input, rows, out);
      if (lentInput !== null) giveBackResident(lentInput);
      lentInput = lentOutput;
      lentOutput = null;
      input = out;
    }
  } finally {
    if (lentInput !== null) giveBackResident(lentInput);
    if (lentOutput !== null) giveBackResident(lentOutput);
  }
  return new Tensor(input, [rows, (layers[end - 1] as Dense).outFeatures]);
}
