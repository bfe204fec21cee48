/**
 * linear(x, W, b, activation) = activation(x·W + b) as one op: what a dense layer computes.
 *
 * Fusing saves the intermediate tensors (x·W, then + b, then the activation) and their
 * gradients, which dominate the cost of small networks such as the chapter's 2-2-1 XOR net;
 * TensorFlow.js fuses the same way (`tf.fused.matMul`). Any activation op (an elementwise op
 * defined with `activation`, see activations.ts) fuses: its own scalar functions run on the
 * product, so a dense layer computes exactly what the activation op computes.
 */
import { Tensor } from '../tensor/tensor.js';
import { promote } from '../tensor/dtype.js';
import type { FloatArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { defineOp, registeredOps } from '../autograd/op.js';
import { writeGradient } from '../autograd/elementwise.js';
import type { ElementwiseRule } from '../autograd/elementwise.js';
import type { Buf } from '../autograd/kernel.js';
import { Read, loopFor } from '../autograd/scalar.js';
import { describeValue, expectTensor } from '../tensor/arguments.js';
import type { DType } from '../tensor/dtype.js';
import type { GemmActivation } from '../kernels/index.js';
import { float32KernelOf } from './float32.js';

/** A dense layer's activation: 'linear' (none) or the name of an activation op. */
export type FusedActivation = string;

/** The activation op named `name` (null for 'linear'); throws for a name that is not one. */
export function activationRule(owner: string, name: string): ElementwiseRule | null {
  if (name === 'linear') return null;
  if (name === lastActivation.name) return lastActivation.rule;
  const rule = registeredOps().get(name)?.elementwise;
  if (rule?.activation === undefined) {
    throw new Error(`${owner}: activation must be 'linear' or an activation op (${activationOpNames().join(', ')}), got '${String(name)}'`);
  }
  lastActivation = { name, rule };
  return rule;
}

/**
 * The activation found last (a layer asks for the same one at every call): ops are never
 * removed or redefined, so a name once found keeps its rule, and the registry lookup is skipped.
 */
let lastActivation: { name: string; rule: ElementwiseRule | null } = { name: 'linear', rule: null };

/** Whether `name` is 'linear' or an activation op: what linear (and so Dense) fuses. */
export function isFusedActivation(name: string): boolean {
  return name === 'linear' || name === lastActivation.name || registeredOps().get(name)?.elementwise?.activation !== undefined;
}

/** The activation ops, in the order they were defined. */
export function activationOpNames(): string[] {
  return [...registeredOps().values()].filter((op) => op.elementwise?.activation !== undefined).map((op) => op.name);
}

const SAME = [Read.Same];
const NO_INDEX: (Int32Array | null)[] = [];

/** Applies an activation to values in place, by the op's own loop (what linear does after x·W + b). */
export function activateInPlace(values: FloatArray, activation: FusedActivation): void {
  const rule = activationRule('activateInPlace', activation);
  if (rule !== null) loopFor(rule.forward, SAME)(values, values.length, [values], NO_INDEX, rule.activation?.attrs);
}

/**
 * The activation gemm can apply in its epilogue for a layer of `dtype` (float32's tanh or sigmoid
 * kernel: the bits the activation op's own float32 map gives), or undefined. Only activations
 * whose gradient reads the output: the pre-activation value is never kept.
 */
export function epilogueActivation(rule: ElementwiseRule | null, dtype: DType | undefined): GemmActivation | undefined {
  if (dtype !== 'float32' || rule === null || !rule.gradFromOutput) return undefined;
  const kernel = float32KernelOf(rule.forward);
  return kernel === 'tanh' || kernel === 'sigmoid' ? kernel : undefined;
}

const TRANS_A = { transA: true };
const TRANS_B = { transB: true };

/** x·W + b, kept for the backward pass when the activation's gradient reads it (else nothing is saved). */
type LinearSaved = { z: Buf | null } | undefined;

const linearOp = defineOp<'x' | 'weight' | 'bias', FusedActivation, LinearSaved>({
  name: 'linear',
  inputs: ['x', 'weight', 'bias'],
  kernel: {
    shape: ({ x, weight }) => [x.shape[0], weight.shape[1]], // [n, m]
    saved: (_inputs, activation) => (activationRule('linear', activation)?.gradFromOutput === false ? { z: null } : undefined),
    forward: (k, { x, weight, bias }, y, activation, saved) => {
      const [n, inner] = x.shape;
      const m = weight.shape[1];
      const rule = activationRule('linear', activation);
      // The bias (and ReLU, or float32's tanh or sigmoid) go into gemm's epilogue: in the wasm
      // kernel while each tile is hot, else the same loops after the product. NOTE: the
      // epilogue's ReLU is relu's own rule (x <= 0 ? 0 : x).
      const fused = epilogueActivation(rule, k.dtype);
      if (fused !== undefined) {
        k.gemm(y, x, weight, n, inner, m, { bias, activation: fused });
        return;
      }
      if (rule === null || activation === 'relu') {
        k.gemm(y, x, weight, n, inner, m, { bias, relu: activation === 'relu' });
        return;
      }
      const z = saved === undefined ? y : (saved.z = k.scratch(y.shape));
      k.gemm(z, x, weight, n, inner, m, { bias });
      k.map(y, rule.forward, [z], rule.activation?.attrs);
    },
    // With dz = dy ⊙ activation'(z): dx = dz · Wᵀ, dW = xᵀ · dz, db = Σ_rows dz.
    backward: (k, dy, { inputs: { x, weight }, out: y, grads: { x: dx, weight: dw, bias: db }, attrs: activation, saved }) => {
      const [n, inner] = x.shape;
      const m = weight.shape[1];
      const rule = activationRule('linear', activation);
      let dz = dy;
      if (activation === 'relu') {
        // gemm's epilogue backward: dz = y <= 0 ? 0 : dy (relu's own gradient rule), and the column sums.
        dz = k.scratch(y.shape);
        k.epilogueGrad(dy, y, n, m, dz, db ?? null);
      } else {
        if (rule !== null) {
          dz = k.scratch(y.shape);
          writeGradient(k, rule.grad.x!, dz, [dy, saved?.z ?? y, y], y, rule.activation?.attrs);
        }
        if (db !== undefined) k.epilogueGrad(dz, null, n, m, null, db);
      }
      if (dx !== undefined) k.gemm(dx, dz, weight, n, m, inner, TRANS_B);
      if (dw !== undefined) k.gemm(dw, x, dz, inner, n, m, TRANS_A);
    },
  },
});

/**
 * activation(x · W + b) for x [n, in], W [in, out] and b [out], giving [n, out]. `activation` is
 * 'linear' (none, the default) or an activation op's name ('sigmoid', 'tanh', 'relu', …).
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor, activation: FusedActivation = 'linear'): Tensor {
  if (!(x instanceof Tensor && weight instanceof Tensor && bias instanceof Tensor)) {
    expectTensor('linear', 'x', x);
    expectTensor('linear', 'weight', weight);
    expectTensor('linear', 'bias', bias);
  }
  if (x.rank !== 2 || weight.rank !== 2 || bias.rank !== 1 || x.shape[1] !== weight.shape[0] || bias.shape[0] !== weight.shape[1]) {
    throw new Error(
      `linear: needs x [n, in], weight [in, out] and bias [out], got x ${formatShape(x.shape)}, ` +
        `weight ${formatShape(weight.shape)} and bias ${formatShape(bias.shape)}`,
    );
  }
  if (typeof activation !== 'string') throw new Error(`linear: activation must be an activation's name ('relu', 'sigmoid', …), got ${describeValue(activation)}`);
  activationRule('linear', activation);
  const dtype = promote(promote(x.dtype, weight.dtype), bias.dtype);
  return linearOp({ x: castTo(x, dtype), weight: castTo(weight, dtype), bias: castTo(bias, dtype) }, activation);
}

function castTo(t: Tensor, dtype: Tensor['dtype']): Tensor {
  return t.dtype === dtype ? t : t.cast(dtype);
}
