/**
 * The GEMM epilogue in plain JS (runs in Node and browsers): bias and ReLU on a product, and each
 * row's largest |value|. It is the reference: the wasm kernel's fused epilogue
 * (wasm/gemm-code.ts) and rowMaxAbs (wasm/elementwise-code.ts) reproduce it bit for bit, and
 * gemm (after the JS kernels) and the wasm runtime (when it cannot fuse, see wasm/runtime.ts) run
 * it themselves. Imports nothing, so every kernel file may use it.
 */

/**
 * out[i, j] += bias[j], then ReLU (x <= 0 ? 0 : x: −0 becomes +0, NaN stays NaN, as PyTorch's
 * relu), over the m×n block at outOffset: the reference epilogue, which the wasm one reproduces
 * bit for bit.
 */
export function applyBiasRelu(
  out: Float32Array | Float64Array, outOffset: number, m: number, n: number,
  bias: Float32Array | Float64Array | null, relu: boolean,
): void {
  if (bias !== null) {
    for (let i = 0, at = outOffset; i < m; i++) for (let j = 0; j < n; j++, at++) out[at] += bias[j];
  }
  if (relu) {
    for (let i = outOffset, end = outOffset + m * n; i < end; i++) out[i] = out[i] <= 0 ? 0 : out[i];
  }
}

/**
 * target[i] = the largest |value| of row i of the m×n block at outOffset, 0 if none: the
 * reference the wasm rowMaxAbs reproduces (max is exact, so order does not matter). NOTE: NaN is
 * ignored, unlike ReLU, on purpose: this is a heat map's colour scale, where one NaN unit must
 * not blank the row's scale; the NaN itself still reaches the result.
 */
export function rowMaxAbsOf(
  out: Float32Array | Float64Array, outOffset: number, m: number, n: number, target: Float32Array | Float64Array,
): void {
  for (let i = 0; i < m; i++) target[i] = largestAbs(out, outOffset + i * n, outOffset + (i + 1) * n);
}

/** The largest |value| of values[start, end), 0 if none; NaN never compares larger. */
export function largestAbs(values: Float32Array | Float64Array, start: number, end: number): number {
  let largest = 0;
  for (let i = start; i < end; i++) {
    const v = Math.abs(values[i]);
    largest = v > largest ? v : largest;
  }
  return largest;
}
