/**
 * Broadcasting arithmetic: add, sub, mul, div, pow, maximum, minimum.
 * The scalar functions are module constants, not inline arrows, so a hot training loop creates
 * no closures per op.
 */
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { defineOp } from '../autograd/op.js';
import { mapBinary, mapUnary, operands, sumToShape } from './elementwise.js';

const plus = (x: number, y: number): number => x + y;
const minus = (x: number, y: number): number => x - y;
const times = (x: number, y: number): number => x * y;
const over = (x: number, y: number): number => x / y;
const negate = (x: number): number => -x;
const larger = (x: number, y: number): number => (x >= y ? x : y);
const smaller = (x: number, y: number): number => (x <= y ? x : y);
const firstIsLarger = (x: number, y: number): number => (x >= y ? 1 : 0);
const secondIsLarger = (x: number, y: number): number => (x >= y ? 0 : 1);
const firstIsSmaller = (x: number, y: number): number => (x <= y ? 1 : 0);
const secondIsSmaller = (x: number, y: number): number => (x <= y ? 0 : 1);
// d(a/b)/db = −(a/b)/b, from the saved quotient q = a/b.
const quotientRate = (g: number, q: number): number => -g * q;
// NOTE: b·a^(b−1), not b·out/a, so that a = 0 gives 0 rather than NaN for b ≥ 1.
const powerRule = (x: number, y: number): number => (y === 0 ? 0 : y * Math.pow(x, y - 1));
// d(a^b)/db = a^b·ln a, defined for a > 0.
const exponentRule = (p: number, x: number): number => p * Math.log(x);

const addOp = defineOp<'a' | 'b'>({
  name: 'add',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('add', a, b, plus),
  backward: (dy, { inputs: { a, b } }) => ({ a: sumToShape(dy, a.shape), b: sumToShape(dy, b.shape) }),
});

const subOp = defineOp<'a' | 'b'>({
  name: 'sub',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('sub', a, b, minus),
  backward: (dy, { inputs: { a, b }, needs }) => ({
    a: sumToShape(dy, a.shape),
    b: needs.b ? sumToShape(mapUnary(dy, negate), b.shape) : undefined,
  }),
});

const mulOp = defineOp<'a' | 'b'>({
  name: 'mul',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('mul', a, b, times),
  backward: (dy, { inputs: { a, b }, needs }) => ({
    a: needs.a ? sumToShape(mapBinary('mul', dy, b, times), a.shape) : undefined,
    b: needs.b ? sumToShape(mapBinary('mul', dy, a, times), b.shape) : undefined,
  }),
});

const divOp = defineOp<'a' | 'b'>({
  name: 'div',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('div', a, b, over),
  backward: (dy, { inputs: { a, b }, out, needs }) => ({
    a: needs.a ? sumToShape(mapBinary('div', dy, b, over), a.shape) : undefined,
    b: needs.b ? sumToShape(mapBinary('div', mapBinary('div', dy, out, quotientRate), b, over), b.shape) : undefined,
  }),
});

const powOp = defineOp<'a' | 'b'>({
  name: 'pow',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('pow', a, b, Math.pow),
  backward: (dy, { inputs: { a, b }, out, needs }) => ({
    a: needs.a ? sumToShape(mapBinary('pow', dy, mapBinary('pow', a, b, powerRule), times), a.shape) : undefined,
    b: needs.b ? sumToShape(mapBinary('pow', dy, mapBinary('pow', out, a, exponentRule), times), b.shape) : undefined,
  }),
});

/** NOTE: at ties the gradient goes to `a`, so the pair's gradients still sum to dy. */
const maximumOp = defineOp<'a' | 'b'>({
  name: 'maximum',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('maximum', a, b, larger),
  backward: (dy, { inputs: { a, b } }) => ({
    a: sumToShape(mapBinary('maximum', dy, mapBinary('maximum', a, b, firstIsLarger), times), a.shape),
    b: sumToShape(mapBinary('maximum', dy, mapBinary('maximum', a, b, secondIsLarger), times), b.shape),
  }),
});

const minimumOp = defineOp<'a' | 'b'>({
  name: 'minimum',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('minimum', a, b, smaller),
  backward: (dy, { inputs: { a, b } }) => ({
    a: sumToShape(mapBinary('minimum', dy, mapBinary('minimum', a, b, firstIsSmaller), times), a.shape),
    b: sumToShape(mapBinary('minimum', dy, mapBinary('minimum', a, b, secondIsSmaller), times), b.shape),
  }),
});

/** a + b, broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('add', a, b);
  return addOp({ a: ta, b: tb }, undefined);
}

/** a − b, broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('sub', a, b);
  return subOp({ a: ta, b: tb }, undefined);
}

/** a · b elementwise, broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('mul', a, b);
  return mulOp({ a: ta, b: tb }, undefined);
}

/** a / b elementwise, broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('div', a, b);
  return divOp({ a: ta, b: tb }, undefined);
}

/** a ^ b elementwise, broadcasting. The gradient with respect to b needs a > 0. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('pow', a, b);
  return powOp({ a: ta, b: tb }, undefined);
}

/** The larger of a and b elementwise; at ties the gradient goes to a. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('maximum', a, b);
  return maximumOp({ a: ta, b: tb }, undefined);
}

/** The smaller of a and b elementwise; at ties the gradient goes to a. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('minimum', a, b);
  return minimumOp({ a: ta, b: tb }, undefined);
}
