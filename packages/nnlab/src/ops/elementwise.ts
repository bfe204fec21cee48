/**
 * Operands of elementwise ops (numbers become scalars, dtypes are promoted), the broadcasting
 * map the comparisons use (they build no graph), and the one helper that sums a broadcast
 * gradient back to an input's shape for ops written on tensors.
 */
import { Tensor } from '../tensor/tensor.js';
import type { TensorLike } from '../tensor/tensor.js';
import { allocate, promote } from '../tensor/dtype.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import { broadcastIndex, broadcastShapes, isTrailingBroadcast, sameShape, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { sumInto } from '../autograd/kernel.js';

export { broadcastIndex };

/** A number becomes a scalar tensor of `dtype`; a tensor passes through. */
export function toTensor(x: TensorLike, dtype: DType, op = 'tensor'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new Error(`${op}: operands must be Tensors or numbers, got ${describe(x)}`);
  const data = allocate(dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  return typeof x;
}

/** Two operands as tensors of a common dtype (numbers take the tensor's dtype). */
export function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const dtype =
    a instanceof Tensor && b instanceof Tensor ? promote(a.dtype, b.dtype) : a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  const ta = toTensor(a, dtype, op);
  const tb = toTensor(b, dtype, op);
  // Promotion goes through the differentiable cast, so a float32 operand still gets its gradient.
  return [ta.dtype === dtype ? ta : ta.cast(dtype), tb.dtype === dtype ? tb : tb.cast(dtype)];
}

/** A copy in another dtype, outside the graph (the `cast` op is the differentiable version). */
export function castData(x: Tensor, dtype: DType): Tensor {
  const data = allocate(dtype, x.size);
  data.set(x.data);
  return new Tensor(data, x.shape);
}

export function mapUnary(x: Tensor, f: (v: number) => number): Tensor {
  const src = x.data;
  const out = allocate(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]);
  return new Tensor(out, x.shape);
}

/**
 * f(a, b) elementwise with NumPy broadcasting. `op` names the op in shape errors. The output
 * dtype is float64 if either input is.
 */
export function mapBinary(op: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const dtype = promote(a.dtype, b.dtype);
  const ad = a.data;
  const bd = b.data;
  if (sameShape(a.shape, b.shape)) {
    const out = allocate(dtype, ad.length);
    for (let i = 0; i < ad.length; i++) out[i] = f(ad[i], bd[i]);
    return new Tensor(out, a.shape);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocate(dtype, sizeOf(shape));
  if (bd.length === 1 && shape.length === a.shape.length) {
    const y = bd[0];
    for (let i = 0; i < ad.length; i++) out[i] = f(ad[i], y);
  } else if (ad.length === 1 && shape.length === b.shape.length) {
    const x = ad[0];
    for (let i = 0; i < bd.length; i++) out[i] = f(x, bd[i]);
  } else if (ad.length === out.length && isTrailingBroadcast(b.shape, shape)) {
    // The bias-add case, [n, m] + [m]: a is full-sized and b repeats every b.size elements.
    const period = bd.length;
    for (let i = 0, j = 0; i < out.length; i++, j = j + 1 === period ? 0 : j + 1) out[i] = f(ad[i], bd[j]);
  } else {
    const ai = broadcastIndex(a.shape, shape);
    const bi = broadcastIndex(b.shape, shape);
    for (let i = 0; i < out.length; i++) out[i] = f(ad[ai[i]], bd[bi[i]]);
  }
  return new Tensor(out, shape);
}

/**
 * Sums a gradient of the broadcast shape back to `shape`: the one place where every
 * broadcasting op's backward undoes the broadcast.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const out = allocate(g.dtype, sizeOf(shape));
  sumInto(out, shape, g.data, g.shape);
  return new Tensor(out, shape);
}

/** A tensor of `shape` filled with `value`. */
export function filled(dtype: DType, shape: Shape, value: number): Tensor {
  const data: FloatArray = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape);
}
