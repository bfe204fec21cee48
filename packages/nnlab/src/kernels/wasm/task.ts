/**
 * A GEMM task (runs in Node and browsers): the compute export's arguments as Int32 slots, and
 * how to split one into parts that threads compute independently, bit-identically to one call.
 * Shared by the runtime (runtime.ts), which fills a task, and the thread pool
 * (../threads/pool.ts), which copies slices of it into shared memory for its workers.
 */
import type { WasmGemmConfig } from './gemm-code.js';

/**
 * Slots of a task (an Int32Array of TASK_LENGTH): the compute export's arguments in order, then
 * an operand left to pack per part (`pack`, one of PACK; its source, row stride and packRows
 * groups), so that with threads each part packs the B panels (or A tiles) only it reads. The
 * last slot says which export the task calls (`kind`, one of KIND).
 */
export const TASK = {
  aPtr: 0, bPtr: 1, cPtr: 2, ldc: 3, mTiles: 4, nTiles: 5, k: 6, kp: 7, loadC: 8, biasPtr: 9, activation: 10, ldb: 11,
  thetaOffset: 12, rowsFirst: 13, lda: 14, pack: 15, packSrc: 16, packStride: 17, packGroups: 18, kind: 19,
} as const;
export const TASK_LENGTH = 20;
/** What a task computes (TASK.kind): a product's tiles, or SGD's update of a range of parameters. */
export const KIND = { gemm: 0, sgd: 1 } as const;
/**
 * An sgd task's slots: the sgd export's arguments (byte addresses of θ, g and the accumulator,
 * the float count, a multiple of 4, and the mode; lr and momentum are the doubles at byte 0).
 */
export const SGD_TASK = { theta: 0, g: 1, acc: 2, length: 3, mode: 4 } as const;
/**
 * An sgd part holds at least this many floats: SGD costs ~0.5 ns a value on one thread, and a
 * part is one claim and one call. A multiple of 16, so parts start on 64-byte lines.
 */
export const SGD_PART_FLOATS = 8192;
/** Which operand a task part packs before computing (TASK.pack). */
export const PACK = { none: 0, colsA: 1, colsB: 2, rowsA: 3, rowsB: 4 } as const;

/**
 * How many parts a task can be split into for `parts` threads: one per thread, unless there
 * are fewer tiles than threads along both axes.
 */
export function partsOf(task: Int32Array, parts: number): number {
  if (task[TASK.kind] === KIND.sgd) return Math.max(1, Math.min(parts, Math.floor(task[SGD_TASK.length] / SGD_PART_FLOATS)));
  return Math.min(parts, Math.max(task[TASK.mTiles], task[TASK.nTiles]));
}

/**
 * Writes into `out` part `part` of `parts` of `task`: a contiguous range of column panels when
 * there are at least as many panels as row tiles, else of row tiles. Each C tile is computed by
 * exactly one part, with the same instructions as the whole task, so any split gives the
 * bit-identical result of one call. `parts` must not exceed partsOf(task, parts).
 */
export function sliceTask(task: Int32Array, part: number, parts: number, config: WasmGemmConfig, out: Int32Array): void {
  out.set(task);
  if (task[TASK.kind] === KIND.sgd) {
    sliceSgd(task, part, parts, out);
    return;
  }
  const kp = task[TASK.kp];
  const mTiles = task[TASK.mTiles];
  const nTiles = task[TASK.nTiles];
  if (nTiles >= mTiles) {
    const nr = config.nv * 4;
    const j0 = Math.floor((part * nTiles) / parts);
    const j1 = Math.floor(((part + 1) * nTiles) / parts);
    out[TASK.nTiles] = j1 - j0;
    out[TASK.bPtr] += j0 * nr * 4 * (task[TASK.ldb] === 0 ? kp : 1); // packed panels, or B's columns in place
    out[TASK.cPtr] += j0 * nr * 4;
    if (task[TASK.biasPtr] !== 0) out[TASK.biasPtr] += j0 * nr * 4;
    if (task[TASK.pack] === PACK.colsB) out[TASK.packSrc] += j0 * nr * 4;
    else if (task[TASK.pack] === PACK.rowsB) out[TASK.packSrc] += j0 * nr * task[TASK.packStride];
    else if (task[TASK.pack] !== PACK.none) throw new Error('sliceTask: a column split can only pack B');
  } else {
    const i0 = Math.floor((part * mTiles) / parts);
    const i1 = Math.floor(((part + 1) * mTiles) / parts);
    out[TASK.mTiles] = i1 - i0;
    out[TASK.aPtr] += i0 * config.mr * (task[TASK.lda] === 0 ? kp * 4 : task[TASK.lda]); // packed tiles, or A's rows in place
    out[TASK.cPtr] += i0 * config.mr * task[TASK.ldc];
    if (task[TASK.pack] === PACK.colsA) out[TASK.packSrc] += i0 * config.mr * 4;
    else if (task[TASK.pack] === PACK.rowsA) out[TASK.packSrc] += i0 * config.mr * task[TASK.packStride];
    else if (task[TASK.pack] !== PACK.none) throw new Error('sliceTask: a row split can only pack A');
  }
}

/**
 * Part `part` of `parts` of an sgd task: a contiguous range of whole 16-float lines (the last
 * part takes the rest), so no two threads write to one cache line. Each value is updated by
 * exactly one part, with the same instructions, so any split gives one call's bits.
 */
function sliceSgd(task: Int32Array, part: number, parts: number, out: Int32Array): void {
  const length = task[SGD_TASK.length];
  const lines = Math.floor(length / 16);
  const start = Math.floor((part * lines) / parts) * 16;
  const end = part === parts - 1 ? length : Math.floor(((part + 1) * lines) / parts) * 16;
  out[SGD_TASK.theta] += start * 4;
  out[SGD_TASK.g] += start * 4;
  out[SGD_TASK.acc] += start * 4;
  out[SGD_TASK.length] = end - start;
}

/** Whether a split of `task` (see sliceTask) runs along column panels (else row tiles). */
export function splitsColumns(task: Int32Array): boolean {
  return task[TASK.nTiles] >= task[TASK.mTiles];
}

/** Runs a task's tiles, possibly split across threads (see ../threads/pool.ts). */
export interface TileRunner {
  /** Called before copying and packing: lets sleeping threads wake up meanwhile. */
  wake(): void;
  /** Whether running `task` here would use more than the calling thread. */
  wouldSplit(task: Int32Array): boolean;
  run(task: Int32Array): void;
}
