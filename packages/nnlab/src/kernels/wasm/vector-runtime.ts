/**
 * The host side of the float32 exp/log/tanh/sigmoid kernels (runs in Node and browsers): their
 * own small wasm modules (vector-code.ts) over one memory, apart from the GEMM's, so an elementwise
 * map never grows or moves the memory a product or a captured step has staged its data in.
 * Values go through a fixed window of that memory, a chunk at a time.
 */
import { encodeModule } from './encoder.js';
import { buildVectorMap, VECTOR_MAP_STEP } from './vector-code.js';
import type { VectorFunction } from './vector-code.js';

/** Values per chunk: 256 KiB, a quarter of a typical L2, in and out of the same window. */
const CHUNK = 65536;
const PAGES = (CHUNK * 4) / 65536;

/** Up to this many values are copied by a loop. */
const SMALL = 16;

type MapExport = (ptr: number, bytes: number) => void;

/** fn over float32 arrays through wasm: out[i] = fn(x[i]) for i < n (out may be x). */
export type VectorMap = (fn: VectorFunction, out: Float32Array, x: Float32Array, n: number) => void;

/**
 * One function's module: `fn(ptr, bytes)` in place. One module per function, each ~1.7 KB, so
 * every one compiles synchronously even where an engine caps that at 4 KB on a page's main
 * thread (older Chromium), and only the functions a program uses are compiled.
 */
export function buildVectorModule(fn: VectorFunction): Uint8Array<ArrayBuffer> {
  return encodeModule([buildVectorMap(fn)], { shared: false, maxPages: PAGES });
}

/** Compiles the kernels as they are first used, or returns null where the engine has no wasm SIMD. */
export function createVectorMap(): VectorMap | null {
  if (typeof WebAssembly !== 'object') return null;
  let memory: WebAssembly.Memory;
  try {
    if (!WebAssembly.validate(buildVectorModule('exp'))) return null;
    memory = new WebAssembly.Memory({ initial: PAGES });
  } catch {
    return null;
  }
  const window = new Float32Array(memory.buffer);
  const calls: Partial<Record<VectorFunction, MapExport>> = {};
  const compile = (fn: VectorFunction): MapExport =>
    new WebAssembly.Instance(new WebAssembly.Module(buildVectorModule(fn)), { env: { memory } }).exports[fn] as MapExport;
  return (fn, out, x, n) => {
    const call = (calls[fn] ??= compile(fn));
    if (n <= SMALL) {
      // NOTE: a loop, not set/subarray: for a dense layer's few values the views cost more than the copy.
      for (let i = 0; i < n; i++) window[i] = x[i];
      call(0, Math.ceil((n * 4) / VECTOR_MAP_STEP) * VECTOR_MAP_STEP);
      for (let i = 0; i < n; i++) out[i] = window[i];
      return;
    }
    for (let start = 0; start < n; start += CHUNK) {
      const size = Math.min(CHUNK, n - start);
      window.set(x.subarray(start, start + size));
      // The last vector's spare lanes compute on whatever the window held: never read.
      call(0, Math.ceil((size * 4) / VECTOR_MAP_STEP) * VECTOR_MAP_STEP);
      out.set(window.subarray(0, size), start);
    }
  };
}
