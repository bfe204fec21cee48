/**
 * The host side of the elementwise wasm functions (runs in Node and browsers): `gradRows` (the
 * GEMM epilogue's backward) and `sgd` stage their arrays in the kernels' memory, call the export
 * (code in elementwise-code.ts) and copy the results out. runtime.ts adds these calls to the
 * kernel it instantiates; ../elementwise.ts decides when they run.
 */
import type { KernelMemory } from './memory.js';
import { roundUp } from './memory.js';

type GradRowsExport = (g: number, y: number, dz: number, sums: number, rows: number, cols: number, relu: number) => void;
type SgdExport = (theta: number, g: number, acc: number, n: number, params: number, mode: number) => void;

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
   * θ −= lr·(g + m·acc)). Returns false, touching nothing, when it does not fit in memory.
   */
  sgd(theta: Float32Array, g: Float32Array, acc: Float32Array | null, lr: number, momentum: number, nesterov: boolean): boolean;
}

/** gradRows and sgd over one instance's exports and memory. */
export function elementwiseCalls(exports: WebAssembly.Exports, mem: KernelMemory): ElementwiseCalls {
  const gradRowsExport = exports.gradRows as GradRowsExport;
  const sgdExport = exports.sgd as SgdExport;

  const gradRows = (
    g: Float32Array, y: Float32Array | null, dz: Float32Array | null, sums: Float32Array | null,
    rows: number, cols: number,
  ): boolean => {
    const size = rows * cols;
    const region = roundUp(size + 4, 16);
    const gAt = 0;
    const yAt = gAt + region;
    const dzAt = yAt + region;
    const sumsAt = dzAt + region;
    if (!mem.reserve((sumsAt + roundUp(cols + 4, 16)) * 4)) return false;
    const h = mem.heap;
    h.set(g, gAt);
    if (y !== null) h.set(y, yAt);
    if (sums !== null) h.fill(0, sumsAt, sumsAt + cols + 4);
    gradRowsExport(gAt * 4, yAt * 4, dzAt * 4, sums === null ? 0 : sumsAt * 4, rows, cols, y === null ? 0 : 1);
    if (dz !== null) dz.set(h.subarray(dzAt, dzAt + size));
    if (sums !== null) sums.set(h.subarray(sumsAt, sumsAt + cols));
    return true;
  };

  const sgd = (theta: Float32Array, g: Float32Array, acc: Float32Array | null, lr: number, momentum: number, nesterov: boolean): boolean => {
    const n = theta.length;
    const region = roundUp(n, 16); // whole vectors; the overhang is scratch
    const thetaAt = 16; // after the two doubles [lr, momentum] at byte 0
    const gAt = thetaAt + region;
    const accAt = gAt + region;
    if (!mem.reserve((accAt + (acc === null ? 0 : region)) * 4)) return false;
    const h = mem.heap;
    h.set(theta, thetaAt);
    h.set(g, gAt);
    if (acc !== null) h.set(acc, accAt);
    mem.doubles[0] = lr;
    mem.doubles[1] = momentum;
    sgdExport(thetaAt * 4, gAt * 4, accAt * 4, region, 0, acc === null ? 0 : nesterov ? 2 : 1);
    theta.set(h.subarray(thetaAt, thetaAt + n));
    if (acc !== null) acc.set(h.subarray(accAt, accAt + n));
    return true;
  };

  return { gradRows, sgd };
}
