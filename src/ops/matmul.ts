/** Matrix product, 2-D and batched (leading axes broadcast as NumPy's matmul does). */
import { Tensor } from '../tensor/tensor.js';
import { allocate, promote } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, sizeOf, stridesOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { gemm } from '../kernels/matmul.js';

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

const linearOp = defineOp<'x' | 'weight' | 'bias'>({
  name: 'linear',
  inputs: ['x', 'weight', 'bias'],
  forward: ({ x, weight, bias }) => {
    const [n, k] = x.shape;
    const m = weight.shape[1];
    const out = allocate(x.dtype, n * m);
    gemm(out, x.data, weight.data, n, k, m);
    const b = bias.data;
    for (let row = 0, at = 0; row < n; row++) for (let j = 0; j < m; j++, at++) out[at] += b[j];
    return new Tensor(out, [n, m]);
  },
  // dx = dy · Wᵀ, dW = xᵀ · dy, db = Σ_rows dy
  backward: (dy, { inputs: { x, weight, bias }, needs }) => {
    const [n, k] = x.shape;
    const m = weight.shape[1];
    let dx: Tensor | undefined;
    let dw: Tensor | undefined;
    let db: Tensor | undefined;
    if (needs.x) {
      dx = new Tensor(allocate(dy.dtype, n * k), x.shape);
      gemm(dx.data, dy.data, weight.data, n, m, k, TRANS_B);
    }
    if (needs.weight) {
      dw = new Tensor(allocate(dy.dtype, k * m), weight.shape);
      gemm(dw.data, x.data, dy.data, k, n, m, TRANS_A);
    }
    if (needs.bias) {
      const sums = allocate(dy.dtype, m);
      const g = dy.data;
      for (let row = 0, at = 0; row < n; row++) for (let j = 0; j < m; j++, at++) sums[j] += g[at];
      db = new Tensor(sums, bias.shape);
    }
    return { x: dx, weight: dw, bias: db };
  },
});

/**
 * x · W + b in one op, for x [n, in], W [in, out] and b [out]: what a dense layer computes,
 * without the intermediate product tensor (and its gradient) that matmul then add would make.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  if (x.rank !== 2 || weight.rank !== 2 || bias.rank !== 1 || x.shape[1] !== weight.shape[0] || bias.shape[0] !== weight.shape[1]) {
    throw new Error(
      `linear: needs x [n, in], weight [in, out] and bias [out], got x ${formatShape(x.shape)}, ` +
        `weight ${formatShape(weight.shape)} and bias ${formatShape(bias.shape)}`,
    );
  }
  const dtype = promote(promote(x.dtype, weight.dtype), bias.dtype);
  const as = (t: Tensor): Tensor => (t.dtype === dtype ? t : t.cast(dtype));
  return linearOp({ x: as(x), weight: as(weight), bias: as(bias) }, undefined);
}
