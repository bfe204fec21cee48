/**
 * The GEMM kernel behind the `matmul` op: out = op(A)·op(B), optionally accumulated.
 *
 * Three paths, chosen per call by size (m·k·n multiply-adds) and element type:
 *  - tiny products (an XOR net's 4×2·2×2) run a strided dot-product loop: it handles every
 *    transA/transB combination with no setup, no scratch and no allocation, because call
 *    overhead, not arithmetic, is what costs at that size;
 *  - float32 products from WASM_MIN_WORK up go to the WebAssembly SIMD kernel in wasm-simd.ts
 *    (packed, register-blocked f32x4, ~20–30 GFLOP/s here), compiled lazily on first use; in
 *    Node, products from THREAD_MIN_WORK up are split over worker threads (gemm-threads.ts),
 *    bit-identically to one thread;
 *  - everything else (float64, or float32 when wasm SIMD is unavailable or disabled) runs a
 *    plain-JS kernel, ~3–4 GFLOP/s: i-k-j order blocked 4 rows × 4 k steps, so the innermost
 *    loop walks rows of B and out contiguously. transA only changes the stride of the scalar A
 *    reads outside the inner loop; transB is absorbed by transposing B once into a reused
 *    scratch buffer. float32 is widened into float64 scratch first (see gemm).
 * Float64 inputs always compute in float64. The float32 JS path accumulates in double; the wasm
 * path accumulates in float32 lanes, within the usual k·u·Σ|a||b| bound.
 *
 * Not re-entrant across threads by sharing: the scratch buffers and the wasm instance are
 * module state, one set per realm (main thread or worker). gemm never yields, so calls within
 * one realm cannot interleave.
 */
import { applyBiasRelu, buildGemmModule, createWasmGemmF32, DEFAULT_WASM_GEMM_CONFIG, rowMaxAbsOf } from './wasm-simd.js';
import type { WasmGemmF32 } from './wasm-simd.js';
import { canUseGemmThreads, defaultGemmThreads, GemmThreads } from './gemm-threads.js';
import { enableRelaxedSimd } from './relaxed-simd.js';

import type { FloatArray } from '../tensor/dtype.js';
export type { FloatArray };

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  accumulate?: boolean;
  aOffset?: number;
  bOffset?: number;
  outOffset?: number;
  /** Added to every row of the result (length n), after the product (and accumulation). */
  bias?: FloatArray;
  /** ReLU (x > 0 ? x : 0) on the result, after the bias. */
  relu?: boolean;
  /**
   * Receives each row's largest |value| of the result (m values; 0 for a row without any, NaN
   * ignored), found while the result is still in the wasm kernel's memory: a heat map's colour
   * scale at no extra pass in JS.
   */
  rowMaxAbs?: FloatArray;
}

/**
 * Up to this many multiply-adds the strided loop is fastest: measured per call on Node 20,
 * ~80–150 ns for 4×2·2×2 against ~200–250 ns for either other path, which both have setup
 * (copies into wasm memory or float64 scratch, zero-fill). Around 64 the paths break even.
 */
export const TINY_MAX_WORK = 64;

/**
 * From this many multiply-adds on, float32 goes to wasm: from 4×4·4×8 up it measured faster
 * than the JS path even counting the copies in and out (8×8·8×8: ~0.33 µs against ~0.6 µs
 * for JS and ~1.4 µs for the strided loop), and it is 6–10× faster at MLP sizes.
 */
export const WASM_MIN_WORK = 128;

/**
 * From this many multiply-adds on, the wasm kernel splits a product over worker threads (when
 * there are any). Measured on the 2-core development VM with a core free: 128×64·64×128 (1 M)
 * 107 → 90 µs, 128×128·128×128 (2 M) 321 → 161 µs; below ~1 M, waking a worker and joining
 * (5–50 µs) cost about what the second core saves.
 */
export const THREAD_MIN_WORK = 1 << 20;

// undefined = not tried yet; null = tried and unavailable (no wasm SIMD in this engine).
let wasmKernel: WasmGemmF32 | null | undefined;
let wasmDisabled = false;
let threadsWanted = threadsFromEnvironment();
let pool: GemmThreads | null = null;

/**
 * Turns the wasm path off (or back on). For tests and benchmarks that need to exercise or
 * compare the plain-JS path on sizes that would otherwise go to wasm.
 */
export function setWasmGemmEnabled(enabled: boolean): void {
  wasmDisabled = !enabled;
}

/** Whether float32 products of at least WASM_MIN_WORK multiply-adds will run in wasm. */
export function isWasmGemmAvailable(): boolean {
  return !wasmDisabled && getWasmKernel() !== null;
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

function getWasmKernel(): WasmGemmF32 | null {
  if (wasmKernel === undefined) {
    const config = { ...DEFAULT_WASM_GEMM_CONFIG, fma: fmaWanted && enableRelaxedSimd(fmaProbe()) };
    const shared = threadsWanted > 1 && canUseGemmThreads();
    wasmKernel = (shared ? createWasmGemmF32(config, { shared }) : null) ?? createWasmGemmF32(config);
  }
  return wasmKernel;
}

let fmaWanted = !/^(0|false|off)$/i.test(environment('NNLAB_WASM_FMA') ?? '');

/**
 * NNLAB_THREADS=n (n ≥ 1; 1 turns threads off) or, by default, the available cores up to 4.
 * Threads run only in Node; in a browser this is always 1.
 */
function threadsFromEnvironment(): number {
  const raw = environment('NNLAB_THREADS');
  if (raw === undefined || raw === '') return defaultGemmThreads();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`NNLAB_THREADS must be a whole number of threads ≥ 1 (1 turns threads off), got '${raw}'`);
  }
  return n;
}

function environment(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}

/**
 * Sets how many threads (the caller included) compute large float32 products: 1 turns worker
 * threads off. Results are bit-identical for every count. Default: NNLAB_THREADS, else the
 * available cores up to 4 (Node only; a browser always uses 1).
 */
export function setGemmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`setGemmThreads: threads must be a whole number ≥ 1, got ${threads}`);
  }
  if (threads === threadsWanted) return;
  threadsWanted = threads;
  const old = pool;
  pool = null;
  void old?.close();
  // A kernel without shared memory cannot be used by threads: build a shared one next time.
  if (threads > 1 && wasmKernel && !wasmKernel.shared) wasmKernel = undefined;
}

/** How many threads (the caller included) large products are split over; see setGemmThreads. */
export function gemmThreads(): number {
  return threadsWanted > 1 && canUseGemmThreads() ? threadsWanted : 1;
}

/**
 * Uses relaxed-SIMD FMA in the kernel when the engine has it (the default, turning on Node 20's
 * flag for it; NNLAB_WASM_FMA=0 turns it off, as does false here before the first product).
 * FMA rounds each multiply-add once, so results change in the last bits.
 */
export function setWasmGemmFma(enabled: boolean): void {
  if (enabled === fmaWanted) return;
  fmaWanted = enabled;
  wasmKernel = undefined;
  const old = pool;
  pool = null;
  void old?.close();
}

/**
 * Resolves when the worker threads have started (true), or false when products will run on
 * the calling thread alone. Products before that run single-threaded, with identical results.
 */
export async function gemmThreadsReady(timeoutMs = 5000): Promise<boolean> {
  const p = getPool();
  if (p === null) return false;
  const until = Date.now() + timeoutMs;
  while (p.ready() < p.threads) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

function getPool(): GemmThreads | null {
  if (pool !== null) return pool;
  if (threadsWanted <= 1 || wasmDisabled) return null;
  const kernel = getWasmKernel();
  if (kernel === null || !kernel.shared) return null;
  pool = new GemmThreads(kernel, threadsWanted);
  return pool;
}

/**
 * out[m×n] = op(A)·op(B)  (or += when accumulate is true), all row-major, contiguous.
 * op(A) is A [m×k] when transA is false, else A is stored as [k×m] and used transposed.
 * op(B) is B [k×n] when transB is false, else B is stored as [n×k] and used transposed.
 * aOffset/bOffset/outOffset index into the arrays (for batched matmul over slices).
 * out's slice must not overlap a's or b's: the float64 path zeroes out before reading them.
 */
export function gemm(
  out: FloatArray, a: FloatArray, b: FloatArray,
  m: number, k: number, n: number,
  options?: GemmOptions,
): void {
  const transA = options?.transA === true;
  const transB = options?.transB === true;
  const accumulate = options?.accumulate === true;
  const aOffset = options?.aOffset ?? 0;
  const bOffset = options?.bOffset ?? 0;
  const outOffset = options?.outOffset ?? 0;
  const bias = options?.bias ?? null;
  const relu = options?.relu === true;
  const rowMaxAbs = options?.rowMaxAbs ?? null;
  if (bias !== null && bias.length !== n) {
    throw new Error(`gemm: bias must have n = ${n} elements, got ${bias.length}`);
  }
  if (rowMaxAbs !== null && rowMaxAbs.length !== m) {
    throw new Error(`gemm: rowMaxAbs must have m = ${m} elements, one per row, got ${rowMaxAbs.length}`);
  }

  if (m === 0) return;
  if (n === 0) {
    rowMaxAbs?.fill(0);
    return;
  }
  if (k === 0) {
    if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
    if (bias !== null || relu) applyBiasRelu(out, outOffset, m, n, bias, relu);
    if (rowMaxAbs !== null) rowMaxAbsOf(out, outOffset, m, n, rowMaxAbs);
  } else {
    gemmProduct(out, a, b, m, k, n, transA, transB, accumulate, aOffset, bOffset, outOffset, bias, relu, rowMaxAbs);
  }
}

/**
 * The product part of gemm, then bias and ReLU (in the wasm kernel's epilogue when it runs
 * there, else applyBiasRelu here: the same float32 operations in the same order).
 */
function gemmProduct(
  out: FloatArray, a: FloatArray, b: FloatArray,
  m: number, k: number, n: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
  bias: FloatArray | null, relu: boolean, rowMaxAbs: FloatArray | null,
): void {
  const work = m * k * n;
  const epilogue = bias !== null || relu;
  if (work <= TINY_MAX_WORK) {
    gemmStrided(out, a, b, m, k, n, transA, transB, accumulate, aOffset, bOffset, outOffset);
    if (epilogue) applyBiasRelu(out, outOffset, m, n, bias, relu);
    if (rowMaxAbs !== null) rowMaxAbsOf(out, outOffset, m, n, rowMaxAbs);
    return;
  }
  if (work >= WASM_MIN_WORK && !wasmDisabled && out instanceof Float32Array && (bias === null || bias instanceof Float32Array)) {
    const kernel = getWasmKernel();
    const runner = work >= THREAD_MIN_WORK ? getPool() : null;
    if (kernel !== null && kernel.run(
      out, a as Float32Array, b as Float32Array, m, k, n,
      transA, transB, accumulate, aOffset, bOffset, outOffset, bias, relu, runner, rowMaxAbs,
    )) {
      return;
    }
  }
  gemmJs(out, a, b, m, k, n, transA, transB, accumulate, aOffset, bOffset, outOffset);
  if (epilogue) applyBiasRelu(out, outOffset, m, n, bias, relu);
  if (rowMaxAbs !== null) rowMaxAbsOf(out, outOffset, m, n, rowMaxAbs);
}

/** The plain-JS kernels (float64, or float32 without wasm). */
function gemmJs(
  out: FloatArray, a: FloatArray, b: FloatArray,
  m: number, k: number, n: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  if (out instanceof Float64Array) {
    const a64 = a as Float64Array;
    if (transB) {
      scratchB = ensure(scratchB, k * n);
      transposeInto(scratchB, b, bOffset, n, k);
      gemmF64(out, a64, scratchB, m, k, n, transA, accumulate, aOffset, 0, outOffset);
    } else {
      gemmF64(out, a64, b as Float64Array, m, k, n, transA, accumulate, aOffset, bOffset, outOffset);
    }
    return;
  }
  // float32 runs through float64 copies: gemmF64 then only ever sees one array type, so V8
  // keeps it monomorphic (mixing element types in one loop measured 2–3× slower), and the
  // sums are accumulated in double. The copies are O(mk + kn + mn) against O(mkn) work.
  scratchA = ensure(scratchA, m * k);
  copyInto(scratchA, a, aOffset, m * k);
  scratchB = ensure(scratchB, k * n);
  if (transB) transposeInto(scratchB, b, bOffset, n, k);
  else copyInto(scratchB, b, bOffset, k * n);
  scratchC = ensure(scratchC, m * n);
  if (accumulate) copyInto(scratchC, out, outOffset, m * n);
  gemmF64(scratchC, scratchA, scratchB, m, k, n, transA, accumulate, 0, 0, 0);
  out.set(scratchC.length === m * n ? scratchC : scratchC.subarray(0, m * n), outOffset);
}

/** From this many elements, a float32 epilogueGrad runs in wasm (below, the copies cost more). */
export const WASM_MIN_GRAD = 1024;

/**
 * The backward of gemm's epilogue for a [rows×cols] gradient dy: dz = relu ? (y > 0 ? dy : 0)
 * : dy into `dz` (when given; NOTE: ReLU's gradient at 0 is 0, and NaN outputs pass none), and
 * sums[j] = Σ_rows dz[row, j] into `sums` (when given; summed row after row). float32 from
 * WASM_MIN_GRAD elements runs in wasm, bit-identical to the JS loops here.
 */
export function epilogueGrad(
  dy: FloatArray, y: FloatArray | null, rows: number, cols: number,
  dz: FloatArray | null, sums: FloatArray | null,
): void {
  if (rows === 0 || cols === 0) return;
  if (
    rows * cols >= WASM_MIN_GRAD && !wasmDisabled && dy instanceof Float32Array &&
    (y === null || y instanceof Float32Array) && (dz === null || dz instanceof Float32Array) &&
    (sums === null || sums instanceof Float32Array)
  ) {
    const kernel = getWasmKernel();
    if (kernel !== null && kernel.gradRows(dy, y, dz, sums, rows, cols)) return;
  }
  if (dz !== null) {
    if (y === null) dz.set(dy.subarray(0, rows * cols));
    else for (let i = 0; i < rows * cols; i++) dz[i] = y[i] > 0 ? dy[i] : 0;
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
 * Gradient descent on float32 parameters in wasm, bit-identical to optim/sgd.ts's JS loop (the
 * same double operations, see buildSgd in wasm-simd.ts). Returns false, changing nothing, when
 * the arrays are small, not float32, or wasm is unavailable: the caller's JS loop then runs.
 */
export function wasmSgd(theta: FloatArray, g: FloatArray, acc: FloatArray | null, lr: number, momentum: number, nesterov: boolean): boolean {
  if (theta.length < WASM_MIN_UPDATE || wasmDisabled || !(theta instanceof Float32Array) || !(g instanceof Float32Array)) return false;
  if (acc !== null && !(acc instanceof Float32Array)) return false;
  const kernel = getWasmKernel();
  return kernel !== null && kernel.sgd(theta, g, acc, lr, momentum, nesterov);
}

/** Direct Σ_p op(A)[i,p]·op(B)[p,j] with strides; every layout, zero setup. */
function gemmStrided(
  out: FloatArray, a: FloatArray, b: FloatArray,
  m: number, k: number, n: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  const aRow = transA ? 1 : k;
  const aStep = transA ? m : 1;
  const bCol = transB ? k : 1;
  const bStep = transB ? 1 : n;
  for (let i = 0; i < m; i++) {
    const ai = aOffset + i * aRow;
    const oi = outOffset + i * n;
    for (let j = 0; j < n; j++) {
      let s = 0;
      let pa = ai;
      let pb = bOffset + j * bCol;
      for (let p = 0; p < k; p++) {
        s += a[pa] * b[pb];
        pa += aStep;
        pb += bStep;
      }
      out[oi + j] = accumulate ? out[oi + j] + s : s;
    }
  }
}

/**
 * i-k-j product for row-major B [k×n], blocked 4 rows × 4 k steps: the inner loop walks four
 * rows of B and four rows of out contiguously and does 16 multiply-adds per 8 element loads
 * and 4 stores, with the 16 A scalars held in registers. This measured ~3–4 GFLOP/s against
 * ~1–2 for a plain i-k-j loop. op(A)'s scalars are read with strides (aRow between rows, aStep
 * between k steps), which is what makes transA free here.
 */
function gemmF64(
  out: Float64Array, a: Float64Array, b: Float64Array,
  m: number, k: number, n: number,
  transA: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  const aRow = transA ? 1 : k;
  const aStep = transA ? m : 1;
  if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
  // k blocks keep the rows of B in use (JS_KC×n doubles) in L2 while every row block of out
  // passes over them; without it a 784×256 B is re-read from L3 for each 4 rows of out.
  for (let k0 = 0; k0 < k; k0 += JS_KC) {
    const kLen = Math.min(JS_KC, k - k0);
    addProductRows(out, a, b, m, kLen, n, aRow, aStep, aOffset + k0 * aStep, bOffset + k0 * n, outOffset);
  }
}

const JS_KC = 128;

/** out[m×n] += op(A)[:, block]·B[block, :] for one k block; see gemmF64. */
function addProductRows(
  out: Float64Array, a: Float64Array, b: Float64Array,
  m: number, k: number, n: number,
  aRow: number, aStep: number,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  const k4 = k - (k & 3);
  const m4 = m - (m & 3);
  let i = 0;
  for (; i < m4; i += 4) {
    const o0 = outOffset + i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let pa = aOffset + i * aRow;
    let pb = bOffset;
    let p = 0;
    for (; p < k4; p += 4) {
      const c1 = pa + aStep;
      const c2 = c1 + aStep;
      const c3 = c2 + aStep;
      const a00 = a[pa], a01 = a[c1], a02 = a[c2], a03 = a[c3];
      const a10 = a[pa + aRow], a11 = a[c1 + aRow], a12 = a[c2 + aRow], a13 = a[c3 + aRow];
      const r2 = 2 * aRow;
      const a20 = a[pa + r2], a21 = a[c1 + r2], a22 = a[c2 + r2], a23 = a[c3 + r2];
      const r3 = 3 * aRow;
      const a30 = a[pa + r3], a31 = a[c1 + r3], a32 = a[c2 + r3], a33 = a[c3 + r3];
      const b1 = pb + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const x0 = b[pb + j], x1 = b[b1 + j], x2 = b[b2 + j], x3 = b[b3 + j];
        out[o0 + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
        out[o1 + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
        out[o2 + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
        out[o3 + j] += a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3;
      }
      pa += 4 * aStep;
      pb += 4 * n;
    }
    for (; p < k; p++) {
      const a0 = a[pa], a1 = a[pa + aRow], a2 = a[pa + 2 * aRow], a3 = a[pa + 3 * aRow];
      for (let j = 0; j < n; j++) {
        const x = b[pb + j];
        out[o0 + j] += a0 * x;
        out[o1 + j] += a1 * x;
        out[o2 + j] += a2 * x;
        out[o3 + j] += a3 * x;
      }
      pa += aStep;
      pb += n;
    }
  }
  for (; i < m; i++) {
    const o = outOffset + i * n;
    let pa = aOffset + i * aRow;
    let pb = bOffset;
    let p = 0;
    for (; p < k4; p += 4) {
      const a0 = a[pa], a1 = a[pa + aStep], a2 = a[pa + 2 * aStep], a3 = a[pa + 3 * aStep];
      const b1 = pb + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        out[o + j] += a0 * b[pb + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
      pa += 4 * aStep;
      pb += 4 * n;
    }
    for (; p < k; p++) {
      const a0 = a[pa];
      for (let j = 0; j < n; j++) out[o + j] += a0 * b[pb + j];
      pa += aStep;
      pb += n;
    }
  }
}

// Float64 scratch reused across calls (transposed B, float32 operands widened to double) so
// the JS path does not allocate per call once warm; each grows to the largest size seen.
let scratchA: Float64Array = new Float64Array(0);
let scratchB: Float64Array = new Float64Array(0);
let scratchC: Float64Array = new Float64Array(0);

function ensure(buffer: Float64Array, size: number): Float64Array {
  return buffer.length >= size ? buffer : new Float64Array(size);
}

/** dst[0, length) = src[offset, offset+length), converting to double. */
function copyInto(dst: Float64Array, src: FloatArray, offset: number, length: number): void {
  dst.set(offset === 0 && src.length === length ? src : src.subarray(offset, offset + length));
}

/** dst = transpose of the [rows×cols] matrix at src[offset…], i.e. dst is [cols×rows]. */
function transposeInto(dst: Float64Array, src: FloatArray, offset: number, rows: number, cols: number): void {
  // Tiles of 32×32 keep both the reads and the strided writes inside L1.
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const s = offset + r * cols;
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[s + c];
      }
    }
  }
}
