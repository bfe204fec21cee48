/**
 * Elementwise functions of one tensor, each as scalar functions (defineElementwise): the value,
 * and the gradient per element given dy, the input x and the output y (exp and sqrt are
 * cheapest from y). Each gradient is dy times the derivative, formed in that order.
 */
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { checkDType } from '../tensor/dtype.js';
import { defineOp } from '../autograd/op.js';
import type { OpFunction } from '../autograd/op.js';
import { defineElementwise } from '../autograd/elementwise.js';
import { castData } from './elementwise.js';
import * as math from '../math/index.js';
import { withFloat32Kernel } from './float32.js';
import { describeValue, tensorArgument } from '../tensor/arguments.js';

/**
 * Defines an elementwise op from f and f' (given x, y and attrs). `attrs` reach both (the slope
 * of leaky ReLU, say). Shorthand for defineElementwise with the gradient dy · f'(x, y, attrs).
 */
export function defineUnary<Attrs = undefined>(
  name: string,
  f: (x: number, attrs: Attrs) => number,
  derivative: (x: number, y: number, attrs: Attrs) => number,
): OpFunction<'x', Attrs> {
  return defineElementwise<'x', Attrs>({
    name,
    inputs: ['x'],
    forward: f,
    grad: { x: (g: number, x: number, y: number, attrs: Attrs) => g * derivative(x, y, attrs) },
  });
}

const negOp = defineElementwise<'x'>({ name: 'neg', inputs: ['x'], forward: (x: number) => -x, grad: { x: (g: number) => g * -1 } });
const expOp = defineElementwise<'x'>({ name: 'exp', inputs: ['x'], forward: withFloat32Kernel((x: number) => math.exp(x), 'exp'), grad: { x: (g: number, _x: number, y: number) => g * y } });
const logOp = defineElementwise<'x'>({ name: 'log', inputs: ['x'], forward: withFloat32Kernel((x: number) => math.log(x), 'log'), grad: { x: (g: number, x: number) => g * (1 / x) } });
const log1pOp = defineElementwise<'x'>({ name: 'log1p', inputs: ['x'], forward: (x: number) => math.log1p(x), grad: { x: (g: number, x: number) => g * (1 / (1 + x)) } });
const sqrtOp = defineElementwise<'x'>({ name: 'sqrt', inputs: ['x'], forward: (x: number) => Math.sqrt(x), grad: { x: (g: number, _x: number, y: number) => g * (0.5 / y) } });
const squareOp = defineElementwise<'x'>({ name: 'square', inputs: ['x'], forward: (x: number) => x * x, grad: { x: (g: number, x: number) => g * (2 * x) } });
// NOTE: |x| has no derivative at 0; like TensorFlow and PyTorch we use sign(0) = 0.
const absOp = defineElementwise<'x'>({
  name: 'abs',
  inputs: ['x'],
  forward: (x: number) => Math.abs(x),
  grad: { x: (g: number, x: number) => g * (x > 0 ? 1 : x < 0 ? -1 : 0) },
});
// NOTE: the gradient passes where min ≤ x ≤ max (boundaries included, as PyTorch) and is 0 outside.
const clampOp = defineElementwise<'x', { min: number; max: number }>({
  name: 'clamp',
  inputs: ['x'],
  forward: (x: number, p: { min: number; max: number }) => (x < p.min ? p.min : x > p.max ? p.max : x),
  grad: { x: (g: number, x: number, _y: number, p: { min: number; max: number }) => g * (x >= p.min && x <= p.max ? 1 : 0) },
});

/** −x. */
export const neg = (x: Tensor): Tensor => negOp({ x: tensorArgument('neg', x) }, undefined);
/** e^x (nnlab's own exp, the same in every engine). */
export const exp = (x: Tensor): Tensor => expOp({ x: tensorArgument('exp', x) }, undefined);
/** Natural logarithm; −Infinity at 0 and NaN below. */
export const log = (x: Tensor): Tensor => logOp({ x: tensorArgument('log', x) }, undefined);
/** ln(1 + x), accurate for small x. */
export const log1p = (x: Tensor): Tensor => log1pOp({ x: tensorArgument('log1p', x) }, undefined);
/** √x; NaN below 0, and an infinite gradient at 0. */
export const sqrt = (x: Tensor): Tensor => sqrtOp({ x: tensorArgument('sqrt', x) }, undefined);
/** x², with gradient 2x. */
export const square = (x: Tensor): Tensor => squareOp({ x: tensorArgument('square', x) }, undefined);
/** |x|; the gradient at 0 is 0 (sign(0) = 0, as TensorFlow and PyTorch). */
export const abs = (x: Tensor): Tensor => absOp({ x: tensorArgument('abs', x) }, undefined);

/** Limits values to [min, max]; either bound may be ±Infinity. */
export function clamp(x: Tensor, min: number, max: number): Tensor {
  if (typeof min !== 'number' || typeof max !== 'number') {
    throw new Error(`clamp: min and max must be numbers (±Infinity for no bound), got min ${describeValue(min)} and max ${describeValue(max)}`);
  }
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new Error(`clamp: min must not exceed max, got min ${min} and max ${max}`);
  }
  return clampOp({ x: tensorArgument('clamp', x) }, { min, max });
}

const castOp = defineOp<'x', DType>({
  name: 'cast',
  inputs: ['x'],
  forward: ({ x }, dtype) => castData(x, dtype),
  backward: (dy, { inputs: { x } }) => ({ x: castData(dy, x.dtype) }),
});

/** The same values in another dtype; gradients flow back in the input's dtype. */
export function cast(x: Tensor, dtype: DType): Tensor {
  return castOp({ x: tensorArgument('cast', x) }, checkDType('cast', dtype));
}
