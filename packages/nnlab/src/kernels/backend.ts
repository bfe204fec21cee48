/**
 * Which float32 kernel runs, per realm (runs in Node and browsers; one state per main thread or
 * worker): the lazily built wasm instance (wasm/runtime.ts) and its resident arrays, the thread
 * pool (threads/pool.ts), and the switches that choose them: setWasmGemmEnabled, setGemmThreads
 * (default NNLAB_THREADS or the cores, up to 4) and setWasmGemmFma (default NNLAB_WASM_FMA, else
 * on where the engine has relaxed SIMD). gemm.ts and elementwise.ts ask here for a kernel and a pool.
 *
 * NNLAB_THREADS is read when threads are first needed, not when nnlab loads: a bad value
 * (`NNLAB_THREADS=banana`) lets `import 'nnlab'` succeed and throws its error from the first
 * call that needs the thread count: the first float32 product large enough for wasm,
 * gemmThreads() or gemmThreadsReady(). Every such call throws it again until setGemmThreads(n)
 * sets a count; float64 and tiny products, which never use threads, are not affected.
 */
import { availableCores, environmentVariable } from './platform.js';
import { canUseGemmThreads, defaultGemmThreads } from './threads/hosts.js';
import { GemmThreads } from './threads/pool.js';
import { enableRelaxedSimd } from './relaxed-simd.js';
import { DEFAULT_WASM_GEMM_CONFIG } from './wasm/gemm-code.js';
import { buildGemmModule } from './wasm/module.js';
import { createWasmGemmF32 } from './wasm/runtime.js';
import type { WasmGemmF32 } from './wasm/runtime.js';
import type { FloatArray } from '../tensor/dtype.js';

// undefined = not tried yet; null = tried and unavailable (no wasm SIMD in this engine).
let kernel: WasmGemmF32 | null | undefined;
let wasmDisabled = false;
// undefined = not decided yet: NNLAB_THREADS (or the default) is read on first use.
let threadsWanted: number | undefined;
let pool: GemmThreads | null = null;
let fmaWanted = !/^(0|false|off)$/i.test(environmentVariable('NNLAB_WASM_FMA') ?? '');

/**
 * Turns the wasm path off (or back on). For tests and benchmarks that need to exercise or
 * compare the plain-JS path on sizes that would otherwise go to wasm.
 */
export function setWasmGemmEnabled(enabled: boolean): void {
  wasmDisabled = !enabled;
}

/** Whether setWasmGemmEnabled left wasm on (the vector kernels, ./vector.ts, follow it too). */
export function isWasmEnabled(): boolean {
  return !wasmDisabled;
}

/** Whether float32 products of at least WASM_MIN_WORK multiply-adds will run in wasm. */
export function isWasmGemmAvailable(): boolean {
  return wasmKernel() !== null;
}

/**
 * Whether the engine validates relaxed SIMD now; the kernel then multiply-adds with
 * f32x4.relaxed_madd. In Node 20 that becomes true once the kernel is built with FMA wanted
 * (see relaxed-simd.ts, which turns on V8's flag for it).
 */
export function hasRelaxedSimd(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(fmaProbe());
}

function fmaProbe(): Uint8Array<ArrayBuffer> {
  return buildGemmModule({ ...DEFAULT_WASM_GEMM_CONFIG, fma: true });
}

/**
 * This realm's wasm kernel, built on first use (its memory shared when threads are wanted), or
 * null when wasm is turned off or the engine has no wasm SIMD. Throws a bad NNLAB_THREADS.
 */
export function wasmKernel(): WasmGemmF32 | null {
  if (wasmDisabled) return null;
  if (kernel === undefined) {
    const config = { ...DEFAULT_WASM_GEMM_CONFIG, fma: fmaWanted && enableRelaxedSimd(fmaProbe()) };
    // Shared wherever the engine allows it, also for one thread: then resident arrays (a
    // captured step's, see residentArray) survive the memory's growth (see wasm/memory.ts).
    const shared = (threadCount() > 1 && canUseGemmThreads()) || canShareMemory();
    kernel = (shared ? createWasmGemmF32(config, { shared }) : null) ?? createWasmGemmF32(config);
  }
  return kernel;
}

/**
 * A float32 array of `length` zeros in the wasm kernel's memory, which the kernels then use in
 * place (no copy in or out), or null when there is no such memory: wasm off or unavailable, or
 * an engine without shared memory (a page that is not cross-origin isolated). A captured step
 * keeps its buffers and parameters in these.
 */
export function residentArray(length: number): Float32Array | null {
  let k: WasmGemmF32 | null;
  try {
    k = wasmKernel();
  } catch {
    return null; // a bad NNLAB_THREADS: reported by the first product, as documented above
  }
  return k?.allocate(length) ?? null;
}

/**
 * A float32 array of `length` values (not zeroed) in the wasm kernel's memory, for a caller that
 * hands it back (giveBackResident) as soon as it is done and lets no one else keep it: an
 * intermediate result that the next product reads in place instead of having it copied out and
 * back in. Null where residentArray would be.
 */
export function borrowResident(length: number): Float32Array | null {
  let k: WasmGemmF32 | null;
  try {
    k = wasmKernel();
  } catch {
    return null;
  }
  return k?.borrow(length) ?? null;
}

/** Hands back an array borrowResident gave, for reuse; it must not be used after. */
export function giveBackResident(a: Float32Array): void {
  if (kernel == null) throw new Error('giveBackResident: no kernel lent this array');
  kernel.giveBack(a);
}

/** Whether `a` is a resident array (see residentArray) of this realm's current kernel. */
export function isResidentArray(a: FloatArray): boolean {
  return a instanceof Float32Array && kernel != null && kernel.residentAt(a) >= 0;
}

/** Whether a shared WebAssembly.Memory can be made here (Node; browsers only cross-origin isolated). */
function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (typeof crossOriginIsolated !== 'boolean' || crossOriginIsolated);
}

/** The thread count asked for: setGemmThreads's, else NNLAB_THREADS's, else the default. */
function threadCount(): number {
  threadsWanted ??= threadsFromEnvironment();
  return threadsWanted;
}

/**
 * NNLAB_THREADS=n (n ≥ 1; 1 turns threads off) or, by default, the available cores up to 4.
 * Threads run in Node and in cross-origin isolated pages; elsewhere this is 1.
 */
function threadsFromEnvironment(): number {
  const raw = environmentVariable('NNLAB_THREADS');
  if (raw === undefined || raw === '') return defaultGemmThreads();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`NNLAB_THREADS must be a whole number of threads ≥ 1 (1 turns threads off), got '${raw}'`);
  }
  if (n > maxGemmThreads()) throw new Error(`NNLAB_THREADS must be at most ${maxGemmThreads()} (${THREADS_PER_CORE} × ${availableCores()} cores), got '${raw}'`);
  return n;
}

/** The most threads per available core setGemmThreads accepts. */
const THREADS_PER_CORE = 4;

/**
 * The most GEMM threads: 4 × the available cores. More cannot speed up a product that already
 * keeps every core busy, and each thread costs a worker (64 on a 2-core machine ran slower and
 * used 633 MB).
 */
export function maxGemmThreads(): number {
  return THREADS_PER_CORE * Math.max(1, availableCores());
}

/**
 * Sets how many threads (the caller included) compute large float32 products: 1 turns worker
 * threads off, and at most 4 × the available cores are allowed. Results are bit-identical for
 * every count. Default: NNLAB_THREADS, else the available cores up to 4 (Node, and cross-origin
 * isolated pages; elsewhere always 1).
 */
export function setGemmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`setGemmThreads: threads must be a whole number ≥ 1, got ${typeof threads === 'number' ? threads : typeof threads}`);
  }
  if (threads > maxGemmThreads()) {
    throw new Error(`setGemmThreads: threads must be at most ${maxGemmThreads()} (${THREADS_PER_CORE} × ${availableCores()} available cores), got ${threads}`);
  }
  if (threads === threadsWanted) return;
  threadsWanted = threads;
  const old = pool;
  pool = null;
  void old?.close();
  // A kernel without shared memory cannot be used by threads: build a shared one next time.
  if (threads > 1 && kernel && !kernel.shared) kernel = undefined;
}

/** How many threads (the caller included) large products are split over; see setGemmThreads. */
export function gemmThreads(): number {
  const threads = threadCount();
  return threads > 1 && canUseGemmThreads() ? threads : 1;
}

/**
 * Uses relaxed-SIMD FMA in the kernel when the engine has it (the default, turning on Node 20's
 * flag for it; NNLAB_WASM_FMA=0 turns it off, as does false here before the first product).
 * FMA rounds each multiply-add once, so results change in the last bits.
 */
export function setWasmGemmFma(enabled: boolean): void {
  if (enabled === fmaWanted) return;
  fmaWanted = enabled;
  kernel = undefined;
  const old = pool;
  pool = null;
  void old?.close();
}

/**
 * Resolves when the worker threads have started (true), or false when products will run on
 * the calling thread alone (one thread, or a worker failed to start). It waits for the workers'
 * own word, however slow the machine. Products before that run single-threaded, with identical
 * results.
 */
export async function gemmThreadsReady(): Promise<boolean> {
  const p = threadPool();
  if (p === null) return false;
  return (await p.started()) === p.threads;
}

/** The pool splitting large products over threads, started on first use; null with one thread. */
export function threadPool(): GemmThreads | null {
  if (pool !== null) return pool;
  const threads = threadCount();
  if (threads <= 1) return null;
  const k = wasmKernel();
  if (k === null || !k.shared) return null;
  pool = new GemmThreads(k, threads);
  return pool;
}
