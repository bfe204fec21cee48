/**
 * Elementwise functions of one tensor. Each is a pair: the function and its derivative, the
 * derivative given both the input x and the saved output y (sigmoid and tanh are cheapest from y).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { DType } from '../tensor/dtype.js';
import { checkDType } from '../tensor/dtype.js';
import { defineOp } from '../autograd/op.js';
import type { OpFunction } from '../autograd/op.js';
import { castData } from './elementwise.js';

/** dy · f'(x, y), elementwise. */
function chain<Attrs>(dy: Tensor, x: Tensor, y: Tensor, derivative: (x: number, y: number, attrs: Attrs) => number, attrs: Attrs): Tensor {
  const g = dy.data;
  const xd = x.data;
  const yd = y.data;
  const out = allocate(dy.dtype, g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i] * derivative(xd[i], yd[i], attrs);
  return new Tensor(out, dy.shape);
}

function apply<Attrs>(x: Tensor, f: (x: number, attrs: Attrs) => number, attrs: Attrs): Tensor {
  const src = x.data;
  const out = allocate(x.dtype, src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i], attrs);
  return new Tensor(out, x.shape);
}

/** Defines an elementwise op from f and f'. `attrs` reach both (the slope of leaky ReLU, say). */
export function defineUnary<Attrs = undefined>(
  name: string,
  f: (x: number, attrs: Attrs) => number,
  derivative: (x: number, y: number, attrs: Attrs) => number,
): OpFunction<'x', Attrs> {
  return defineOp<'x', Attrs>({
    name,
    inputs: ['x'],
    // f and f' get attrs as an argument, so no closure is made per call.
    forward: ({ x }, attrs) => apply(x, f, attrs),
    backward: (dy, { inputs: { x }, out, attrs }) => ({ x: chain(dy, x, out, derivative, attrs) }),
  });
}

const negOp = defineUnary('neg', (x) => -x, () => -1);
const expOp = defineUnary('exp', Math.exp, (_x, y) => y);
const logOp = defineUnary('log', Math.log, (x) => 1 / x);
const log1pOp = defineUnary('log1p', Math.log1p, (x) => 1 / (1 + x));
const sqrtOp = defineUnary('sqrt', Math.sqrt, (_x, y) => 0.5 / y);
const squareOp = defineUnary('square', (x) => x * x, (x) => 2 * x);
// NOTE: |x| has no derivative at 0; like TensorFlow and PyTorch we use sign(0) = 0.
const absOp = defineUnary('abs', Math.abs, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0));
// NOTE: the gradient passes where min ≤ x ≤ max (boundaries included, as PyTorch) and is 0 outside.
const clampOp = defineUnary<{ min: number; max: number }>(
  'clamp',
  (x, { min, max }) => (x < min ? min : x > max ? max : x),
  (x, _y, { min, max }) => (x >= min && x <= max ? 1 : 0),
);

export const neg = (x: Tensor): Tensor => negOp({ x }, undefined);
export const exp = (x: Tensor): Tensor => expOp({ x }, undefined);
/** Natural logarithm; −Infinity at 0 and NaN below. */
export const log = (x: Tensor): Tensor => logOp({ x }, undefined);
/** ln(1 + x), accurate for small x. */
export const log1p = (x: Tensor): Tensor => log1pOp({ x }, undefined);
export const sqrt = (x: Tensor): Tensor => sqrtOp({ x }, undefined);
export const square = (x: Tensor): Tensor => squareOp({ x }, undefined);
export const abs = (x: Tensor): Tensor => absOp({ x }, undefined);

/** Limits values to [min, max]; either bound may be ±Infinity. */
export function clamp(x: Tensor, min: number, max: number): Tensor {
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new Error(`clamp: min must not exceed max, got min ${min} and max ${max}`);
  }
  return clampOp({ x }, { min, max });
}

const castOp = defineOp<'x', DType>({
  name: 'cast',
  inputs: ['x'],
  forward: ({ x }, dtype) => castData(x, dtype),
  backward: (dy, { inputs: { x } }) => ({ x: castData(dy, x.dtype) }),
});

/** The same values in another dtype; gradients flow back in the input's dtype. */
export function cast(x: Tensor, dtype: DType): Tensor {
  return castOp({ x }, checkDType('cast', dtype));
}
