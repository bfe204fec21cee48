/** Activation functions: sigmoid, tanh, ReLU, leaky ReLU, PReLU, softplus, ELU, softmax, log-softmax. */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { FloatArray } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { defineUnary } from './unary.js';
import { mapBinary, operands, sumToShape } from './elementwise.js';
import type { TensorLike } from '../tensor/tensor.js';

/** 1 / (1 + e^−x), computed without overflow for large |x|. */
export function sigmoidValue(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/*
 * Sigmoid, tanh and ReLU, the activations every network runs, get loops of their own rather
 * than defineUnary's shared loop: once a loop has called several different functions, V8 stops
 * inlining Math.exp / Math.tanh into it, which measured twice as slow for tanh.
 */
const sigmoidOp = defineOp<'x'>({
  name: 'sigmoid',
  inputs: ['x'],
  forward: ({ x }) => {
    const src = x.data;
    const y = allocate(x.dtype, src.length);
    for (let i = 0; i < src.length; i++) y[i] = sigmoidValue(src[i]);
    return new Tensor(y, x.shape);
  },
  // σ'(x) = y·(1 − y), from the saved output y.
  backward: (dy, { out }) => {
    const g = dy.data;
    const y = out.data;
    const dx = allocate(dy.dtype, g.length);
    for (let i = 0; i < g.length; i++) dx[i] = g[i] * y[i] * (1 - y[i]);
    return { x: new Tensor(dx, dy.shape) };
  },
});

const tanhOp = defineOp<'x'>({
  name: 'tanh',
  inputs: ['x'],
  forward: ({ x }) => {
    const src = x.data;
    const y = allocate(x.dtype, src.length);
    for (let i = 0; i < src.length; i++) y[i] = Math.tanh(src[i]);
    return new Tensor(y, x.shape);
  },
  // tanh'(x) = 1 − y², from the saved output y.
  backward: (dy, { out }) => {
    const g = dy.data;
    const y = out.data;
    const dx = allocate(dy.dtype, g.length);
    for (let i = 0; i < g.length; i++) dx[i] = g[i] * (1 - y[i] * y[i]);
    return { x: new Tensor(dx, dy.shape) };
  },
});

const reluOp = defineOp<'x'>({
  name: 'relu',
  inputs: ['x'],
  forward: ({ x }) => {
    const src = x.data;
    const y = allocate(x.dtype, src.length);
    for (let i = 0; i < src.length; i++) y[i] = src[i] > 0 ? src[i] : 0;
    return new Tensor(y, x.shape);
  },
  // NOTE: ReLU's derivative at exactly 0 is taken as 0, as TensorFlow does.
  backward: (dy, { inputs: { x } }) => {
    const g = dy.data;
    const src = x.data;
    const dx = allocate(dy.dtype, g.length);
    for (let i = 0; i < g.length; i++) dx[i] = src[i] > 0 ? g[i] : 0;
    return { x: new Tensor(dx, dy.shape) };
  },
});
// NOTE: at exactly 0 the derivative is the slope (the x ≤ 0 branch), as TensorFlow does.
const leakyReluOp = defineUnary<number>('leakyRelu', (x, slope) => (x > 0 ? x : slope * x), (x, _y, slope) => (x > 0 ? 1 : slope));
// softplus(x) = ln(1 + e^x) = max(x, 0) + ln(1 + e^−|x|), which never overflows.
const softplusOp = defineUnary('softplus', (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), (x) => sigmoidValue(x));
const eluOp = defineUnary<number>('elu', (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)), (x, y, alpha) => (x > 0 ? 1 : y + alpha));

export const sigmoid = (x: Tensor): Tensor => sigmoidOp({ x }, undefined);
export const tanh = (x: Tensor): Tensor => tanhOp({ x }, undefined);
/** max(0, x); the gradient at 0 is 0. */
export const relu = (x: Tensor): Tensor => reluOp({ x }, undefined);
/** max(slope·x, x) for 0 ≤ slope ≤ 1 (default 0.01, the chapter's value). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  if (!Number.isFinite(slope)) throw new Error(`leakyRelu: slope must be a finite number, got ${slope}`);
  return leakyReluOp({ x }, slope);
}
/** ln(1 + e^x), a smooth ReLU. */
export const softplus = (x: Tensor): Tensor => softplusOp({ x }, undefined);
/** x for x > 0, alpha·(e^x − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  if (!Number.isFinite(alpha)) throw new Error(`elu: alpha must be a finite number, got ${alpha}`);
  return eluOp({ x }, alpha);
}

const preluOp = defineOp<'x' | 'alpha'>({
  name: 'prelu',
  inputs: ['x', 'alpha'],
  forward: ({ x, alpha }) => mapBinary('prelu', x, alpha, (v, a) => (v > 0 ? v : a * v)),
  backward: (dy, { inputs: { x, alpha }, needs }) => ({
    x: needs.x ? sumToShape(mapBinary('prelu', dy, mapBinary('prelu', x, alpha, (v, a) => (v > 0 ? 1 : a)), (g, d) => g * d), x.shape) : undefined,
    // The learned slope collects x·dy wherever x ≤ 0, summed over the positions it was broadcast to.
    alpha: needs.alpha ? sumToShape(mapBinary('prelu', dy, x, (g, v) => (v > 0 ? 0 : g * v)), alpha.shape) : undefined,
  }),
});

/** Parametric ReLU: x for x > 0, alpha·x otherwise, with alpha a (learnable) tensor broadcast against x. */
export function prelu(x: TensorLike, alpha: TensorLike): Tensor {
  const [tx, ta] = operands('prelu', x, alpha);
  return preluOp({ x: tx, alpha: ta }, undefined);
}

/** Splits a shape around `axis` into (outer, length, inner) for loops along one axis. */
export function aroundAxis(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis], inner];
}

/** Writes log-softmax (or softmax) along an axis, shifting by the maximum so exp never overflows. */
function softmaxKernel(x: Tensor, axis: number, log: boolean): Tensor {
  const out = allocate(x.dtype, x.data.length);
  softmaxInto(x.data, out, aroundAxis(x.shape, axis), log);
  return new Tensor(out, x.shape);
}

/**
 * (log) softmax of src along the middle axis of [outer, length, inner], into out: the op's
 * forward, shared with captured steps' replay (src/capture/kernels.ts) so both round alike.
 */
export function softmaxInto(src: FloatArray, out: FloatArray, [outer, length, inner]: readonly [number, number, number], log: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let max = -Infinity;
      for (let k = 0; k < length; k++) max = Math.max(max, src[base + k * inner]);
      if (max === -Infinity) max = 0; // all −Infinity: keep NaN out of x − max
      let total = 0;
      for (let k = 0; k < length; k++) total += Math.exp(src[base + k * inner] - max);
      const logTotal = Math.log(total);
      for (let k = 0; k < length; k++) {
        const shifted = src[base + k * inner] - max;
        out[base + k * inner] = log ? shifted - logTotal : Math.exp(shifted - logTotal);
      }
    }
  }
}

/** logSoftmax's backward, dx = dy − e^y · Σ_axis dy, for y = logSoftmax(x) [outer, length, inner]; shared like softmaxInto. */
export function logSoftmaxGradInto(g: FloatArray, y: FloatArray, dx: FloatArray, [outer, length, inner]: readonly [number, number, number]): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let total = 0;
      for (let k = 0; k < length; k++) total += g[base + k * inner];
      for (let k = 0; k < length; k++) dx[base + k * inner] = g[base + k * inner] - Math.exp(y[base + k * inner]) * total;
    }
  }
}

const softmaxOp = defineOp<'x', number>({
  name: 'softmax',
  inputs: ['x'],
  forward: ({ x }, axis) => softmaxKernel(x, axis, false),
  // dx = y ⊙ (dy − Σ_axis dy ⊙ y)
  backward: (dy, { out, attrs: axis }) => {
    const [outer, length, inner] = aroundAxis(out.shape, axis);
    const y = out.data;
    const g = dy.data;
    const dx = allocate(dy.dtype, g.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        let dot = 0;
        for (let k = 0; k < length; k++) dot += g[base + k * inner] * y[base + k * inner];
        for (let k = 0; k < length; k++) dx[base + k * inner] = y[base + k * inner] * (g[base + k * inner] - dot);
      }
    }
    return { x: new Tensor(dx, dy.shape) };
  },
});

const logSoftmaxOp = defineOp<'x', number>({
  name: 'logSoftmax',
  inputs: ['x'],
  forward: ({ x }, axis) => softmaxKernel(x, axis, true),
  // dx = dy − softmax(x) · Σ_axis dy, with softmax(x) = e^y
  backward: (dy, { out, attrs: axis }) => {
    const dx = allocate(dy.dtype, dy.data.length);
    logSoftmaxGradInto(dy.data, out.data, dx, aroundAxis(out.shape, axis));
    return { x: new Tensor(dx, dy.shape) };
  },
});

/** e^x / Σ e^x along `axis` (default the last). Shifting x by a constant changes nothing. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxOp({ x }, normalizeAxis('softmax', axis, x.shape));
}

/** ln softmax(x) along `axis` (default the last), computed as x − max − ln Σ e^(x − max). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return logSoftmaxOp({ x }, normalizeAxis('logSoftmax', axis, x.shape));
}
