/**
 * Evaluation without the tape, into arrays the caller allocates once and reuses: for code that
 * evaluates the same layers on the same number of rows many times a second (a playground
 * redrawing heat maps while it trains), where allocating tensors per call costs more than the
 * arithmetic.
 *
 *     const h = new Float32Array(rows * dense.outFeatures);
 *     nn.denseInto(dense, x, rows, h);                 // h = noGrad(() => dense.forward(x)).data, no allocation
 *     nn.softmaxRowsInto(logits, rows, classes, out);  // out = softmax(logits [rows, classes]).data
 *
 * Both give exactly the numbers of the op they stand for (the same kernel, the same float
 * rounding, in the same order): the tests compare them bit for bit.
 */
import type { FloatArray } from '../tensor/dtype.js';
import { gemm } from '../kernels/index.js';
import { activateInPlace, activationOpNames, activationRule, epilogueActivation, isFusedActivation } from '../ops/linear.js';
import type { Dense } from './layers/dense.js';
import * as math from '../math/index.js';

/** Whether `denseInto` can evaluate this layer: a bias, and an activation the fused dense op applies ('linear' or an activation op). */
export function denseIntoSupports(dense: Dense): boolean {
  return dense.bias !== null && isFusedActivation(dense.activation);
}

/**
 * The checks `denseInto` and `denseUnitsInto` share: a layer they can evaluate, a positive
 * count (of rows or points, as `countName` says), and x and out of the layer's dtype. Returns
 * the bias. The sizes differ by layout, so each function checks them itself.
 */
export function checkLayerAndArrays(where: string, dense: Dense, count: number, countName: string, x: FloatArray, out: FloatArray): FloatArray {
  const bias = dense.bias?.data;
  if (bias === undefined || !denseIntoSupports(dense)) {
    throw new Error(`${where}: needs a bias and an activation of ${['linear', ...activationOpNames()].join(', ')}; the layer has ${bias === undefined ? 'no bias' : `activation '${dense.activation}'`} (use forward)`);
  }
  if (!Number.isInteger(count) || count < 1) throw new Error(`${where}: ${countName} must be a positive integer, got ${count}`);
  const weight = dense.weight.data;
  if (x.constructor !== weight.constructor || out.constructor !== weight.constructor) {
    throw new Error(`${where}: x and out must be ${weight.constructor.name}s like the layer's weights, got ${x.constructor.name} and ${out.constructor.name}`);
  }
  return bias;
}

/**
 * out = activation(x · W + b) for x [rows, in] and out [rows, out], both row-major and of the
 * layer's dtype: the numbers `noGrad(() => dense.forward(x))` gives, written into `out` with no
 * allocation and no graph. The layer needs a bias and 'linear' or an activation op (sigmoid,
 * tanh, relu, …; see `denseIntoSupports`). For one contiguous row per unit (heat maps),
 * see `denseUnitsInto`.
 */
export function denseInto(dense: Dense, x: FloatArray, rows: number, out: FloatArray): FloatArray {
  const k = dense.inFeatures;
  const m = dense.outFeatures;
  const weight = dense.weight.data;
  const where = `denseInto(${dense.describe()})`;
  const bias = checkLayerAndArrays(where, dense, rows, 'rows', x, out);
  if (x.length !== rows * k || out.length !== rows * m) {
    throw new Error(`${where}: needs x of ${rows} × ${k} = ${rows * k} values and out of ${rows} × ${m} = ${rows * m}, got x ${x.length} and out ${out.length}`);
  }
  // NOTE: the linear op's forward (src/ops/linear.ts), step for step, so the bits agree: the
  // bias (and ReLU, or float32's tanh or sigmoid) in gemm's epilogue, then any other activation
  // on the rounded sums.
  const activation = dense.activation;
  const relu = activation === 'relu';
  const fused = epilogueActivation(activationRule(where, activation), dense.weight.dtype);
  gemm(out, x, weight, rows, k, m, relu ? { bias, relu } : fused !== undefined ? { bias, activation: fused } : { bias });
  if (!relu && fused === undefined) activateInPlace(out, activation);
  return out;
}

/**
 * out = softmax(x) along the last axis for x [rows, classes] (row-major): the numbers of the
 * softmax op, written into `out` (which may be x itself) with no allocation.
 */
export function softmaxRowsInto(x: FloatArray, rows: number, classes: number, out: FloatArray): FloatArray {
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(classes) || classes < 1) {
    throw new Error(`softmaxRowsInto: rows and classes must be positive integers, got ${rows} and ${classes}`);
  }
  if (x.length !== rows * classes || out.length !== rows * classes) {
    throw new Error(`softmaxRowsInto: needs x and out of ${rows} × ${classes} = ${rows * classes} values, got ${x.length} and ${out.length}`);
  }
  // NOTE: the softmax op's arithmetic (src/ops/activations.ts), step for step: max, Σ e^(x − max)
  // in double, then e^(x − max − ln Σ).
  for (let base = 0; base < x.length; base += classes) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) max = Math.max(max, x[base + k]);
    if (max === -Infinity) max = 0;
    let total = 0;
    for (let k = 0; k < classes; k++) total += math.exp(x[base + k] - max);
    const logTotal = math.log(total);
    for (let k = 0; k < classes; k++) out[base + k] = math.exp(x[base + k] - max - logTotal);
  }
  return out;
}
