/**
 * Comparisons give 1 where the relation holds and 0 elsewhere, in the operands' dtype. They are
 * not differentiable (their derivative is 0 almost everywhere), so they build no graph;
 * `where` routes gradients to whichever branch each element took.
 */
import { Tensor } from '../tensor/tensor.js';
import type { TensorLike } from '../tensor/tensor.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { allocate } from '../tensor/dtype.js';
import { defineOp } from '../autograd/op.js';
import { broadcastIndex, mapBinary, operands, sumToShape } from './elementwise.js';

function comparison(name: string, holds: (x: number, y: number) => boolean) {
  return (a: TensorLike, b: TensorLike): Tensor => {
    const [ta, tb] = operands(name, a, b);
    return mapBinary(name, ta, tb, (x, y) => (holds(x, y) ? 1 : 0));
  };
}

export const equal = comparison('equal', (x, y) => x === y);
export const notEqual = comparison('notEqual', (x, y) => x !== y);
export const less = comparison('less', (x, y) => x < y);
export const lessEqual = comparison('lessEqual', (x, y) => x <= y);
export const greater = comparison('greater', (x, y) => x > y);
export const greaterEqual = comparison('greaterEqual', (x, y) => x >= y);

const whereOp = defineOp<'condition' | 'a' | 'b'>({
  name: 'where',
  inputs: ['condition', 'a', 'b'],
  constantInputs: ['condition'],
  forward: ({ condition, a, b }) => {
    const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, a.shape, ['condition', 'a']), b.shape, ['a', 'b']);
    const [ci, ai, bi] = [condition, a, b].map((t) => broadcastIndex(t.shape, shape));
    const out = allocate(a.dtype, sizeOf(shape));
    const [c, x, y] = [condition.data, a.data, b.data];
    for (let i = 0; i < out.length; i++) out[i] = c[ci[i]] !== 0 ? x[ai[i]] : y[bi[i]];
    return new Tensor(out, shape);
  },
  backward: (dy, { inputs: { condition, a, b }, needs }) => ({
    a: needs.a ? sumToShape(mapBinary('where', dy, condition, (g, c) => (c !== 0 ? g : 0)), a.shape) : undefined,
    b: needs.b ? sumToShape(mapBinary('where', dy, condition, (g, c) => (c !== 0 ? 0 : g)), b.shape) : undefined,
  }),
});

/** Elementwise `condition ? a : b` (condition nonzero picks a), all three broadcast together. */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('where', a, b);
  return whereOp({ condition, a: ta, b: tb }, undefined);
}
