/**
 * The wasm kernels' runtime (runs in Node and browsers): compiles and instantiates the module
 * (module.ts) over its memory (memory.ts), and calls the GEMM's exports: `run` stages a
 * product's operands (unless they are resident blocks of its memory, see memory.ts), packs
 * those the compute does not read in place, and computes (on this thread or through a
 * TileRunner's threads), then copies C out. The elementwise calls (gradRows, sgd) are elementwise-runtime.ts.
 * One instance per realm (main thread or worker); nothing here decides whether wasm or threads
 * are used, see ../backend.ts.
 */
import { sigmoidf, tanhf } from '../../math/float32.js';
import { applyBiasRelu, largestAbs, rowMaxAbsOf } from '../epilogue.js';
import { ACTIVATION, DEFAULT_WASM_GEMM_CONFIG } from './gemm-code.js';
import type { ActivationCode, WasmGemmConfig } from './gemm-code.js';
import { elementwiseCalls } from './elementwise-runtime.js';
import type { ElementwiseCalls, SgdExport } from './elementwise-runtime.js';
import { KernelMemory, roundUp } from './memory.js';
import { buildGemmModule, buildTileMapModule, instantiateGemm, MAX_PAGES } from './module.js';
import { KIND, PACK, SGD_TASK, splitsColumns, TASK, TASK_LENGTH } from './task.js';
import type { TileRunner } from './task.js';

/**
 * Up to this many row tiles (4 rows each) B is read in place rather than packed: packing reads
 * and writes all of B, which a product of one or two row tiles reads only once or twice.
 * Measured (one thread, CPU best of 25, resident operands): m×1024·1024×1024 for m = 1, 4, 8
 * 432, 444, 684 µs against 951, 934, 1122 packed, 8×784·784×256 90 against 104, 8×1024·1024×10
 * 17 against 20; from 4 tiles on it was mixed (16×1024·1024×10 29 against 23, 32×784·784×256
 * 418 against 325), as a panel read in place is re-read from L2 by each row tile.
 */
const IN_PLACE_B_TILES = 2;

/**
 * Up to this k, C's tiles are computed row tile by row tile (see buildCompute's rowsFirst).
 * Measured (one thread, CPU best of 25, resident operands), m×k·k×n panels first against rows
 * first: 1024×1·1×1024 1144 against 237 µs, 1024×8·8×1024 1121 against 465, 1024×64·64×1024
 * 3472 against 2969, 784×128·128×256 1481 against 1235; from k = 256 up it was mixed.
 */
const ROWS_FIRST_MAX_K = 128;

/**
 * A stored [m×k] (not transA) is read in place by the compute (buildCompute's lda) rather than
 * packed by packRows while C has at most max(IN_PLACE_A_PANELS, k/2) column panels. Packing costs
 * once per value of A; the in-place k loop costs more per tile than the packed one (it adds the
 * rows' offsets to its pointer), for every panel that re-reads the tile. The compute alone, one
 * thread, in place against packRows + compute on packed A (µs): 1000×8·8×32 17.9 / 19.0,
 * 1000×8·8×40 18.5 / 18.1, 1000×8·8×64 31.3 / 28.3, 1000×16·16×64 45.4 / 46.3, 1000×16·16×256
 * 180.9 / 175.4, 1000×32·32×64 88.7 / 93.8, 1000×32·32×256 316.5 / 313.5, 1000×64·64×256
 * 608.0 / 610.3, 128×10·10×784 48.4 / 47.7. Products through run, two builds interleaved in one
 * process, in place / packed, paired: 2000×8·8×8 and 40,000×8·8×8 0.86–0.87, 128×784·784×256
 * 0.92–0.95, 256×1024·1024×256 0.95–0.97, 1024×1024·1024×1024 0.95; 1000×8·8×64 1.05 and
 * 128×10·10×784 1.06–1.07 (which stay packed).
 */
const IN_PLACE_A_PANELS = 4;

/**
 * Products of fewer multiply-adds than this stage every operand, resident or not (the numbers are
 * the same either way). For a small net's products (10×8·8×8, say) the residency lookups measured
 * about a quarter of the call.
 */
export const RESIDENT_LOOKUP_WORK = 4096;

/** The compute export; its arguments are the slots of a task (see TASK). */
export type ComputeExport = (
  aPtr: number, bPtr: number, cPtr: number, ldc: number,
  mTiles: number, nTiles: number, k: number, kp: number, loadC: number,
  biasPtr: number, activation: number, ldb: number, thetaOffset: number, rowsFirst: number, lda: number,
) => void;
type PackColsExport = (src: number, stride: number, dst: number, k: number, panels: number, kp: number) => void;
type PackRowsExport = (src: number, stride: number, dst: number, tiles: number, kp: number, groups: number) => void;
type RowMaxAbsExport = (c: number, ldc: number, rows: number, vectors: number, out: number) => void;
type ColumnExport = (aPtr: number, bPtr: number, cPtr: number, mTiles: number, k: number, kp: number, biasPtr: number, relu: number) => void;

/**
 * A float32 GEMM backed by one wasm instance (same contract as `gemm` in ../gemm.ts), with the
 * elementwise calls over the same instance and memory.
 */
export interface WasmGemmF32 extends ElementwiseCalls {
  readonly config: WasmGemmConfig;
  /** The compiled modules and their memory, for other threads to instantiate over the same memory. */
  readonly module: WebAssembly.Module;
  readonly tileMapModule: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly compute: ComputeExport;
  /**
   * A float32 array of `length` zeros viewing the kernel's memory, which run, gradRows and sgd
   * then read and write in place; null unless the memory is shared (see memory.ts).
   */
  allocate(length: number): Float32Array | null;
  /**
   * A float32 array of `length` values (not zeroed) viewing the kernel's memory, to hand back
   * with giveBack once done and to let no one else keep (see KernelMemory.borrow); null where
   * allocate would be.
   */
  borrow(length: number): Float32Array | null;
  giveBack(a: Float32Array): void;
  /** Where `a` starts in the kernel's memory (a float index) when it is one of its resident arrays, else −1. */
  residentAt(a: Float32Array): number;
  /**
   * Runs the task at slots[at…]: an sgd task's update of its range, or a product's (packing its
   * deferred operand, if any, then computing its tiles).
   */
  runTask(slots: Int32Array, at: number): void;
  /**
   * Computes activation(out·[accumulate] + op(A)·op(B) + bias) (m, k, n ≥ 1; bias of length n or
   * null; activation an ACTIVATION code) and returns true, or returns false without touching
   * `out` when the operands do not fit in wasm memory. With a runner, the tiles may be computed on several threads. With
   * `rowMaxAbs` (m values), also each row's largest |value| of the result (see rowMaxAbsOf).
   * With `update`, it also takes SGD's step on update.theta (θ −= lr·out, see buildCompute) and
   * sets update.fused, where it can in the compute's epilogue: out and θ resident, of m·n
   * values, and C written in place; otherwise it leaves update.fused false and θ alone.
   */
  run(
    out: Float32Array, a: Float32Array, b: Float32Array,
    m: number, k: number, n: number,
    transA: boolean, transB: boolean, accumulate: boolean,
    aOffset: number, bOffset: number, outOffset: number,
    bias: Float32Array | null, activation: ActivationCode, runner: TileRunner | null,
    rowMaxAbs?: Float32Array | Float64Array | null,
    update?: SgdUpdate | null,
  ): boolean;
}

/** SGD's step θ −= lr·g on a product's result g, asked of WasmGemmF32.run. */
export interface SgdUpdate {
  readonly theta: Float32Array;
  readonly lr: number;
  /** Set by run: whether it took the step in the compute's epilogue. */
  fused: boolean;
}

export interface WasmGemmOptions {
  /** Use a shared memory (SharedArrayBuffer) so worker threads can compute tiles. Default false. */
  shared?: boolean;
}

/**
 * Compiles and instantiates the kernel, or returns null when this engine cannot
 * (no WebAssembly, no SIMD, or, for `fma` / `shared`, no relaxed SIMD / threads, as reported by
 * `WebAssembly.validate` and by creating the memory).
 */
export function createWasmGemmF32(
  config: WasmGemmConfig = DEFAULT_WASM_GEMM_CONFIG,
  options: WasmGemmOptions = {},
): WasmGemmF32 | null {
  if (typeof WebAssembly !== 'object') return null;
  const shared = options.shared === true;
  const bytes = buildGemmModule(config, shared);
  const tileMapBytes = buildTileMapModule(config, shared);
  let module: WebAssembly.Module;
  let tileMapModule: WebAssembly.Module;
  let memory: WebAssembly.Memory;
  let instance: WebAssembly.Instance;
  try {
    if (!WebAssembly.validate(bytes) || !WebAssembly.validate(tileMapBytes)) return null;
    module = new WebAssembly.Module(bytes);
    tileMapModule = new WebAssembly.Module(tileMapBytes);
    memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: MAX_PAGES, shared: true } : { initial: 1 });
    instance = instantiateGemm(module, tileMapModule, memory);
  } catch {
    return null;
  }
  const compute = instance.exports.gemm as ComputeExport;
  const packColsA = instance.exports.packColsA as PackColsExport;
  const packColsB = instance.exports.packColsB as PackColsExport;
  const packRows = instance.exports.packRows as PackRowsExport;
  const rowMaxAbsExport = instance.exports.rowMaxAbs as RowMaxAbsExport;
  const column = instance.exports.column as ColumnExport;
  const mem = new KernelMemory(memory);
  const task = new Int32Array(TASK_LENGTH);

  const mr = config.mr;
  const nr = config.nv * 4;

  const run = (
    out: Float32Array, a: Float32Array, b: Float32Array,
    m: number, k: number, n: number,
    transA: boolean, transB: boolean, accumulate: boolean,
    aOffset: number, bOffset: number, outOffset: number,
    bias: Float32Array | null, activation: ActivationCode, runner: TileRunner | null,
    rowMaxAbs: Float32Array | Float64Array | null = null,
    update: SgdUpdate | null = null,
  ): boolean => {
    if (update !== null) update.fused = false;
    // One column on this thread; with threads (products from THREAD_MIN_WORK up) the tiles split
    // instead: 1024×1024·1024×1 on 2 threads measured 690 µs so against 930–1010 as one column.
    if (n === 1 && activation <= ACTIVATION.relu && runner === null) {
      return runColumn(out, a, b, m, k, transA, accumulate, aOffset, bOffset, outOffset, bias, activation === ACTIVATION.relu, rowMaxAbs);
    }
    const mTiles = Math.ceil(m / mr);
    const nTiles = Math.ceil(n / nr);
    const kp = roundUp(k, 4);
    // C rows are written whole tiles wide, so C can share out's layout only when n fills them.
    const ldc = n % nr === 0 ? n : nTiles * nr;

    // Float offsets of the regions, 16-float aligned, from the staging base up. An operand that
    // already views this memory (a resident block, see memory.ts) is read where it is, and C is
    // written straight into a resident `out` when its tiles cover out exactly. Staged operands
    // get slack for the reads past their end: up to a tile of whole rows plus a 4-column block
    // (packRows), or a panel of columns (packCols); a resident operand's over-read lands in the
    // memory after it (never past `reach`). The bias gets whole panels (the columns past n are
    // discarded).
    const aSize = m * k;
    const bSize = k * n;
    // NOTE: a small product copies its operands (resident or not) rather than look them up:
    // four lookups cost more than copying a few hundred values (see RESIDENT_LOOKUP_WORK).
    const lookUp = m * k * n >= RESIDENT_LOOKUP_WORK;
    const aHome = lookUp ? mem.residentAt(a) : -1;
    const bHome = lookUp ? mem.residentAt(b) : -1;
    const biasHome = bias === null || !lookUp ? -1 : mem.residentAt(bias);
    const outHome = lookUp ? mem.residentAt(out) : -1;
    const sameLayout = ldc === n;
    const cInPlace = outHome >= 0 && sameLayout && m % mr === 0;
    let top = mem.stagingBase;
    const stageA = aHome >= 0 ? aHome + aOffset : top;
    if (aHome < 0) top += roundUp(aSize + mr * (kp + 4), 16);
    const stageB = bHome >= 0 ? bHome + bOffset : top;
    if (bHome < 0) top += roundUp(bSize + nr * (kp + 4), 16);
    // A stored [m×k] is read in place (see IN_PLACE_A_PANELS); the last tile's rows past m read
    // no further past A than packRows does.
    const aInPlace = !transA && (nTiles <= IN_PLACE_A_PANELS || 2 * nTiles <= k);
    const packA = top;
    const packB = packA + (aInPlace ? 0 : mTiles * mr * kp);
    // B stored [k×n] is read where it is for up to IN_PLACE_B_TILES row tiles (see buildCompute).
    const bInPlace = !transB && mTiles <= IN_PLACE_B_TILES;
    top = roundUp(packB + (bInPlace ? 0 : nTiles * nr * kp), 16);
    const biasAt = biasHome >= 0 ? biasHome : top;
    if (bias !== null && biasHome < 0) top += roundUp(nTiles * nr, 16);
    const cBase = cInPlace ? outHome + outOffset : top;
    if (!cInPlace) top += mTiles * mr * ldc;
    const maxAt = roundUp(top, 16); // 4 lanes per row, for rowMaxAbs
    const reach = maxAt + (rowMaxAbs === null ? 0 : 4 * m) + roundUp(nr * (kp + 4), 16);
    if (!mem.reserve(reach * 4)) return false;
    const h = mem.heap;

    runner?.wake();
    if (aHome < 0) copyIn(h, stageA, a, aOffset, aSize);
    if (bHome < 0) copyIn(h, stageB, b, bOffset, bSize);

    const loadC = accumulate && sameLayout;
    if (loadC && !cInPlace) copyIn(h, cBase, out, outOffset, m * n);
    // The epilogue runs in wasm unless C must still be added to out in JS (accumulate into a
    // padded C): then bias and the activation follow that addition, in JS.
    const fused = !accumulate || sameLayout;
    if (bias !== null && fused && biasHome < 0) h.set(bias, biasAt);
    // NOTE: every slot the compute reads is set below (the pack slots only matter when `pack` is
    // set), rather than task.fill(0): that builtin cost ~28 ns, a tenth of a 10×8·8×8 product.
    task[TASK.thetaOffset] = 0;
    task[TASK.pack] = PACK.none;
    task[TASK.aPtr] = (aInPlace ? stageA : packA) * 4;
    task[TASK.bPtr] = (bInPlace ? stageB : packB) * 4;
    task[TASK.cPtr] = cBase * 4;
    task[TASK.ldc] = ldc * 4;
    task[TASK.mTiles] = mTiles;
    task[TASK.nTiles] = nTiles;
    task[TASK.k] = k;
    task[TASK.kp] = kp;
    task[TASK.loadC] = loadC ? 1 : 0;
    task[TASK.biasPtr] = bias !== null && fused ? biasAt * 4 : 0;
    task[TASK.activation] = fused ? activation : ACTIVATION.none;
    task[TASK.ldb] = bInPlace ? n * 4 : 0;
    task[TASK.rowsFirst] = k <= ROWS_FIRST_MAX_K ? 1 : 0;
    task[TASK.lda] = aInPlace ? k * 4 : 0;
    const thetaHome = update === null || !lookUp ? -1 : mem.residentAt(update.theta);
    const fuseUpdate = thetaHome >= 0 && cInPlace && outOffset === 0 && out.length === m * n && update!.theta.length === m * n;
    if (fuseUpdate) {
      mem.doubles[0] = update!.lr;
      task[TASK.thetaOffset] = (thetaHome - cBase) * 4;
    }
    if (update !== null) update.fused = fuseUpdate;
    // Split over threads, each part packs the operand split along: its B panels (or A tiles).
    const split = runner !== null && runner.wouldSplit(task);
    const deferB = split && splitsColumns(task) && !bInPlace;
    const deferA = split && !splitsColumns(task) && !aInPlace;
    if (aInPlace) {
      // Nothing to pack.
    } else if (deferA) {
      task[TASK.pack] = transA ? PACK.colsA : PACK.rowsA;
      task[TASK.packSrc] = stageA * 4;
      task[TASK.packStride] = (transA ? m : k) * 4;
      task[TASK.packGroups] = mr / 4;
    } else if (transA) {
      packColsA(stageA * 4, m * 4, packA * 4, k, mTiles, kp); // A stored [k×m]
    } else {
      packRows(stageA * 4, k * 4, packA * 4, mTiles, kp, mr / 4); // A stored [m×k]
    }
    if (bInPlace) {
      // Nothing to pack.
    } else if (deferB) {
      task[TASK.pack] = transB ? PACK.rowsB : PACK.colsB;
      task[TASK.packSrc] = stageB * 4;
      task[TASK.packStride] = (transB ? k : n) * 4;
      task[TASK.packGroups] = nr / 4;
    } else if (transB) {
      packRows(stageB * 4, k * 4, packB * 4, nTiles, kp, nr / 4); // B stored [n×k]
    } else {
      packColsB(stageB * 4, n * 4, packB * 4, k, nTiles, kp); // B stored [k×n]
    }
    if (split) runner.run(task);
    // Unsplit, nothing was deferred to pack: the compute directly, without runTask's call.
    else compute(task[0], task[1], task[2], task[3], task[4], task[5], task[6], task[7], task[8], task[9], task[10], task[11], task[12], task[13], task[14]);
    // Each row's largest |value| while C is still here (after the epilogue, when it ran here).
    if (rowMaxAbs !== null && fused) {
      const vectors = n >> 2;
      rowMaxAbsExport(cBase * 4, ldc * 4, m, vectors, maxAt * 4);
      for (let i = 0; i < m; i++) {
        const lanes = maxAt + 4 * i;
        rowMaxAbs[i] = Math.max(h[lanes], h[lanes + 1], h[lanes + 2], h[lanes + 3], largestAbs(h, cBase + i * ldc + 4 * vectors, cBase + i * ldc + n));
      }
    }

    if (cInPlace) {
      // C is already in out.
    } else if (sameLayout) {
      out.set(h.subarray(cBase, cBase + m * n), outOffset);
    } else if (accumulate) {
      for (let i = 0; i < m; i++) {
        const src = cBase + i * ldc;
        const dst = outOffset + i * n;
        for (let j = 0; j < n; j++) out[dst + j] += h[src + j];
      }
      const relu = activation === ACTIVATION.relu;
      if (bias !== null || relu) applyBiasRelu(out, outOffset, m, n, bias, relu);
      if (activation === ACTIVATION.tanh || activation === ACTIVATION.sigmoid) {
        // The map kernels' algorithms in JS, which give their bits (this path is rare: see fused).
        const fn = activation === ACTIVATION.tanh ? tanhf : sigmoidf;
        for (let i = outOffset, end = outOffset + m * n; i < end; i++) out[i] = fn(out[i]);
      }
      if (rowMaxAbs !== null) rowMaxAbsOf(out, outOffset, m, n, rowMaxAbs);
    } else {
      for (let i = 0; i < m; i++) {
        const src = cBase + i * ldc;
        const dst = outOffset + i * n;
        for (let j = 0; j < n; j++) out[dst + j] = h[src + j];
      }
    }
    return true;
  };

  /**
   * run for one column (n = 1) through `column` (column-code.ts: the compute's bits, C
   * contiguous), on this thread. Accumulating, C is computed from zero and added to out in JS,
   * then the bias and ReLU, as run does for every C narrower than a tile.
   */
  const runColumn = (
    out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number,
    transA: boolean, accumulate: boolean, aOffset: number, bOffset: number, outOffset: number,
    bias: Float32Array | null, relu: boolean, rowMaxAbs: Float32Array | Float64Array | null,
  ): boolean => {
    const mTiles = Math.ceil(m / mr);
    const kp = roundUp(k, 4);
    // Laid out as run lays out its regions (see there), B being k floats (stored [k×1] or [1×k]);
    // a small product stages every operand, as there.
    const lookUp = m * k >= RESIDENT_LOOKUP_WORK;
    const aHome = lookUp ? mem.residentAt(a) : -1;
    const bHome = lookUp ? mem.residentAt(b) : -1;
    const biasHome = bias === null || !lookUp ? -1 : mem.residentAt(bias);
    const outHome = lookUp ? mem.residentAt(out) : -1;
    const cInPlace = outHome >= 0 && !accumulate && m % mr === 0;
    let top = mem.stagingBase;
    const stageA = aHome >= 0 ? aHome + aOffset : top;
    if (aHome < 0) top += roundUp(m * k + mr * (kp + 4), 16);
    const stageB = bHome >= 0 ? bHome + bOffset : top;
    if (bHome < 0) top += roundUp(k, 16);
    const packA = top;
    top = roundUp(packA + mTiles * mr * kp, 16);
    const biasAt = biasHome >= 0 ? biasHome : top;
    if (bias !== null && biasHome < 0) top += 16;
    const cBase = cInPlace ? outHome + outOffset : top;
    if (!cInPlace) top += mTiles * mr;
    if (!mem.reserve((roundUp(top, 16) + roundUp(mr * (kp + 4), 16)) * 4)) return false;
    const h = mem.heap;
    if (aHome < 0) copyIn(h, stageA, a, aOffset, m * k);
    if (bHome < 0) copyIn(h, stageB, b, bOffset, k);
    if (bias !== null && biasHome < 0) h[biasAt] = bias[0];
    if (transA) packColsA(stageA * 4, m * 4, packA * 4, k, mTiles, kp); // A stored [k×m]
    else packRows(stageA * 4, k * 4, packA * 4, mTiles, kp, mr / 4); // A stored [m×k]
    column(packA * 4, stageB * 4, cBase * 4, mTiles, k, kp, bias !== null && !accumulate ? biasAt * 4 : 0, relu && !accumulate ? 1 : 0);
    if (accumulate) {
      for (let i = 0; i < m; i++) out[outOffset + i] += h[cBase + i];
      if (bias !== null || relu) applyBiasRelu(out, outOffset, m, 1, bias, relu);
    } else if (!cInPlace) {
      out.set(h.subarray(cBase, cBase + m), outOffset);
    }
    if (rowMaxAbs !== null) rowMaxAbsOf(out, outOffset, m, 1, rowMaxAbs);
    return true;
  };

  const sgdExport = instance.exports.sgd as SgdExport;
  const runTask = (t: Int32Array, at: number): void => {
    if (t[at + TASK.kind] === KIND.sgd) {
      sgdExport(t[at + SGD_TASK.theta], t[at + SGD_TASK.g], t[at + SGD_TASK.acc], t[at + SGD_TASK.length], 0, t[at + SGD_TASK.mode]);
      return;
    }
    const pack = t[at + TASK.pack];
    if (pack !== PACK.none) {
      const src = t[at + TASK.packSrc];
      const stride = t[at + TASK.packStride];
      const kLen = t[at + TASK.k];
      const kp = t[at + TASK.kp];
      const groups = t[at + TASK.packGroups];
      if (pack === PACK.colsA) packColsA(src, stride, t[at + TASK.aPtr], kLen, t[at + TASK.mTiles], kp);
      else if (pack === PACK.colsB) packColsB(src, stride, t[at + TASK.bPtr], kLen, t[at + TASK.nTiles], kp);
      else if (pack === PACK.rowsA) packRows(src, stride, t[at + TASK.aPtr], t[at + TASK.mTiles], kp, groups);
      else packRows(src, stride, t[at + TASK.bPtr], t[at + TASK.nTiles], kp, groups);
    }
    compute(t[at], t[at + 1], t[at + 2], t[at + 3], t[at + 4], t[at + 5], t[at + 6], t[at + 7], t[at + 8], t[at + 9], t[at + 10], t[at + 11], t[at + 12], t[at + 13], t[at + 14]);
  };


  const allocate = (length: number): Float32Array | null => mem.allocate(length);
  const borrow = (length: number): Float32Array | null => mem.borrow(length);
  const giveBack = (a: Float32Array): void => mem.giveBack(a);
  const residentAt = (a: Float32Array): number => mem.residentAt(a);
  return { config, module, tileMapModule, memory, shared, compute, allocate, borrow, giveBack, residentAt, runTask, run, ...elementwiseCalls(instance.exports, mem) };
}

/** memcpy of src[offset, offset+length) to h[base…]; subarray only when a slice is needed. */
function copyIn(h: Float32Array, base: number, src: Float32Array, offset: number, length: number): void {
  h.set(offset === 0 && src.length === length ? src : src.subarray(offset, offset + length), base);
}
