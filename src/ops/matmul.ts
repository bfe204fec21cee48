/** Matrix product, 2-D and batched (leading axes broadcast as NumPy's matmul does). */
import { Tensor } from '../tensor/tensor.js';
import { allocate, promote } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { gemm } from '../kernels/index.js';

/** For each batch entry of `batch`, the matrix offset (in elements) inside a tensor of batch shape `own`. */
function batchOffsets(own: Shape, batch: Shape, matrixSize: number): number[] {
  const count = sizeOf(batch);
  if (own.length === 0) return new Array<number>(count).fill(0);
  const strides = stridesOf(own);
  const offset = batch.length - own.length;
  return Array.from({ length: count }, (_, flat) => {
    let rest = flat;
    let at = 0;
    for (let axis = batch.length - 1; axis >= 0; axis--) {
      const i = rest % batch[axis];
      rest = Math.floor(rest / batch[axis]);
      const k = axis - offset;
      if (k >= 0 && own[k] !== 1) at += i * strides[k];
    }
    return at * matrixSize;
  });
}

interface Layout {
  m: number;
  k: number;
  n: number;
  batch: number[];
}

const NO_BATCH: number[] = [];
const TRANS_A = { transA: true };
const TRANS_B = { transB: true };

function layoutOf(a: Tensor, b: Tensor): Layout {
  const m = a.shape[a.rank - 2];
  const k = a.shape[a.rank - 1];
  const n = b.shape[b.rank - 1];
  const batch = a.rank === 2 && b.rank === 2 ? NO_BATCH : broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  return { m, k, n, batch };
}

const matmulOp = defineOp<'a' | 'b'>({
  name: 'matmul',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => {
    const { m, k, n, batch } = layoutOf(a, b);
    const out = allocate(a.dtype, sizeOf(batch) * m * n);
    if (batch.length === 0) {
      gemm(out, a.data, b.data, m, k, n);
    } else {
      const aAt = batchOffsets(a.shape.slice(0, -2), batch, m * k);
      const bAt = batchOffsets(b.shape.slice(0, -2), batch, k * n);
      aAt.forEach((aOffset, i) => gemm(out, a.data, b.data, m, k, n, { aOffset, bOffset: bAt[i], outOffset: i * m * n }));
    }
    return new Tensor(out, [...batch, m, n]);
  },
  // dA = dY · Bᵀ and dB = Aᵀ · dY, per batch entry; a matrix broadcast over the batch sums its entries' gradients.
  backward: (dy, { inputs: { a, b }, needs }) => {
    const { m, k, n, batch } = layoutOf(a, b);
    const da = needs.a ? allocate(dy.dtype, a.size) : null;
    const db = needs.b ? allocate(dy.dtype, b.size) : null;
    if (batch.length === 0) {
      if (da) gemm(da, dy.data, b.data, m, n, k, TRANS_B);
      if (db) gemm(db, a.data, dy.data, k, m, n, TRANS_A);
      return { a: da ? new Tensor(da, a.shape) : undefined, b: db ? new Tensor(db, b.shape) : undefined };
    }
    const aAt = batchOffsets(a.shape.slice(0, -2), batch, m * k);
    const bAt = batchOffsets(b.shape.slice(0, -2), batch, k * n);
    for (let i = 0; i < aAt.length; i++) {
      const dyOffset = i * m * n;
      if (da) gemm(da, dy.data, b.data, m, n, k, { transB: true, accumulate: true, aOffset: dyOffset, bOffset: bAt[i], outOffset: aAt[i] });
      if (db) gemm(db, a.data, dy.data, k, m, n, { transA: true, accumulate: true, aOffset: aAt[i], bOffset: dyOffset, outOffset: bAt[i] });
    }
    return {
      a: da ? new Tensor(da, a.shape) : undefined,
      b: db ? new Tensor(db, b.shape) : undefined,
    };
  },
});

/**
 * a · b for a [..., m, k] and b [..., k, n], giving [..., m, n]; leading (batch) axes broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new Error('matmul: both operands must be tensors');
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(`matmul: both operands need rank 2 or more: a ${formatShape(a.shape)} × b ${formatShape(b.shape)}`);
  }
  if (a.shape[a.rank - 1] !== b.shape[b.rank - 2]) {
    throw new Error(`matmul: inner dimensions differ: a ${formatShape(a.shape)} × b ${formatShape(b.shape)}`);
  }
  const dtype = promote(a.dtype, b.dtype);
  return matmulOp({ a: a.dtype === dtype ? a : a.cast(dtype), b: b.dtype === dtype ? b : b.cast(dtype) }, undefined);
}
