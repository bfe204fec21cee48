/** Matrix product, 2-D and batched (leading axes broadcast as NumPy's matmul does). */
import { Tensor } from '../tensor/tensor.js';
import { promote } from '../tensor/dtype.js';
import type { FloatArray } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { gemm } from '../kernels/index.js';
import { expectTensor } from '../tensor/arguments.js';

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

function layoutOf(a: Shape, b: Shape): Layout {
  const m = a[a.length - 2];
  const k = a[a.length - 1];
  const n = b[b.length - 1];
  const batch = a.length === 2 && b.length === 2 ? NO_BATCH : broadcastShapes('matmul', a.slice(0, -2), b.slice(0, -2));
  return { m, k, n, batch };
}

/** out = a · b per batch entry (offsets of each operand's matrices as batchOffsets gives them). */
function batchedProductInto(out: FloatArray, a: FloatArray, b: FloatArray, m: number, k: number, n: number, aAt: number[], bAt: number[]): void {
  aAt.forEach((aOffset, i) => gemm(out, a, b, m, k, n, { aOffset, bOffset: bAt[i], outOffset: i * m * n }));
}

/** dA (+)= dY · Bᵀ and dB (+)= Aᵀ · dY per batch entry: a matrix broadcast over the batch sums its entries' gradients. */
function batchedGradInto(dy: FloatArray, a: FloatArray, b: FloatArray, da: FloatArray | null, db: FloatArray | null, m: number, k: number, n: number, aAt: number[], bAt: number[]): void {
  da?.fill(0);
  db?.fill(0);
  for (let i = 0; i < aAt.length; i++) {
    const dyOffset = i * m * n;
    if (da) gemm(da, dy, b, m, n, k, { transB: true, accumulate: true, aOffset: dyOffset, bOffset: bAt[i], outOffset: aAt[i] });
    if (db) gemm(db, a, dy, k, m, n, { transA: true, accumulate: true, aOffset: aAt[i], bOffset: dyOffset, outOffset: bAt[i] });
  }
}

const matmulOp = defineOp<'a' | 'b'>({
  name: 'matmul',
  inputs: ['a', 'b'],
  kernel: {
    shape: ({ a, b }) => {
      const { m, n, batch } = layoutOf(a.shape, b.shape);
      return [...batch, m, n];
    },
    forward: (kx, { a, b }, out) => {
      const { m, k, n, batch } = layoutOf(a.shape, b.shape);
      if (batch.length === 0) kx.gemm(out, a, b, m, k, n);
      else kx.call(batchedProductInto, [out, a, b, m, k, n, ...offsets(a.shape, b.shape, batch, m, k, n)]);
    },
    // dA = dY · Bᵀ and dB = Aᵀ · dY
    backward: (kx, dy, { inputs: { a, b }, grads: { a: da, b: db } }) => {
      const { m, k, n, batch } = layoutOf(a.shape, b.shape);
      if (batch.length === 0) {
        if (da) kx.gemm(da, dy, b, m, n, k, TRANS_B);
        if (db) kx.gemm(db, a, dy, k, m, n, TRANS_A);
      } else {
        kx.call(batchedGradInto, [dy, a, b, da ?? null, db ?? null, m, k, n, ...offsets(a.shape, b.shape, batch, m, k, n)]);
      }
    },
  },
});

function offsets(a: Shape, b: Shape, batch: Shape, m: number, k: number, n: number): [number[], number[]] {
  return [batchOffsets(a.slice(0, -2), batch, m * k), batchOffsets(b.slice(0, -2), batch, k * n)];
}

/**
 * a · b for a [..., m, k] and b [..., k, n], giving [..., m, n]; leading (batch) axes broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor && b instanceof Tensor)) {
    expectTensor('matmul', 'a', a);
    expectTensor('matmul', 'b', b);
  }
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(`matmul: both operands need rank 2 or more: a ${formatShape(a.shape)} × b ${formatShape(b.shape)}`);
  }
  if (a.shape[a.rank - 1] !== b.shape[b.rank - 2]) {
    throw new Error(`matmul: inner dimensions differ: a ${formatShape(a.shape)} × b ${formatShape(b.shape)}`);
  }
  const dtype = promote(a.dtype, b.dtype);
  return matmulOp({ a: a.dtype === dtype ? a : a.cast(dtype), b: b.dtype === dtype ? b : b.cast(dtype) }, undefined);
}
