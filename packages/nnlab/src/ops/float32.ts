/**
 * The float32 variants of the transcendental ops' scalar functions (see withFloat32 in
 * ../autograd/scalar.ts): exp, log, tanh and sigmoid compute float32 tensors with the library's
 * float32 algorithms (../math/float32.ts), a whole array at a time in WebAssembly SIMD
 * (../kernels/vector.ts). float64 tensors keep the fdlibm ports.
 */
import { withFloat32 } from '../autograd/scalar.js';
import type { ScalarFunction } from '../autograd/scalar.js';
import { FLOAT32_FUNCTIONS, mapFloat32 } from '../kernels/vector.js';
import type { VectorFunction } from '../kernels/vector.js';

/** `f` (the float64 function) with `fn`'s float32 algorithm and kernel as its float32 variant. */
export function withFloat32Kernel<F extends ScalarFunction>(f: F, fn: VectorFunction): F {
  kernelOf.set(f, fn);
  return withFloat32(f, { scalar: FLOAT32_FUNCTIONS[fn], vector: (out, x, n) => mapFloat32(fn, out, x, n) });
}

const kernelOf = new WeakMap<ScalarFunction, VectorFunction>();

/** The float32 kernel withFloat32Kernel gave `f`, if any: what a fused epilogue may run instead of f. */
export function float32KernelOf(f: ScalarFunction): VectorFunction | undefined {
  return kernelOf.get(f);
}
