/**
 * The two elementwise cross-entropy terms, as fused ops: composing them from log and sigmoid
 * would give the wrong gradient at kinks (|z| at 0) and Infinity where the sigmoid saturates.
 * Targets are constants: they receive no gradient.
 */
import type { Tensor } from '../tensor/tensor.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { defineElementwise } from '../autograd/elementwise.js';
import { operands } from './elementwise.js';
import * as math from '../math/index.js';

/** The floor on each log term, as PyTorch uses: ln 0 becomes −100, so the loss stays finite. */
export const LOG_FLOOR = -100;

/*
 * The gradients below are dy · local with local stored first ({ local }), as the two-step
 * formulas they were first written as: float32 results keep their last bits.
 */
const bceOp = defineElementwise<'p' | 't'>({
  name: 'binaryCrossEntropy',
  inputs: ['p', 't'],
  constantInputs: ['t'],
  // Each log floored at LOG_FLOOR (−100).
  forward: (q: number, y: number) => -(y * Math.max(math.log(q), -100) + (1 - y) * Math.max(math.log(1 - q), -100)),
  // (p − t) / p(1 − p), with p(1 − p) floored at 1e-12: p = 0 or 1 gives a large finite gradient, not Infinity.
  grad: { p: { local: (q: number, y: number) => (q - y) / Math.max(q * (1 - q), 1e-12) } },
});

const bceLogitsOp = defineElementwise<'z' | 't'>({
  name: 'binaryCrossEntropyWithLogits',
  inputs: ['z', 't'],
  constantInputs: ['t'],
  // max(z, 0) − z·t + ln(1 + e^−|z|): equal to −t ln σ(z) − (1 − t) ln(1 − σ(z)), and finite for any z.
  // NOTE: at z = ±∞ that form is ∞ − ∞ or ∞·0 (NaN); a NaN result from an infinite z and a
  // number t is replaced by the limit |z|·(z > 0 ? 1 − t : t) (0 where that factor is 0).
  forward: (x: number, y: number) => {
    const loss = Math.max(x, 0) - x * y + math.log1p(math.exp(-Math.abs(x)));
    if (loss === loss || Math.abs(x) !== Infinity || y !== y) return loss;
    const factor = x > 0 ? 1 - y : y;
    return factor === 0 ? 0 : factor * Infinity;
  },
  // σ(z) − t
  grad: { z: { local: (x: number, y: number) => (x >= 0 ? 1 / (1 + math.exp(-x)) : math.exp(x) / (1 + math.exp(x))) - y } },
});

const squaredDifferenceOp = defineElementwise<'a' | 'b'>({
  name: 'squaredDifference',
  inputs: ['a', 'b'],
  forward: (a: number, b: number) => (a - b) * (a - b),
  // d(a − b)²/da = 2(a − b) = −d/db
  grad: { a: { local: (a: number, b: number) => 2 * (a - b) }, b: { local: (a: number, b: number) => -2 * (a - b) } },
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
