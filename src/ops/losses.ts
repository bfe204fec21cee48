/**
 * The two elementwise cross-entropy terms, as fused ops: composing them from log and sigmoid
 * would give the wrong gradient at kinks (|z| at 0) and Infinity where the sigmoid saturates.
 * Targets are constants: they receive no gradient.
 */
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { mapBinary, mapUnary, operands, sumToShape } from './elementwise.js';
import { sigmoidValue } from './activations.js';

/** The floor on each log term, as PyTorch uses: ln 0 becomes −100, so the loss stays finite. */
export const LOG_FLOOR = -100;
/** The floor on p·(1 − p) in the gradient, so p = 0 or 1 gives a large finite gradient, not Infinity. */
const GRADIENT_EPSILON = 1e-12;

const bceOp = defineOp<'p' | 't'>({
  name: 'binaryCrossEntropy',
  inputs: ['p', 't'],
  constantInputs: ['t'],
  forward: ({ p, t }) =>
    mapBinary('binaryCrossEntropy', p, t, (q, y) => -(y * Math.max(Math.log(q), LOG_FLOOR) + (1 - y) * Math.max(Math.log(1 - q), LOG_FLOOR))),
  backward: (dy, { inputs: { p, t } }) => ({
    p: mapBinary('binaryCrossEntropy', dy, mapBinary('binaryCrossEntropy', p, t, (q, y) => (q - y) / Math.max(q * (1 - q), GRADIENT_EPSILON)), (g, d) => g * d),
  }),
});

const bceLogitsOp = defineOp<'z' | 't'>({
  name: 'binaryCrossEntropyWithLogits',
  inputs: ['z', 't'],
  constantInputs: ['t'],
  // max(z, 0) − z·t + ln(1 + e^−|z|): equal to −t ln σ(z) − (1 − t) ln(1 − σ(z)), and finite for any z.
  forward: ({ z, t }) => mapBinary('binaryCrossEntropyWithLogits', z, t, (x, y) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)))),
  backward: (dy, { inputs: { z, t } }) => ({
    z: mapBinary('binaryCrossEntropyWithLogits', dy, mapBinary('binaryCrossEntropyWithLogits', z, t, (x, y) => sigmoidValue(x) - y), (g, d) => g * d),
  }),
});

// Module-level functions, so a training step creates no closures.
const squared = (x: number, y: number): number => (x - y) * (x - y);
const twiceDifference = (x: number, y: number): number => 2 * (x - y);
const negate = (v: number): number => -v;

const squaredDifferenceOp = defineOp<'a' | 'b'>({
  name: 'squaredDifference',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('squaredDifference', a, b, squared),
  // d(a − b)²/da = 2(a − b) = −d/db
  backward: (dy, { inputs: { a, b }, needs }) => {
    const twice = mapBinary('squaredDifference', a, b, twiceDifference);
    const g = dy.data;
    const d = twice.data;
    for (let i = 0; i < d.length; i++) d[i] *= g[i];
    return {
      a: needs.a ? sumToShape(twice, a.shape) : undefined,
      b: needs.b ? sumToShape(mapUnary(twice, negate), b.shape) : undefined,
    };
  },
});

/** (a − b)² elementwise, broadcasting: the squared-error term as one op (one allocation, not two). */
export function squaredDifference(a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = operands('squaredDifference', a, b);
  return squaredDifferenceOp({ a: ta, b: tb }, undefined);
}

function sameShapes(op: string, a: Tensor, b: Tensor, names: [string, string]): void {
  if (!sameShape(a.shape, b.shape)) {
    throw new Error(`${op}: ${names[0]} ${formatShape(a.shape)} and ${names[1]} ${formatShape(b.shape)} must have the same shape`);
  }
}

/**
 * Elementwise −[t·ln p + (1 − t)·ln(1 − p)] for probabilities p. At p = 0 or 1 each log is
 * floored at −100 (so a confident wrong answer costs 100, not Infinity) and the gradient is
 * (p − t) / max(p(1 − p), 1e-12): large but finite. Prefer the logits form for training.
 */
export function binaryCrossEntropy(p: Tensor, t: Tensor | number): Tensor {
  const [tp, tt] = operands('binaryCrossEntropy', p, t);
  if (typeof t !== 'number') sameShapes('binaryCrossEntropy', tp, tt, ['predictions', 'targets']);
  return bceOp({ p: tp, t: tt }, undefined);
}

/** Elementwise binary cross entropy of sigmoid(z) against t, computed stably from the logits z. */
export function binaryCrossEntropyWithLogits(z: Tensor, t: Tensor | number): Tensor {
  const [tz, tt] = operands('binaryCrossEntropyWithLogits', z, t);
  if (typeof t !== 'number') sameShapes('binaryCrossEntropyWithLogits', tz, tt, ['logits', 'targets']);
  return bceLogitsOp({ z: tz, t: tt }, undefined);
}
