/**
 * float32 exp, log, tanh and sigmoid over arrays (runs in Node and browsers): in WebAssembly SIMD
 * (wasm/vector-code.ts) from VECTOR_MIN_WASM values, else a JS loop over the same algorithm
 * (../math/float32.ts). The two agree bit for bit, so the engine and
 * setWasmGemmEnabled decide only the speed.
 *
 * wasm runs every size: the JS functions round every step with Math.fround, which V8 does not
 * fold (measured ~40 ns a value against ~1.5–2.5 ns in wasm), and a call with a handful of values
 * costs less than a few JS evaluations.
 */
import { expf, logf, sigmoidf, tanhf } from '../math/float32.js';
import { isWasmEnabled } from './backend.js';
import { createVectorMap } from './wasm/vector-runtime.js';
import type { VectorMap } from './wasm/vector-runtime.js';
import type { VectorFunction } from './wasm/vector-code.js';

export type { VectorFunction };


/** The JS functions the kernels reproduce, by name. */
export const FLOAT32_FUNCTIONS: Readonly<Record<VectorFunction, (x: number) => number>> = { exp: expf, log: logf, tanh: tanhf, sigmoid: sigmoidf };

// undefined = not built yet; null = this engine has no wasm SIMD.
let vectorMap: VectorMap | null | undefined;

/** out[i] = fn(x[i]) for i < n, in float32 (out may be x). */
export function mapFloat32(fn: VectorFunction, out: Float32Array, x: Float32Array, n: number): void {
  if (isWasmEnabled()) {
    if (vectorMap === undefined) vectorMap = createVectorMap();
    if (vectorMap !== null) {
      vectorMap(fn, out, x, n);
      return;
    }
  }
  const f = FLOAT32_FUNCTIONS[fn];
  for (let i = 0; i < n; i++) out[i] = f(x[i]);
}
