/**
 * linear(x, W, b, activation) = activation(x·W + b) as one op: what a dense layer computes.
 *
 * Fusing saves the intermediate tensors (x·W, then + b, then the activation) and their
 * gradients, which dominate the cost of small networks such as the chapter's 2-2-1 XOR net;
 * TensorFlow.js fuses the same way (`tf.fused.matMul`). Only activations whose derivative
 * follows from the output alone are fused.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate, promote } from '../tensor/dtype.js';
import type { FloatArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { epilogueGrad, gemm } from '../kernels/index.js';
import { sigmoidValue } from './activations.js';

export const FUSED_ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

const TRANS_A = { transA: true };
const TRANS_B = { transB: true };

/** Applies a fused activation to z in place (what linear does after x · W + b; captured steps and denseInto reuse it). */
export function activateInPlace(z: FloatArray, activation: FusedActivation): void {
  switch (activation) {
    case 'linear':
      return;
    case 'sigmoid':
      for (let i = 0; i < z.length; i++) z[i] = sigmoidValue(z[i]);
      return;
    case 'tanh':
      for (let i = 0; i < z.length; i++) z[i] = Math.tanh(z[i]);
      return;
    case 'relu':
      for (let i = 0; i < z.length; i++) z[i] = z[i] > 0 ? z[i] : 0;
      return;
  }
}

/**
 * dy ⊙ activation'(z), written from the output y: σ' = y(1 − y), tanh' = 1 − y², relu' = [y > 0];
 * and, into `sums` when given, its column sums (the bias gradient).
 */
function throughActivation(
  dy: Tensor, y: FloatArray, activation: FusedActivation, rows: number, cols: number, sums: FloatArray | null,
): FloatArray {
  const g = dy.data;
  if (activation === 'linear') {
    epilogueGrad(g, null, rows, cols, null, sums);
    return g;
  }
  const dz = allocate(dy.dtype, g.length);
  if (activation === 'relu') {
    // NOTE: y > 0 exactly when z > 0, so ReLU's gradient at 0 is 0 here too.
    epilogueGrad(g, y, rows, cols, dz, sums);
    return dz;
  }
  if (activation === 'sigmoid') for (let i = 0; i < g.length; i++) dz[i] = g[i] * y[i] * (1 - y[i]);
  else for (let i = 0; i < g.length; i++) dz[i] = g[i] * (1 - y[i] * y[i]);
  epilogueGrad(dz, null, rows, cols, null, sums);
  return dz;
}

const linearOp = defineOp<'x' | 'weight' | 'bias', FusedActivation>({
  name: 'linear',
  inputs: ['x', 'weight', 'bias'],
  forward: ({ x, weight, bias }, activation) => {
    const [n, k] = x.shape;
    const m = weight.shape[1];
    const out = allocate(x.dtype, n * m); // [n, m]
    // The bias (and ReLU) go into gemm's epilogue: in registers in the wasm kernel, else the
    // same loops after the product, so the numbers are those of adding and activating here.
    const relu = activation === 'relu';
    gemm(out, x.data, weight.data, n, k, m, relu ? { bias: bias.data, relu } : { bias: bias.data });
    if (!relu) activateInPlace(out, activation);
    return new Tensor(out, [n, m]);
  },
  // With dz = dy ⊙ activation'(z): dx = dz · Wᵀ, dW = xᵀ · dz, db = Σ_rows dz.
  backward: (dy, { inputs: { x, weight, bias }, out, attrs: activation, needs }) => {
    const [n, k] = x.shape;
    const m = weight.shape[1];
    const sums = needs.bias ? allocate(dy.dtype, m) : null;
    const dz = throughActivation(dy, out.data, activation, n, m, sums);
    let dx: Tensor | undefined;
    let dw: Tensor | undefined;
    let db: Tensor | undefined;
    if (needs.x) {
      dx = new Tensor(allocate(dy.dtype, n * k), x.shape);
      gemm(dx.data, dz, weight.data, n, m, k, TRANS_B);
    }
    if (needs.weight) {
      dw = new Tensor(allocate(dy.dtype, k * m), weight.shape);
      gemm(dw.data, x.data, dz, k, n, m, TRANS_A);
    }
    if (sums !== null) db = new Tensor(sums, bias.shape);
    return { x: dx, weight: dw, bias: db };
  },
});

/**
 * activation(x · W + b) for x [n, in], W [in, out] and b [out], giving [n, out]. `activation` is
 * 'linear' (none, the default), 'sigmoid', 'tanh' or 'relu'.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor, activation: FusedActivation = 'linear'): Tensor {
  if (x.rank !== 2 || weight.rank !== 2 || bias.rank !== 1 || x.shape[1] !== weight.shape[0] || bias.shape[0] !== weight.shape[1]) {
    throw new Error(
      `linear: needs x [n, in], weight [in, out] and bias [out], got x ${formatShape(x.shape)}, ` +
        `weight ${formatShape(weight.shape)} and bias ${formatShape(bias.shape)}`,
    );
  }
  if (!FUSED_ACTIVATIONS.includes(activation)) {
    throw new Error(`linear: activation must be one of ${FUSED_ACTIVATIONS.join(', ')}, got '${String(activation)}'`);
  }
  const dtype = promote(promote(x.dtype, weight.dtype), bias.dtype);
  return linearOp({ x: castTo(x, dtype), weight: castTo(weight, dtype), bias: castTo(bias, dtype) }, activation);
}

function castTo(t: Tensor, dtype: Tensor['dtype']): Tensor {
  return t.dtype === dtype ? t : t.cast(dtype);
}
