/**
 * The GEMM behind the `matmul` op and dense layers (runs in Node and browsers): out = op(A)·op(B),
 * optionally accumulated, then the epilogue (bias, an activation, each row's largest |value|).
 *
 * Three paths, chosen per call by size (m·k·n multiply-adds) and element type:
 *  - tiny products (an XOR net's 4×2·2×2) run a strided dot-product loop: it handles every
 *    transA/transB combination with no setup, no scratch and no allocation, because call
 *    overhead, not arithmetic, is what costs at that size;
 *  - float32 products from WASM_MIN_WORK up go to the WebAssembly SIMD kernel (wasm/: packed,
 *    register-blocked f32x4, ~20–30 GFLOP/s here), compiled lazily on first use (backend.ts);
 *    products from THREAD_MIN_WORK up are split over worker threads (threads/), where the
 *    runtime has them, bit-identically to one thread;
 *  - everything else (float64, or float32 when wasm SIMD is unavailable or disabled) runs the
 *    plain-JS kernel in gemm-js.ts, ~3–4 GFLOP/s.
 * Float64 inputs always compute in float64. The float32 JS path accumulates in double; the wasm
 * path accumulates in float32 lanes, within the usual k·u·Σ|a||b| bound.
 *
 * Not re-entrant across threads by sharing: the JS kernels' scratch buffers (gemm-js.ts) and the
 * wasm instance (backend.ts) are module state, one set per realm (main thread or worker). gemm
 * never yields, so calls within one realm cannot interleave.
 */
import type { FloatArray } from '../tensor/dtype.js';
import { threadPool, wasmKernel } from './backend.js';
import { sgdStep } from './elementwise.js';
import { applyBiasRelu, rowMaxAbsOf } from './epilogue.js';
import { gemmJs, gemmStrided } from './gemm-js.js';
import { mapFloat32 } from './vector.js';
import { ACTIVATION } from './wasm/gemm-code.js';
import type { ActivationCode } from './wasm/gemm-code.js';
import type { WasmGemmF32 } from './wasm/runtime.js';

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
  /** ReLU (x <= 0 ? 0 : x: NaN stays NaN, −0 becomes +0, as PyTorch) on the result, after the bias. */
  relu?: boolean;
  /**
   * float32's tanh or sigmoid kernel on the result, after the bias: the bits mapFloat32 gives
   * (./vector.ts), in the wasm kernel's epilogue while each tile is hot (when n fills whole
   * tiles), else by mapFloat32 after the product. Only for a Float32Array out (float64 keeps its
   * own functions), without relu or update.
   */
  activation?: GemmActivation;
  /**
   * Receives each row's largest |value| of the result (m values; 0 for a row without any, NaN
   * ignored), found while the result is still in the wasm kernel's memory: a heat map's colour
   * scale at no extra pass in JS.
   */
  rowMaxAbs?: FloatArray;
  /**
   * Then SGD's step on `theta` (m·n values, laid out as the result): θ −= lr·result, optim/sgd.ts's
   * plain update. In the wasm kernel's epilogue, while each tile is in registers, when the result
   * and θ are resident arrays (a captured step's); otherwise by sgdStep after the product.
   */
  update?: { theta: FloatArray; lr: number };
}

/** The float32 kernels gemm can apply in its epilogue (GemmOptions.activation). */
export type GemmActivation = 'tanh' | 'sigmoid';

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

/**
 * A value through tanh or sigmoid in the wasm epilogue counts as this many multiply-adds when
 * gemm decides whether to split over threads (the map then splits with the tiles): it costs
 * ~1.8 ns (40,000×2·2×8 + bias + tanh less the product alone, one thread), a multiply-add of
 * 40,000×8·8×8 ~0.16 ns, copies included. 40,000×2·2×8 + bias + tanh on 2 threads, best of 60:
 * wall 752–967 → 491–518 µs, CPU 752–966 → 711–888 µs. Bench (c) (a 2-8-8-1 tanh net over
 * 40,000 points, whose first layer now splits too), load ~1: wall median 2.28/2.34 → 1.94/1.83
 * ms, CPU median 3.06/3.15 → 3.30/3.15 ms.
 */
const MAP_WORK = 11;

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
  let transA = false, transB = false, relu = false, accumulate = false;
  let aOffset = 0, bOffset = 0, outOffset = 0;
  let bias: FloatArray | null = null, rowMaxAbs: FloatArray | null = null;
  let activation: GemmActivation | undefined;
  let update: GemmOptions['update'];
  // NOTE: the options object's own keys, rather than a load per option by name: callers pass
  // objects of many shapes (a captured step's alone are 4–5), which makes each such load
  // megamorphic, ~5 ns apiece; for-in walks the keys the object has through its map's
  // enumeration cache, and options[key] there is a plain field load. The most common keys first.
  for (const key in options) {
    const value = options[key as keyof GemmOptions];
    switch (key) {
      case 'transA': transA = value === true; break;
      case 'transB': transB = value === true; break;
      case 'relu': relu = value === true; break;
      case 'bias': bias = (value as FloatArray | undefined) ?? null; break;
      case 'update': update = value as GemmOptions['update']; break;
      case 'activation': activation = value as GemmActivation | undefined; break;
      case 'accumulate': accumulate = value === true; break;
      case 'aOffset': aOffset = (value as number | undefined) ?? 0; break;
      case 'bOffset': bOffset = (value as number | undefined) ?? 0; break;
      case 'outOffset': outOffset = (value as number | undefined) ?? 0; break;
      case 'rowMaxAbs': rowMaxAbs = (value as FloatArray | undefined) ?? null; break;
    }
  }
  if (bias !== null && bias.length !== n) {
    throw new Error(`gemm: bias must have n = ${n} elements, got ${bias.length}`);
  }
  if (rowMaxAbs !== null && rowMaxAbs.length !== m) {
    throw new Error(`gemm: rowMaxAbs must have m = ${m} elements, one per row, got ${rowMaxAbs.length}`);
  }

  // NOTE: not with update either: the wasm epilogue's update reads the tile before the map.
  if (activation !== undefined && (relu || update !== undefined || (activation !== 'tanh' && activation !== 'sigmoid') || !(out instanceof Float32Array))) {
    const also = `${relu ? ' with relu' : ''}${update !== undefined ? ' with update' : ''}`;
    throw new Error(`gemm: activation must be 'tanh' or 'sigmoid', without relu or update, on a Float32Array out; got '${String(activation)}'${also} on a ${out.constructor.name}`);
  }
  const code: ActivationCode = relu ? ACTIVATION.relu : activation === undefined ? ACTIVATION.none : ACTIVATION[activation];
  if (update !== undefined && update.theta.length !== m * n) {
    throw new Error(`gemm: update.theta must have m·n = ${m * n} elements, got ${update.theta.length}`);
  }

  if (m === 0) return;
  if (n === 0) {
    rowMaxAbs?.fill(0);
    return;
  }
  if (k === 0) {
    if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
    applyEpilogue(out, outOffset, m, n, bias, code, rowMaxAbs);
  } else if (gemmProduct(out, a, b, m, k, n, transA, transB, accumulate, aOffset, bOffset, outOffset, bias, code, rowMaxAbs, update)) {
    return; // the update went into the product
  }
  if (update !== undefined) sgdStep(update.theta, outOffset === 0 && out.length === m * n ? out : out.subarray(outOffset, outOffset + m * n), update.lr);
}

/**
 * The product part of gemm, then the epilogue (in the wasm kernel's when it runs there, else
 * applyEpilogue here: the same float32 operations in the same order). Returns
 * whether it also took `update`'s step (only the wasm kernel can, see GemmOptions.update).
 */
function gemmProduct(
  out: FloatArray, a: FloatArray, b: FloatArray,
  m: number, k: number, n: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
  bias: FloatArray | null, activation: ActivationCode, rowMaxAbs: FloatArray | null,
  update: { theta: FloatArray; lr: number } | undefined,
): boolean {
  const work = m * k * n;
  if (work <= TINY_MAX_WORK) {
    gemmStrided(out, a, b, m, k, n, transA, transB, accumulate, aOffset, bOffset, outOffset);
    applyEpilogue(out, outOffset, m, n, bias, activation, rowMaxAbs);
    return false;
  }
  if (work >= WASM_MIN_WORK && out instanceof Float32Array && (bias === null || bias instanceof Float32Array)) {
    // NOTE: the helpers keep this function small enough for V8 to inline it into gemm (460
    // bytes of bytecode): a call less per product, ~3 % of a 10×8·8×8 one.
    const kernel = wasmKernel();
    const fuse = mapsInEpilogue(kernel, activation, n);
    const runner = work + (fuse ? mapWorkOf(activation, m, n) : 0) >= THREAD_MIN_WORK ? threadPool() : null;
    const step = update !== undefined && update.theta instanceof Float32Array ? { theta: update.theta, lr: update.lr, fused: false } : null;
    if (kernel !== null && kernel.run(
      out, a as Float32Array, b as Float32Array, m, k, n, transA, transB, accumulate, aOffset, bOffset, outOffset,
      bias, fuse ? activation : ACTIVATION.none, runner, fuse ? rowMaxAbs : null, step,
    )) {
      if (!fuse) applyEpilogue(out, outOffset, m, n, null, activation, rowMaxAbs);
      return step !== null && step.fused;
    }
  }
  gemmJs(out, a, b, m, k, n, transA, transB, accumulate, aOffset, bOffset, outOffset);
  applyEpilogue(out, outOffset, m, n, bias, activation, rowMaxAbs);
  return false;
}

/**
 * Whether the wasm compute applies `activation` to each tile. It maps whole tiles, so where n
 * leaves padding columns in its last one it would map those too (8 for each kept at n = 1):
 * then mapFloat32 follows the product instead. 40,000×8·8×n + bias, then tanh, one thread, CPU
 * best of 40: n = 1 fused 1011 µs against 558 mapped after, n = 12 2402 against 2196.
 */
function mapsInEpilogue(kernel: WasmGemmF32 | null, activation: ActivationCode, n: number): boolean {
  return activation < ACTIVATION.tanh || (kernel !== null && n % (kernel.config.nv * 4) === 0);
}

/** The multiply-adds that mapping an m×n result through `activation` in the epilogue counts as (MAP_WORK). */
function mapWorkOf(activation: ActivationCode, m: number, n: number): number {
  return activation >= ACTIVATION.tanh ? MAP_WORK * m * n : 0;
}

/** Bias, activation and row maxima in JS, after a product the wasm kernel did not compute. */
function applyEpilogue(
  out: FloatArray, outOffset: number, m: number, n: number,
  bias: FloatArray | null, activation: ActivationCode, rowMaxAbs: FloatArray | null,
): void {
  const relu = activation === ACTIVATION.relu;
  if (bias !== null || relu) applyBiasRelu(out, outOffset, m, n, bias, relu);
  if (activation === ACTIVATION.tanh || activation === ACTIVATION.sigmoid) {
    const values = outOffset === 0 && out.length === m * n ? out : out.subarray(outOffset, outOffset + m * n);
    mapFloat32(activation === ACTIVATION.tanh ? 'tanh' : 'sigmoid', values as Float32Array, values as Float32Array, m * n);
  }
  if (rowMaxAbs !== null) rowMaxAbsOf(out, outOffset, m, n, rowMaxAbs);
}
