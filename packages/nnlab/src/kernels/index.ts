/**
 * The kernels' surface for the rest of nnlab (runs in Node and browsers): what ops, layers,
 * optimisers, the capture and the benchmarks import. The rooms behind it:
 *   gemm.ts         the GEMM dispatcher (tiny loop / wasm / plain JS) and its size thresholds
 *   gemm-js.ts      the plain-JS GEMM kernels
 *   epilogue.ts     bias, ReLU and row max |value| in JS: the reference the wasm epilogue matches
 *   vector.ts       float32 exp, log, tanh, sigmoid over arrays (mapFloat32), which gemm's
 *                   epilogue also applies
 *   elementwise.ts  the epilogue's backward (ReLU mask, bias row sums) and the SGD update
 *   backend.ts      which kernel runs: the realm's wasm instance (and its resident arrays, which the
 *                   kernels use in place) and thread pool, and the switches
 *   platform.ts     the one place that asks "Node or browser?"
 *   relaxed-simd.ts turning on Node 20's relaxed-SIMD flag for the FMA kernel
 *   wasm/           encoder (bytes, opcodes), gemm-code, column-code (n = 1), tile-map-code (the
 *                   epilogue's tanh and sigmoid), elementwise-code and vector-code (code
 *                   generation), module (the GEMM's module and its tile maps'), task (a
 *                   product's slots and splits),
 *                   memory (growth, views, resident blocks), runtime (instantiate, call the
 *                   GEMM), elementwise-runtime and vector-runtime (their calls)
 *   threads/        protocol (control block, worker source), hosts (Node / Web Workers), pool
 */
export { gemm, TINY_MAX_WORK, WASM_MIN_WORK, THREAD_MIN_WORK } from './gemm.js';
export type { FloatArray, GemmActivation, GemmOptions } from './gemm.js';
export { epilogueGrad, wasmSgd, WASM_MIN_GRAD, WASM_MIN_UPDATE } from './elementwise.js';
export { RESIDENT_MIN, residentBuffer } from './resident.js';
export {
  borrowResident, gemmThreads, gemmThreadsReady, giveBackResident, hasRelaxedSimd, isResidentArray, isWasmGemmAvailable, residentArray, setGemmThreads,
  setWasmGemmEnabled, setWasmGemmFma,
} from './backend.js';
