/**
 * Activation functions: sigmoid, tanh, ReLU, leaky ReLU, softplus, ELU, SiLU (scalar functions, see
 * defineElementwise), PReLU, softmax and log-softmax.
 *
 * An op defined with `activation` is one by name everywhere: `nn.Activation`, a dense layer's
 * `activation` (fused into the layer's one op), `nn.ACTIVATIONS` and the playground's menu.
 */
import { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { defineElementwise } from '../autograd/elementwise.js';
import { operands } from './elementwise.js';
import type { TensorLike } from '../tensor/tensor.js';
import * as math from '../math/index.js';
import { withFloat32Kernel } from './float32.js';
import { describeValue, expectTensor, tensorArgument } from '../tensor/arguments.js';

/** 1 / (1 + e^−x), computed without overflow for large |x|: the sigmoid op's scalar function. */
export const sigmoidValue = withFloat32Kernel(
  (x: number): number => (x >= 0 ? 1 / (1 + math.exp(-x)) : math.exp(x) / (1 + math.exp(x))),
  'sigmoid',
);

const sigmoidOp = defineElementwise<'x'>({
  name: 'sigmoid',
  inputs: ['x'],
  forward: sigmoidValue,
  // σ'(x) = y·(1 − y), from the saved output y.
  grad: { x: (g: number, _x: number, y: number) => g * y * (1 - y) },
  gradFromOutput: true,
  activation: { range: [0, 1] },
});

const tanhOp = defineElementwise<'x'>({
  name: 'tanh',
  inputs: ['x'],
  forward: withFloat32Kernel((x: number) => math.tanh(x), 'tanh'),
  // tanh'(x) = 1 − y², from the saved output y.
  grad: { x: (g: number, _x: number, y: number) => g * (1 - y * y) },
  gradFromOutput: true,
  activation: { range: [-1, 1] },
});

const reluOp = defineElementwise<'x'>({
  name: 'relu',
  inputs: ['x'],
  // NOTE: NaN stays NaN (as PyTorch and TensorFlow; x > 0 ? x : 0 would hide it) and −0 becomes 0.
  forward: (x: number) => (x <= 0 ? 0 : x),
  // NOTE: the derivative at exactly 0 is 0, as TensorFlow; from y as PyTorch's threshold_backward
  // (y <= 0 ? 0 : dy), so a NaN passes its gradient through. The same rule as gemm's epilogue.
  grad: { x: (g: number, _x: number, y: number) => (y <= 0 ? 0 : g) },
  gradFromOutput: true,
  activation: { label: 'ReLU' },
});

// NOTE: at exactly 0 the derivative is the slope (the x ≤ 0 branch), as TensorFlow does.
const leakyReluOp = defineElementwise<'x', number>({
  name: 'leakyRelu',
  inputs: ['x'],
  forward: (x: number, slope: number) => (x > 0 ? x : slope * x),
  grad: { x: (g: number, x: number, _y: number, slope: number) => g * (x > 0 ? 1 : slope) },
  activation: { label: 'leaky ReLU (0.01)', attrs: 0.01 },
});

// softplus(x) = ln(1 + e^x) = max(x, 0) + ln(1 + e^−|x|), which never overflows; its derivative is σ(x).
const softplusOp = defineElementwise<'x'>({
  name: 'softplus',
  inputs: ['x'],
  forward: (x: number) => Math.max(x, 0) + math.log1p(math.exp(-Math.abs(x))),
  grad: { x: (g: number, x: number) => g * (x >= 0 ? 1 / (1 + math.exp(-x)) : math.exp(x) / (1 + math.exp(x))) },
  activation: {},
});

const eluOp = defineElementwise<'x', number>({
  name: 'elu',
  inputs: ['x'],
  forward: (x: number, alpha: number) => (x > 0 ? x : alpha * math.expm1(x)),
  // NOTE: x <= 0 picks the exponential branch, so at NaN the gradient passes dy (as PyTorch).
  grad: { x: (g: number, x: number, y: number, alpha: number) => g * (x <= 0 ? y + alpha : 1) },
  activation: { label: 'ELU', attrs: 1 },
});

// silu(x) = x·σ(x) (also called swish); silu'(x) = σ(x)·(1 + x·(1 − σ(x))).
const siluOp = defineElementwise<'x'>({
  name: 'silu',
  inputs: ['x'],
  forward: (x: number) => x * sigmoidValue(x),
  grad: {
    x: (g: number, x: number) => {
      const s = sigmoidValue(x);
      return g * (s * (1 + x * (1 - s)));
    },
  },
  activation: { label: 'SiLU' },
});

/** The logistic function σ(x) = 1 / (1 + e^−x), in (0, 1); its gradient comes from the output, y·(1 − y). */
export const sigmoid = (x: Tensor): Tensor => sigmoidOp({ x: tensorArgument('sigmoid', x) }, undefined);
/** x·σ(x), smooth and non-monotonic below 0 (PyTorch's SiLU). */
export const silu = (x: Tensor): Tensor => siluOp({ x: tensorArgument('silu', x) }, undefined);
/** The hyperbolic tangent, in (−1, 1); its gradient comes from the output, 1 − y². */
export const tanh = (x: Tensor): Tensor => tanhOp({ x: tensorArgument('tanh', x) }, undefined);
/** max(0, x) (NaN stays NaN); the gradient at 0 is 0. */
export const relu = (x: Tensor): Tensor => reluOp({ x: tensorArgument('relu', x) }, undefined);
/** max(slope·x, x) for 0 ≤ slope ≤ 1 (default 0.01, the chapter's value). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new Error(`leakyRelu: slope must be a finite number, got ${describeValue(slope)}`);
  return leakyReluOp({ x: tensorArgument('leakyRelu', x) }, slope);
}
/** ln(1 + e^x), a smooth ReLU. */
export const softplus = (x: Tensor): Tensor => softplusOp({ x: tensorArgument('softplus', x) }, undefined);
/** x for x > 0, alpha·(e^x − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new Error(`elu: alpha must be a finite number, got ${describeValue(alpha)}`);
  return eluOp({ x: tensorArgument('elu', x) }, alpha);
}

const preluOp = defineElementwise<'x' | 'alpha'>({
  name: 'prelu',
  inputs: ['x', 'alpha'],
  forward: (v: number, a: number) => (v > 0 ? v : a * v),
  grad: {
    x: (g: number, v: number, a: number) => g * (v > 0 ? 1 : a),
    // The learned slope collects x·dy wherever x ≤ 0, summed over the positions it was broadcast to.
    alpha: (g: number, v: number) => (v > 0 ? 0 : g * v),
  },
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

/** (log) softmax of src along the middle axis of [outer, length, inner], into out, shifting by the maximum so exp never overflows. */
export function softmaxInto(src: FloatArray, out: FloatArray, [outer, length, inner]: readonly [number, number, number], log: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let max = -Infinity;
      for (let k = 0; k < length; k++) max = Math.max(max, src[base + k * inner]);
      if (max === -Infinity) max = 0; // all −Infinity: keep NaN out of x − max
      let total = 0;
      for (let k = 0; k < length; k++) total += math.exp(src[base + k * inner] - max);
      const logTotal = math.log(total);
      for (let k = 0; k < length; k++) {
        const shifted = src[base + k * inner] - max;
        out[base + k * inner] = log ? shifted - logTotal : math.exp(shifted - logTotal);
      }
    }
  }
}

/** logSoftmax's backward, dx = dy − e^y · Σ_axis dy, for y = logSoftmax(x) [outer, length, inner]. */
export function logSoftmaxGradInto(g: FloatArray, y: FloatArray, dx: FloatArray, [outer, length, inner]: readonly [number, number, number]): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let total = 0;
      for (let k = 0; k < length; k++) total += g[base + k * inner];
      for (let k = 0; k < length; k++) dx[base + k * inner] = g[base + k * inner] - math.exp(y[base + k * inner]) * total;
    }
  }
}

/** softmax's backward, dx = y ⊙ (dy − Σ_axis dy ⊙ y), for y = softmax(x) [outer, length, inner]. */
export function softmaxGradInto(g: FloatArray, y: FloatArray, dx: FloatArray, [outer, length, inner]: readonly [number, number, number]): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let dot = 0;
      for (let k = 0; k < length; k++) dot += g[base + k * inner] * y[base + k * inner];
      for (let k = 0; k < length; k++) dx[base + k * inner] = y[base + k * inner] * (g[base + k * inner] - dot);
    }
  }
}

/** softmax (log = false) or logSoftmax along the axis in attrs: row loops called as buffer functions. */
function softmaxOpOf(name: 'softmax' | 'logSoftmax', log: boolean) {
  const backward = log ? logSoftmaxGradInto : softmaxGradInto;
  return defineOp<'x', number>({
    name,
    inputs: ['x'],
    kernel: {
      shape: ({ x }) => x.shape,
      forward: (k, { x }, out, axis) => k.call(softmaxInto, [x, out, aroundAxis(x.shape, axis), log]),
      backward: (k, dy, { out, grads: { x: dx }, attrs: axis }) => {
        if (dx !== undefined) k.call(backward, [dy, out, dx, aroundAxis(out.shape, axis)]);
      },
    },
  });
}
const softmaxOp = softmaxOpOf('softmax', false);
const logSoftmaxOp = softmaxOpOf('logSoftmax', true);

/** e^x / Σ e^x along `axis` (default the last). Shifting x by a constant changes nothing. */
export function softmax(x: Tensor, axis = -1): Tensor {
  expectTensor('softmax', 'x', x);
  return softmaxOp({ x }, normalizeAxis('softmax', axis, x.shape));
}

/** ln softmax(x) along `axis` (default the last), computed as x − max − ln Σ e^(x − max). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  expectTensor('logSoftmax', 'x', x);
  return logSoftmaxOp({ x }, normalizeAxis('logSoftmax', axis, x.shape));
}
