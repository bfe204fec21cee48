/**
 * The host side of the elementwise wasm functions (runs in Node and browsers): `gradRows` (the
 * GEMM epilogue's backward) and `sgd` stage their arrays in the kernels' memory (or use them where
 * they are, when they are resident blocks of it, see memory.ts), call the export (code in
 * elementwise-code.ts) and copy the results out. runtime.ts adds these calls to the
 * kernel it instantiates; ../elementwise.ts decides when they run.
 */
import type { KernelMemory } from './memory.js';
import { roundUp } from './memory.js';
import { KIND, SGD_TASK, TASK, TASK_LENGTH } from './task.js';
import type { TileRunner } from './task.js';

type GradRowsExport = (g: number, y: number, dz: number, sums: number, rows: number, cols: number, relu: number) => void;
export type SgdExport = (theta: number, g: number, acc: number, n: number, params: number, mode: number) => void;

/** The elementwise functions as JS calls on float32 arrays (part of every WasmGemmF32). */
export interface ElementwiseCalls {
  /**
   * The backward of the epilogue for a [rows×cols] gradient g (rows, cols ≥ 1): dz = relu ?
   * (y <= 0 ? 0 : g) : g into `dz` (when given), and sums[j] = Σ_rows dz[row, j] into `sums`
   * (when given), bit-identical to the JS loops. Returns false when it does not fit in memory.
   */
  gradRows(
    g: Float32Array, y: Float32Array | null, dz: Float32Array | null, sums: Float32Array | null,
    rows: number, cols: number,
  ): boolean;
  /**
   * Gradient descent on float32 parameters in place, bit-identical to optim/sgd.ts's JS loop:
   * θ −= lr·g, or with momentum m (acc given) acc = m·acc + g and θ −= lr·acc (Nesterov:
   * θ −= lr·(g + m·acc)). Returns false, touching nothing, when it does not fit in memory. With a
   * runner, ranges of the parameters may be updated on several threads (the same bits).
   */
  sgd(
    theta: Float32Array, g: Float32Array, acc: Float32Array | null, lr: number, momentum: number, nesterov: boolean,
    runner?: TileRunner | null,
  ): boolean;
}

/** gradRows and sgd over one instance's exports and memory. */
export function elementwiseCalls(exports: WebAssembly.Exports, mem: KernelMemory): ElementwiseCalls {
  const gradRowsExport = exports.gradRows as GradRowsExport;
  const sgdExport = exports.sgd as SgdExport;
  const task = new Int32Array(TASK_LENGTH);
  task[TASK.kind] = KIND.sgd;

  const gradRows = (
    g: Float32Array, y: Float32Array | null, dz: Float32Array | null, sums: Float32Array | null,
    rows: number, cols: number,
  ): boolean => {
    const size = rows * cols;
    // Resident arrays (memory.ts) are used in place: g and y always (an over-read lands in the
    // memory after them), dz and sums when rows hold whole vectors, so that no write overhangs.
    const whole = cols % 4 === 0;
    const region = roundUp(size + 4, 16);
    const gHome = mem.residentAt(g);
    const yHome = y === null ? -1 : mem.residentAt(y);
    const dzHome = dz === null || !whole ? -1 : mem.residentAt(dz);
    const sumsHome = sums === null || !whole ? -1 : mem.residentAt(sums);
    let top = mem.stagingBase;
    const gAt = gHome >= 0 ? gHome : top;
    if (gHome < 0) top += region;
    const yAt = yHome >= 0 ? yHome : top;
    if (y !== null && yHome < 0) top += region;
    // Without dz and ReLU, dz = g is written onto g itself (the same values), unless a resident
    // g's last vector would overhang into its neighbour.
    const dzOntoG = dz === null && y === null && (gHome < 0 || whole);
    const dzAt = dzHome >= 0 ? dzHome : dzOntoG ? gAt : top;
    if (dzHome < 0 && !dzOntoG) top += region;
    const sumsAt = sumsHome >= 0 ? sumsHome : top;
    if (!mem.reserve((top + roundUp(cols + 4, 16) + 16) * 4)) return false;
    const h = mem.heap;
    if (gHome < 0) h.set(g, gAt);
    if (y !== null && yHome < 0) h.set(y, yAt);
    if (sums !== null) h.fill(0, sumsAt, sumsAt + (sumsHome >= 0 ? cols : cols + 4));
    gradRowsExport(gAt * 4, yAt * 4, dzAt * 4, sums === null ? 0 : sumsAt * 4, rows, cols, y === null ? 0 : 1);
    if (dz !== null && dzHome < 0) dz.set(h.subarray(dzAt, dzAt + size));
    if (sums !== null && sumsHome < 0) sums.set(h.subarray(sumsAt, sumsAt + cols));
    return true;
  };

  const sgd = (
    theta: Float32Array, g: Float32Array, acc: Float32Array | null, lr: number, momentum: number, nesterov: boolean,
    runner: TileRunner | null = null,
  ): boolean => {
    const n = theta.length;
    // Resident arrays are updated in place when the vectors cover them exactly (no overhang).
    const whole = n % 4 === 0;
    const length = whole ? n : roundUp(n, 16);
    const region = roundUp(n, 16); // whole vectors; the overhang is scratch
    const thetaHome = whole ? mem.residentAt(theta) : -1;
    const gHome = whole ? mem.residentAt(g) : -1;
    const accHome = acc === null || !whole ? -1 : mem.residentAt(acc);
    let top = mem.stagingBase;
    const thetaAt = thetaHome >= 0 ? thetaHome : top;
    if (thetaHome < 0) top += region;
    const gAt = gHome >= 0 ? gHome : top;
    if (gHome < 0) top += region;
    const accAt = accHome >= 0 ? accHome : top;
    if (acc !== null && accHome < 0) top += region;
    if (!mem.reserve(top * 4)) return false;
    const h = mem.heap;
    if (thetaHome < 0) h.set(theta, thetaAt);
    if (gHome < 0) h.set(g, gAt);
    if (acc !== null && accHome < 0) h.set(acc, accAt);
    mem.doubles[0] = lr; // [lr, momentum] at byte 0, below every block
    mem.doubles[1] = momentum;
    const mode = acc === null ? 0 : nesterov ? 2 : 1;
    if (runner === null) sgdExport(thetaAt * 4, gAt * 4, accAt * 4, length, 0, mode);
    else {
      task[SGD_TASK.theta] = thetaAt * 4;
      task[SGD_TASK.g] = gAt * 4;
      task[SGD_TASK.acc] = accAt * 4;
      task[SGD_TASK.length] = length;
      task[SGD_TASK.mode] = mode;
      runner.run(task);
    }
    if (thetaHome < 0) theta.set(h.subarray(thetaAt, thetaAt + n));
    if (acc !== null && accHome < 0) acc.set(h.subarray(accAt, accAt + n));
    return true;
  };

  return { gradRows, sgd };
}
