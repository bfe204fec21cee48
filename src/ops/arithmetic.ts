/** Broadcasting arithmetic: add, sub, mul, div, pow, maximum, minimum. */
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { defineOp } from '../autograd/op.js';
import { mapBinary, mapUnary, operands, sumToShape } from './elementwise.js';

const addOp = defineOp<'a' | 'b'>({
  name: 'add',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('add', a, b, (x, y) => x + y),
  backward: (dy, { inputs: { a, b } }) => ({ a: sumToShape(dy, a.shape), b: sumToShape(dy, b.shape) }),
});

const subOp = defineOp<'a' | 'b'>({
  name: 'sub',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('sub', a, b, (x, y) => x - y),
  backward: (dy, { inputs: { a, b }, needs }) => ({
    a: sumToShape(dy, a.shape),
    b: needs('b') ? sumToShape(mapUnary(dy, (g) => -g), b.shape) : undefined,
  }),
});

const mulOp = defineOp<'a' | 'b'>({
  name: 'mul',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('mul', a, b, (x, y) => x * y),
  backward: (dy, { inputs: { a, b }, needs }) => ({
    a: needs('a') ? sumToShape(mapBinary('mul', dy, b, (g, y) => g * y), a.shape) : undefined,
    b: needs('b') ? sumToShape(mapBinary('mul', dy, a, (g, x) => g * x), b.shape) : undefined,
  }),
});

const divOp = defineOp<'a' | 'b'>({
  name: 'div',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('div', a, b, (x, y) => x / y),
  backward: (dy, { inputs: { a, b }, out, needs }) => ({
    a: needs('a') ? sumToShape(mapBinary('div', dy, b, (g, y) => g / y), a.shape) : undefined,
    // d(a/b)/db = -(a/b)/b
    b: needs('b') ? sumToShape(mapBinary('div', mapBinary('div', dy, out, (g, q) => -g * q), b, (v, y) => v / y), b.shape) : undefined,
  }),
});

const powOp = defineOp<'a' | 'b'>({
  name: 'pow',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('pow', a, b, Math.pow),
  backward: (dy, { inputs: { a, b }, out, needs }) => ({
    // NOTE: written as b·a^(b−1) rather than b·out/a so that a = 0 gives 0, not NaN, for b ≥ 1.
    a: needs('a') ? sumToShape(mapBinary('mul', dy, mapBinary('pow', a, b, (x, y) => (y === 0 ? 0 : y * Math.pow(x, y - 1))), (g, d) => g * d), a.shape) : undefined,
    // d(a^b)/db = a^b·ln a, defined for a > 0.
    b: needs('b') ? sumToShape(mapBinary('mul', dy, mapBinary('pow', out, a, (p, x) => p * Math.log(x)), (g, d) => g * d), b.shape) : undefined,
  }),
});

/** NOTE: at ties the gradient goes to `a`, so the pair's gradients still sum to dy. */
const maximumOp = defineOp<'a' | 'b'>({
  name: 'maximum',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('maximum', a, b, (x, y) => (x >= y ? x : y)),
  backward: (dy, { inputs: { a, b } }) => ({
    a: sumToShape(mapBinary('maximum', dy, mapBinary('maximum', a, b, (x, y) => (x >= y ? 1 : 0)), (g, m) => g * m), a.shape),
    b: sumToShape(mapBinary('maximum', dy, mapBinary('maximum', a, b, (x, y) => (x >= y ? 0 : 1)), (g, m) => g * m), b.shape),
  }),
});

const minimumOp = defineOp<'a' | 'b'>({
  name: 'minimum',
  inputs: ['a', 'b'],
  forward: ({ a, b }) => mapBinary('minimum', a, b, (x, y) => (x <= y ? x : y)),
  backward: (dy, { inputs: { a, b } }) => ({
    a: sumToShape(mapBinary('minimum', dy, mapBinary('minimum', a, b, (x, y) => (x <= y ? 1 : 0)), (g, m) => g * m), a.shape),
    b: sumToShape(mapBinary('minimum', dy, mapBinary('minimum', a, b, (x, y) => (x <= y ? 0 : 1)), (g, m) => g * m), b.shape),
  }),
});

/** a + b, broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b);
  return addOp({ a: ta, b: tb }, undefined);
}

/** a − b, broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b);
  return subOp({ a: ta, b: tb }, undefined);
}

/** a · b elementwise, broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b);
  return mulOp({ a: ta, b: tb }, undefined);
}

/** a / b elementwise, broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b);
  return divOp({ a: ta, b: tb }, undefined);
}

/** a ^ b elementwise, broadcasting. The gradient with respect to b needs a > 0. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b);
  return powOp({ a: ta, b: tb }, undefined);
}

/** The larger of a and b elementwise; at ties the gradient goes to a. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b);
  return maximumOp({ a: ta, b: tb }, undefined);
}

/** The smaller of a and b elementwise; at ties the gradient goes to a. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(a, b);
  return minimumOp({ a: ta, b: tb }, undefined);
}
