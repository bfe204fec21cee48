/**
 * The elementwise kernels around a dense layer (run in Node and browsers): the backward of the
 * GEMM epilogue (ReLU mask and bias-gradient row sums) and the SGD parameter update. Each runs
 * its float32 work in the wasm module (wasm/elementwise-code.ts) from a size where that pays,
 * bit-identical to the JS loop beside it (epilogueGrad) or in optim/sgd.ts (wasmSgd).
 */
import type { FloatArray } from '../tensor/dtype.js';
import { threadPool, wasmKernel } from './backend.js';
import { SGD_PART_FLOATS } from './wasm/task.js';

/** From this many elements, a float32 epilogueGrad runs in wasm (below, the copies cost more). */
export const WASM_MIN_GRAD = 1024;

/**
 * The backward of gemm's epilogue for a [rows×cols] gradient dy: dz = relu ? (y <= 0 ? 0 : dy)
 * : dy into `dz` (when given; NOTE: ReLU's gradient at 0 is 0, and a NaN output passes dy, as
 * PyTorch's threshold_backward does), and
 * sums[j] = Σ_rows dz[row, j] into `sums` (when given; summed row after row). float32 from
 * WASM_MIN_GRAD elements runs in wasm, bit-identical to the JS loops here.
 */
export function epilogueGrad(
  dy: FloatArray, y: FloatArray | null, rows: number, cols: number,
  dz: FloatArray | null, sums: FloatArray | null,
): void {
  if (rows === 0 || cols === 0) return;
  if (
    rows * cols >= WASM_MIN_GRAD && dy instanceof Float32Array &&
    (y === null || y instanceof Float32Array) && (dz === null || dz instanceof Float32Array) &&
    (sums === null || sums instanceof Float32Array)
  ) {
    const kernel = wasmKernel();
    if (kernel !== null && kernel.gradRows(dy, y, dz, sums, rows, cols)) return;
  }
  if (dz !== null) {
    if (y === null) dz.set(dy.subarray(0, rows * cols));
    else for (let i = 0; i < rows * cols; i++) dz[i] = y[i] <= 0 ? 0 : dy[i];
  }
  const g = dz ?? dy;
  if (sums !== null) {
    sums.fill(0, 0, cols);
    for (let row = 0, at = 0; row < rows; row++) for (let j = 0; j < cols; j++, at++) sums[j] += g[at];
  }
}

/**
 * float32 parameters from this many values update in wasm (see wasmSgd). Measured here: the JS
 * loop runs ~2–3 ns a value; wasm (float64 lanes) plus copying θ, g (and acc) in and out
 * ~1 ns; below a few thousand values the call overhead is the bigger part.
 */
export const WASM_MIN_UPDATE = 4096;

/**
 * From this many values, wasmSgd splits the update over the kernel's threads (ranges of at least
 * SGD_PART_FLOATS each, see wasm/task.ts): two parts' worth.
 */
export const THREAD_MIN_UPDATE = 2 * SGD_PART_FLOATS;

/**
 * Plain SGD's step θ −= lr·g (optim/sgd.ts's loop without momentum): wasmSgd where it runs, else
 * the loop, bit-identical. gemm's `update` ends here when it cannot go into the product.
 */
export function sgdStep(theta: FloatArray, g: FloatArray, lr: number): void {
  if (wasmSgd(theta, g, null, lr, 0, false)) return;
  for (let i = 0; i < theta.length; i++) theta[i] -= lr * g[i];
}

/**
 * Gradient descent on float32 parameters in wasm, bit-identical to optim/sgd.ts's JS loop (the
 * same double operations, see buildSgd in wasm/elementwise-code.ts). Returns false, changing
 * nothing, when the arrays are small, not float32, or wasm is unavailable: the caller's JS loop
 * then runs.
 */
export function wasmSgd(theta: FloatArray, g: FloatArray, acc: FloatArray | null, lr: number, momentum: number, nesterov: boolean): boolean {
  if (theta.length < WASM_MIN_UPDATE || !(theta instanceof Float32Array) || !(g instanceof Float32Array)) return false;
  if (acc !== null && !(acc instanceof Float32Array)) return false;
  const kernel = wasmKernel();
  return kernel !== null && kernel.sgd(theta, g, acc, lr, momentum, nesterov, theta.length >= THREAD_MIN_UPDATE ? threadPool() : null);
}
