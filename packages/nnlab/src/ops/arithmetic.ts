/**
 * Broadcasting arithmetic: add, sub, mul, div, pow, maximum, minimum, each as scalar functions
 * (defineElementwise): the value per element and each input's gradient per element. The
 * broadcasting, and summing a broadcast input's gradient back to its shape, come with them.
 */
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { defineElementwise } from '../autograd/elementwise.js';
import { operands } from './elementwise.js';
import * as math from '../math/index.js';

const addOp = defineElementwise<'a' | 'b'>({
  name: 'add',
  inputs: ['a', 'b'],
  forward: (a: number, b: number) => a + b,
  grad: { a: (g: number) => g, b: (g: number) => g },
});

const subOp = defineElementwise<'a' | 'b'>({
  name: 'sub',
  inputs: ['a', 'b'],
  forward: (a: number, b: number) => a - b,
  grad: { a: (g: number) => g, b: (g: number) => -g },
});

const mulOp = defineElementwise<'a' | 'b'>({
  name: 'mul',
  inputs: ['a', 'b'],
  forward: (a: number, b: number) => a * b,
  grad: { a: (g: number, _a: number, b: number) => g * b, b: (g: number, a: number) => g * a },
});

const divOp = defineElementwise<'a' | 'b'>({
  name: 'div',
  inputs: ['a', 'b'],
  forward: (a: number, b: number) => a / b,
  // d(a/b)/db = −(a/b)/b, from the output y = a/b.
  grad: { a: (g: number, _a: number, b: number) => g / b, b: (g: number, _a: number, b: number, y: number) => (-g * y) / b },
});

const powOp = defineElementwise<'a' | 'b'>({
  name: 'pow',
  inputs: ['a', 'b'],
  // NOTE: JavaScript's Math.pow(±1, ±∞) and Math.pow(1, NaN) (and math.pow, which matches it) are NaN; C/IEEE 754 pow (and
  // PyTorch) give 1. Only a NaN result is checked again, so finite results cost one compare.
  forward: (a: number, b: number) => {
    const y = math.pow(a, b);
    return y === y || !(a === 1 || (a === -1 && Math.abs(b) === Infinity)) ? y : 1;
  },
  grad: {
    // NOTE: b·a^(b−1), not b·y/a, so that a = 0 gives 0 rather than NaN for b ≥ 1; a^(b−1) with
    // the same IEEE edge as the forward, so (±1, ±∞) gives ±∞ as PyTorch.
    a: {
      local: (a: number, b: number) => {
        if (b === 0) return 0;
        const p = math.pow(a, b - 1);
        return b * (p === p || !(a === 1 || (a === -1 && Math.abs(b) === Infinity)) ? p : 1);
      },
    },
    // d(a^b)/db = a^b·ln a. NOTE: 0 where a = 0 and b ≥ 0 (y is 0 or 1 there and does not
    // move with b from the right), as PyTorch and TensorFlow, not y·ln 0 = −Infinity or NaN.
    b: { local: (a: number, b: number, y: number) => (a === 0 && b >= 0 ? 0 : y * math.log(a)) },
  },
});

/*
 * NOTE: maximum and minimum give NaN when either side is NaN (as torch.maximum), and at ties
 * they split the gradient in half between a and b (PyTorch's rule); with a NaN both sides get
 * the whole gradient (neither compares smaller).
 */
const maximumOp = defineElementwise<'a' | 'b'>({
  name: 'maximum',
  inputs: ['a', 'b'],
  forward: (a: number, b: number) => (a >= b || a !== a ? a : b),
  grad: {
    a: (g: number, a: number, b: number) => (a === b ? g / 2 : a < b ? 0 : g),
    b: (g: number, a: number, b: number) => (a === b ? g / 2 : a > b ? 0 : g),
  },
});

const minimumOp = defineElementwise<'a' | 'b'>({
  name: 'minimum',
  inputs: ['a', 'b'],
  forward: (a: number, b: number) => (a <= b || a !== a ? a : b),
  grad: {
    a: (g: number, a: number, b: number) => (a === b ? g / 2 : a > b ? 0 : g),
    b: (g: number, a: number, b: number) => (a === b ? g / 2 : a < b ? 0 : g),
  },
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

/** a ^ b elementwise, broadcasting. The gradient with respect to b is a^b·ln a, and 0 where a = 0 and b ≥ 0. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('pow', a, b);
  return powOp({ a: ta, b: tb }, undefined);
}

/** The larger of a and b elementwise (NaN if either is); at ties a and b share the gradient equally. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('maximum', a, b);
  return maximumOp({ a: ta, b: tb }, undefined);
}

/** The smaller of a and b elementwise (NaN if either is); at ties a and b share the gradient equally. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('minimum', a, b);
  return minimumOp({ a: ta, b: tb }, undefined);
}
