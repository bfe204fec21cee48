/** Ops that move values around without arithmetic: reshape, transpose, broadcastTo, slice, concat, gather. */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, normalizeAxis, sameShape, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { broadcastIndex, sumToShape } from './elementwise.js';
import { aroundAxis } from './activations.js';
import { describeValue, expectArray, expectShape, expectTensor } from '../tensor/arguments.js';

const reshapeOp = defineOp<'x', number[]>({
  name: 'reshape',
  inputs: ['x'],
  // Shares storage: a reshape copies nothing.
  forward: ({ x }, shape) => new Tensor(x.data, shape),
  backward: (dy, { inputs: { x } }) => ({ x: new Tensor(dy.data, x.shape) }),
  // A captured step gives every tensor a buffer of its own, so there a reshape is a copy.
  kernel: {
    shape: (_inputs, shape) => shape,
    forward: (k, { x }, out) => k.map(out, same, [k.view(x, out.shape)]),
    backward: (k, dy, { grads: { x: dx } }) => {
      if (dx !== undefined) k.map(dx, same, [k.view(dy, dx.shape)]);
    },
  },
});
const same = (v: number): number => v;

/** The same values in a new shape with the same size; one size may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor('reshape', 'x', x);
  expectArray('reshape', 'shape', shape);
  for (const d of shape) if (typeof d !== 'number') throw new Error(`reshape: shape sizes must be integers (or -1 for the one inferred size), got ${describeValue(d)} in it`);
  const unknown = shape.filter((d) => d === -1).length;
  const bad = shape.some((d) => !Number.isInteger(d) || d < -1);
  const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const fail = (rule: string): never => {
    throw new Error(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}${rule}`);
  };
  if (bad) fail(': sizes must be non-negative integers, or -1 for the one inferred size');
  if (unknown > 1) fail(': only one size may be -1');
  if (unknown === 0 && known !== x.size) fail(` (${known} elements)`);
  if (unknown === 1 && known === 0) fail(': the other sizes multiply to 0, so the -1 cannot be inferred');
  if (unknown === 1 && x.size % known !== 0) fail(`: ${x.size} is not a multiple of ${known}, so the -1 cannot be inferred`);
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  return reshapeOp({ x }, resolved);
}

function permute(x: Tensor, perm: readonly number[]): Tensor {
  const shape = perm.map((p) => x.shape[p]);
  const srcStrides = stridesOf(x.shape);
  const strides = perm.map((p) => srcStrides[p]);
  const out = allocate(x.dtype, x.size);
  const counter = new Array<number>(shape.length).fill(0);
  let at = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = x.data[at];
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      counter[axis]++;
      at += strides[axis];
      if (counter[axis] < shape[axis]) break;
      at -= strides[axis] * counter[axis];
      counter[axis] = 0;
    }
  }
  return new Tensor(out, shape);
}

const transposeOp = defineOp<'x', number[]>({
  name: 'transpose',
  inputs: ['x'],
  forward: ({ x }, perm) => permute(x, perm),
  backward: (dy, { attrs: perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return { x: permute(dy, inverse) };
  },
});

/** Permutes the axes (default: reversed, so a matrix is transposed). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  expectTensor('transpose', 'x', x);
  if (perm !== undefined) {
    expectArray('transpose', 'perm', perm);
    for (const p of perm) if (typeof p !== 'number') throw new Error(`transpose: perm must hold integers, got ${describeValue(p)} in it`);
  }
  const order = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...order].sort((a, b) => a - b);
  if (order.length !== x.rank || sorted.some((p, i) => p !== i)) {
    throw new Error(`transpose: perm must be a permutation of [0, …, ${x.rank - 1}] for shape ${formatShape(x.shape)}, got [${order.join(', ')}]`);
  }
  return transposeOp({ x }, [...order]);
}

/** Swaps the last two axes: the matrix transpose of each matrix in a batch. */
export function swapLastAxes(x: Tensor): Tensor {
  expectTensor('swapLastAxes', 'x', x);
  if (x.rank < 2) throw new Error(`swapLastAxes: needs a tensor of rank 2 or more (x.T is the matrix transpose), got shape ${formatShape(x.shape)}`);
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return transposeOp({ x }, perm);
}

const broadcastToOp = defineOp<'x', number[]>({
  name: 'broadcastTo',
  inputs: ['x'],
  forward: ({ x }, shape) => {
    const index = broadcastIndex(x.shape, shape);
    const out = allocate(x.dtype, index.length);
    for (let i = 0; i < out.length; i++) out[i] = x.data[index[i]];
    return new Tensor(out, shape);
  },
  backward: (dy, { inputs: { x } }) => ({ x: sumToShape(dy, x.shape) }),
});

/** Repeats x along size-1 (or missing leading) axes to `shape`, by NumPy's broadcasting rule. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor('broadcastTo', 'x', x);
  shape = expectShape('broadcastTo', shape);
  const result = broadcastShapes('broadcastTo', x.shape, shape, ['x', 'shape']);
  if (!sameShape(result, shape)) {
    throw new Error(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  return broadcastToOp({ x }, [...shape]);
}

interface SliceAttrs {
  begin: number[];
  shape: number[];
}

/** Copies the box [begin, begin + shape) of `from` into `to`, or back when `scatter` is set. */
function copyBox(from: Tensor, boxShape: Shape, begin: readonly number[], scatter: Tensor | null): Tensor {
  const full = scatter === null ? from.shape : scatter.shape;
  const strides = stridesOf(full);
  const size = sizeOf(boxShape);
  const out = scatter ?? new Tensor(allocate(from.dtype, size), boxShape);
  const counter = new Array<number>(boxShape.length).fill(0);
  let at = begin.reduce((o, b, axis) => o + b * strides[axis], 0);
  for (let i = 0; i < size; i++) {
    if (scatter === null) out.data[i] = from.data[at];
    else out.data[at] = from.data[i];
    for (let axis = boxShape.length - 1; axis >= 0; axis--) {
      counter[axis]++;
      at += strides[axis];
      if (counter[axis] < boxShape[axis]) break;
      at -= strides[axis] * counter[axis];
      counter[axis] = 0;
    }
  }
  return out;
}

const sliceOp = defineOp<'x', SliceAttrs>({
  name: 'slice',
  inputs: ['x'],
  forward: ({ x }, { begin, shape }) => copyBox(x, shape, begin, null),
  backward: (dy, { inputs: { x }, attrs: { begin } }) => ({
    x: copyBox(dy, dy.shape, begin, new Tensor(allocate(dy.dtype, x.size), x.shape)),
  }),
});

/**
 * The box from `begin` (inclusive) to `end` (exclusive) on each axis, like `x[b0:e0, b1:e1]`.
 * Negative positions count from the end; missing or undefined ends run to the end of the axis.
 */
export function slice(x: Tensor, begin: readonly number[], end: readonly (number | undefined)[] = []): Tensor {
  expectTensor('slice', 'x', x);
  expectArray('slice', 'begin', begin);
  expectArray('slice', 'end', end);
  if (begin.length > x.rank || end.length > x.rank) {
    throw new Error(`slice: got ${Math.max(begin.length, end.length)} positions for a rank-${x.rank} tensor ${formatShape(x.shape)}`);
  }
  const starts: number[] = [];
  const shape: number[] = [];
  x.shape.forEach((size, axis) => {
    const resolve = (p: number): number => (p < 0 ? p + size : p);
    const b = resolve(begin[axis] ?? 0);
    const e = resolve(end[axis] ?? size);
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e > size || b > e) {
      throw new Error(
        `slice: axis ${axis} of ${formatShape(x.shape)} needs 0 ≤ begin ≤ end ≤ ${size}, got begin ${begin[axis] ?? 0} and end ${end[axis] ?? size}`,
      );
    }
    starts.push(b);
    shape.push(e - b);
  });
  return sliceOp({ x }, { begin: starts, shape });
}

const concatOp = defineOp<'a' | 'b', number>({
  name: 'concat',
  inputs: ['a', 'b'],
  forward: ({ a, b }, axis) => {
    const shape = [...a.shape];
    shape[axis] += b.shape[axis];
    const out = new Tensor(allocate(a.dtype, sizeOf(shape)), shape);
    const offset = a.shape.map((_, i) => (i === axis ? a.shape[axis] : 0));
    copyBox(a, a.shape, a.shape.map(() => 0), out);
    copyBox(b, b.shape, offset, out);
    return out;
  },
  backward: (dy, { inputs: { a, b }, attrs: axis }) => ({
    a: copyBox(dy, a.shape, a.shape.map(() => 0), null),
    b: copyBox(dy, b.shape, a.shape.map((_, i) => (i === axis ? a.shape[axis] : 0)), null),
  }),
});

/** Joins tensors along an existing axis (default 0); all other sizes must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  expectArray('concat', 'tensors', tensors);
  for (let i = 0; i < tensors.length; i++) expectTensor('concat', `tensors[${i}]`, tensors[i]);
  if (tensors.length === 0) throw new Error('concat: needs at least one tensor, got none');
  const first = tensors[0];
  const a = normalizeAxis('concat', axis, first.shape);
  const dtype = tensors.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
  tensors.forEach((t, i) => {
    const fits = t.rank === first.rank && t.shape.every((d, k) => k === a || d === first.shape[k]);
    if (!fits) {
      throw new Error(
        `concat: tensor ${i} has shape ${formatShape(t.shape)}, which does not match ${formatShape(first.shape)} outside axis ${a}`,
      );
    }
  });
  const same = tensors.map((t) => (t.dtype === dtype ? t : t.cast(dtype)));
  // NOTE: joined pairwise, so the op and its gradient stay binary; fine for the handful of parts a model joins.
  if (same.length === 1) return reshape(same[0], same[0].shape);
  return same.slice(1).reduce((acc, t) => concatOp({ a: acc, b: t }, a), same[0]);
}

/** Integer positions: a plain array, an Int32Array, or a tensor holding integers (its shape is kept). */
export type Indices = readonly number[] | Int32Array | Tensor;

interface GatherAttrs {
  axis: number;
  indices: Int32Array;
  indexShape: number[];
}

const gatherOp = defineOp<'x', GatherAttrs>({
  name: 'gather',
  inputs: ['x'],
  forward: ({ x }, { axis, indices, indexShape }) => {
    const [outer, length, inner] = aroundAxis(x.shape, axis);
    const shape = [...x.shape.slice(0, axis), ...indexShape, ...x.shape.slice(axis + 1)];
    const out = allocate(x.dtype, sizeOf(shape));
    let at = 0;
    for (let o = 0; o < outer; o++) {
      for (const index of indices) {
        const base = (o * length + index) * inner;
        for (let i = 0; i < inner; i++) out[at++] = x.data[base + i];
      }
    }
    return new Tensor(out, shape);
  },
  // Rows picked twice receive both gradients.
  backward: (dy, { inputs: { x }, attrs: { axis, indices } }) => {
    const [outer, length, inner] = aroundAxis(x.shape, axis);
    const dx = allocate(dy.dtype, x.size);
    let at = 0;
    for (let o = 0; o < outer; o++) {
      for (const index of indices) {
        const base = (o * length + index) * inner;
        for (let i = 0; i < inner; i++) dx[base + i] += dy.data[at++];
      }
    }
    return { x: new Tensor(dx, x.shape) };
  },
});

/** The entries of x at `indices` along `axis` (default 0): rows of a matrix, say. */
export function gather(x: Tensor, indices: Indices, axis = 0): Tensor {
  expectTensor('gather', 'x', x);
  if (!(indices instanceof Tensor) && !(indices instanceof Int32Array) && !Array.isArray(indices)) {
    throw new Error(`gather: indices must be an array, an Int32Array or a Tensor of integers, got ${describeValue(indices)}`);
  }
  if (Array.isArray(indices)) {
    for (let i = 0; i < indices.length; i++) {
      if (typeof indices[i] !== 'number') throw new Error(`gather: indices must be integers, got ${i in indices ? describeValue(indices[i]) : 'a hole'} at position ${i}`);
    }
  }
  const a = normalizeAxis('gather', axis, x.shape);
  const list = indices instanceof Tensor ? Int32Array.from(indices.data) : Int32Array.from(indices);
  const raw = indices instanceof Tensor ? indices.data : indices;
  for (let i = 0; i < list.length; i++) {
    const index = raw[i];
    if (!Number.isInteger(index) || index < 0 || index >= x.shape[a]) {
      throw new Error(`gather: index ${index} is out of range for axis ${a} of size ${x.shape[a]} (x ${formatShape(x.shape)})`);
    }
  }
  const indexShape = indices instanceof Tensor ? [...indices.shape] : [list.length];
  return gatherOp({ x }, { axis: a, indices: list, indexShape });
}
