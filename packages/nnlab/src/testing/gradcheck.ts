/**
 * Numeric gradient checking: compares the full Jacobian that backpropagation gives with the one
 * central differences give, (f(x + h) − f(x − h)) / 2h, in float64. Exported so that users can
 * check ops and models of their own the same way the test suite checks nnlab's.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, stridesOf } from '../tensor/shape.js';
import { noGrad } from '../autograd/mode.js';

/** Options of {@link gradcheck} and {@link assertGradients}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
  /** Indices of the inputs to check (default all). */
  wrt?: readonly number[];
}

/** One Jacobian entry where the analytic and numeric gradients disagree. */
export interface GradcheckMismatch {
  /** The position of the input in `inputs`. */
  input: number;
  /** Multi-index of the input element. */
  inputIndex: number[];
  /** Multi-index of the output element. */
  outputIndex: number[];
  /** ∂output/∂input from the backward pass. */
  analytic: number;
  /** The same entry by central differences. */
  numeric: number;
}

/** What {@link gradcheck} found. */
export interface GradcheckResult {
  /** Whether every entry agrees within atol + rtol·|numeric|. */
  ok: boolean;
  /** The largest |analytic − numeric| over every Jacobian entry. */
  maxAbsError: number;
  /** Every entry that disagrees. */
  mismatches: GradcheckMismatch[];
}

function unflatten(flat: number, shape: readonly number[]): number[] {
  return stridesOf(shape).map((stride, axis) => Math.floor(flat / stride) % shape[axis]);
}

/**
 * Checks ∂f/∂inputs[i] for every input (float64 tensors; f may return any shape). Returns the
 * comparison; `assertGradients` throws on mismatch instead.
 */
export function gradcheck(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const { eps = 1e-6, atol = 1e-6, rtol = 1e-4 } = options;
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  inputs.forEach((x, i) => {
    if (wrt.includes(i) && x.dtype !== 'float64') {
      throw new Error(`gradcheck: input ${i} is ${x.dtype}; central differences need float64 inputs`);
    }
  });
  const leaves = inputs.map((x, i) => {
    const copy = x.clone();
    return wrt.includes(i) ? copy.requireGrad() : copy;
  });
  const output = f(...leaves);
  const outSize = output.size;

  // Analytic Jacobian, one backward pass per output element (seed = that basis vector).
  const analytic = wrt.map((i) => allocate('float64', outSize * leaves[i].size));
  for (let o = 0; o < outSize; o++) {
    leaves.forEach((leaf) => (leaf.grad = null));
    const seedData = allocate(output.dtype, outSize);
    seedData[o] = 1;
    const out = o === 0 ? output : f(...leaves);
    if (out.requiresGrad) out.backward(new Tensor(seedData, out.shape));
    wrt.forEach((i, k) => {
      const g = leaves[i].grad;
      for (let j = 0; j < leaves[i].size; j++) analytic[k][o * leaves[i].size + j] = g === null ? 0 : g.data[j];
    });
  }

  // Numeric Jacobian by central differences.
  const mismatches: GradcheckMismatch[] = [];
  let maxAbsError = 0;
  noGrad(() => {
    wrt.forEach((i, k) => {
      const data = leaves[i].data;
      for (let j = 0; j < data.length; j++) {
        const original = data[j];
        data[j] = original + eps;
        // Copies: f's output may share the input's storage (reshape does), and data[j] is restored below.
        const plus = f(...leaves).data.slice();
        data[j] = original - eps;
        const minus = f(...leaves).data.slice();
        data[j] = original;
        for (let o = 0; o < outSize; o++) {
          const numeric = (plus[o] - minus[o]) / (2 * eps);
          const a = analytic[k][o * data.length + j];
          const error = Math.abs(a - numeric);
          maxAbsError = Math.max(maxAbsError, Number.isNaN(error) ? Infinity : error);
          if (!(error <= atol + rtol * Math.abs(numeric))) {
            mismatches.push({ input: i, inputIndex: unflatten(j, leaves[i].shape), outputIndex: unflatten(o, output.shape), analytic: a, numeric });
          }
        }
      }
    });
  });
  return { ok: mismatches.length === 0, maxAbsError, mismatches };
}

/** Like `gradcheck`, but throws an error listing the first mismatches. `name` labels the message. */
export function assertGradients(name: string, f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): void {
  const result = gradcheck(f, inputs, options);
  if (result.ok) return;
  const lines = result.mismatches.slice(0, 5).map(
    (m) =>
      `  input ${m.input} ${formatShape(inputs[m.input].shape)} at [${m.inputIndex.join(', ')}], output at [${m.outputIndex.join(', ')}]: ` +
      `backprop ${m.analytic}, central difference ${m.numeric}`,
  );
  throw new Error(`gradcheck '${name}': ${result.mismatches.length} Jacobian entries differ:\n${lines.join('\n')}`);
}
