/**
 * Comparisons give 1 where the relation holds and 0 elsewhere, in the operands' dtype. They are
 * not differentiable (their derivative is 0 almost everywhere), so they build no graph;
 * `where` routes gradients to whichever branch each element took.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { TensorLike } from '../tensor/tensor.js';
import { defineElementwise } from '../autograd/elementwise.js';
import { mapBinary, operands } from './elementwise.js';
import { expectTensor } from '../tensor/arguments.js';

function comparison(name: string, holds: (x: number, y: number) => boolean) {
  return (a: TensorLike, b: TensorLike): Tensor => {
    const [ta, tb] = operands(name, a, b);
    return mapBinary(name, ta, tb, (x, y) => (holds(x, y) ? 1 : 0));
  };
}

/** 1 where a = b, else 0 (NaN equals nothing), broadcasting. */
export const equal = comparison('equal', (x, y) => x === y);
/** 1 where a ≠ b (and where either is NaN), else 0, broadcasting. */
export const notEqual = comparison('notEqual', (x, y) => x !== y);
/** 1 where a < b, else 0, broadcasting. */
export const less = comparison('less', (x, y) => x < y);
/** 1 where a ≤ b, else 0, broadcasting. */
export const lessEqual = comparison('lessEqual', (x, y) => x <= y);
/** 1 where a > b, else 0, broadcasting. */
export const greater = comparison('greater', (x, y) => x > y);
/** 1 where a ≥ b, else 0, broadcasting. */
export const greaterEqual = comparison('greaterEqual', (x, y) => x >= y);

const whereOp = defineElementwise<'condition' | 'a' | 'b'>({
  name: 'where',
  inputs: ['condition', 'a', 'b'],
  constantInputs: ['condition'],
  forward: (c: number, x: number, y: number) => (c !== 0 ? x : y),
  grad: { a: (g: number, c: number) => (c !== 0 ? g : 0), b: (g: number, c: number) => (c !== 0 ? 0 : g) },
});

/** Elementwise `condition ? a : b` (condition nonzero picks a), all three broadcast together. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  expectTensor('where', 'condition', condition);
  const [ta, tb] = operands('where', a, b);
  return whereOp({ condition, a: ta, b: tb }, undefined);
}
