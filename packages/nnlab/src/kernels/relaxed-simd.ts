/**
 * Whether the engine runs relaxed SIMD, whose `f32x4.relaxed_madd` is a fused multiply-add:
 * twice the matmul kernel's throughput here (mul and add otherwise issue as two ops), rounding
 * once per multiply-add instead of twice.
 *
 * Chromium ≥ 114 and Node ≥ 21 ship it. Node 20's V8 (11.3) has the complete implementation
 * behind `--experimental-wasm-relaxed-simd`, the last version before it shipped; there nnlab
 * turns that flag on itself (V8 reads wasm feature flags when it validates a module, so setting
 * it at run time takes effect for modules built afterwards, in every thread). Without that, the
 * same laptop would compute products with FMA in the browser and without it in Node: one more
 * way for a seed to give different last bits in the two. NNLAB_WASM_FMA=0 (or
 * `setWasmGemmFma(false)`) leaves the flag alone and keeps the mul+add kernel.
 *
 * Runs in Node and browsers; only in Node 20 does it change anything.
 */
import { nodeBuiltin, nodeProcess } from './platform.js';

/** V8 versions that implement relaxed SIMD but ship it disabled (Node 20). */
const FLAGGED_V8 = /^11\.3\./;
const FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Validates `probe` (a module using relaxed SIMD); where it fails on a V8 that has relaxed SIMD
 * behind a flag, sets the flag and validates again. Returns whether the engine accepts it.
 */
export function enableRelaxedSimd(probe: Uint8Array<ArrayBuffer>): boolean {
  if (typeof WebAssembly !== 'object') return false;
  if (WebAssembly.validate(probe)) return true;
  const v8Version = nodeProcess()?.versions.v8;
  if (v8Version === undefined || !FLAGGED_V8.test(v8Version)) return false;
  const v8 = nodeBuiltin<typeof import('node:v8')>('node:v8');
  if (v8 === undefined) return false;
  try {
    v8.setFlagsFromString(FLAG);
  } catch {
    return false;
  }
  return WebAssembly.validate(probe);
}
