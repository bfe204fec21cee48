/**
 * The compute export's tile orders (buildCompute's rowsFirst: row tile by row tile, or column
 * panel by panel) and its two ways of reading A and B (packed tiles and panels, or in place with
 * lda and ldb) give the same bits: each tile is the same arithmetic whichever order or layout.
 */
import { describe, expect, it } from 'vitest';
import { hasRelaxedSimd, isWasmGemmAvailable } from './index.js';
import { ACTIVATION, DEFAULT_WASM_GEMM_CONFIG } from './wasm/gemm-code.js';
import { createWasmGemmF32 } from './wasm/runtime.js';
import { PACK, TASK, TASK_LENGTH } from './wasm/task.js';

function randomF32(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1);
}

describe('gemm compute export', () => {
  isWasmGemmAvailable(); // builds the realm's kernel, which turns Node 20's relaxed-SIMD flag on
  for (const fma of [false, true]) {
    it.runIf(!fma || hasRelaxedSimd())(`gives the same bits row tiles first or column panels first, with A and B each packed or read in place (fma ${fma})`, () => {
      const kernel = createWasmGemmF32({ ...DEFAULT_WASM_GEMM_CONFIG, fma });
      if (kernel === null) throw new Error('no wasm kernel');
      const { mr, nv, kc } = kernel.config;
      const nr = nv * 4;
      for (const [mTiles, nTiles, k] of [[5, 3, 1], [3, 2, 2], [4, 1, 3], [2, 3, 8], [3, 4, 37], [2, 2, kc + 9]]) {
        const [m, n] = [mTiles * mr, nTiles * nr];
        const kp = Math.ceil(k / 4) * 4;
        // Float offsets: A [m×k], B [k×n], packed A, packed B, bias, C.
        const at = { a: 64, b: 64 + m * k + 64 };
        const packA = at.b + k * n + 64;
        const packB = packA + m * kp;
        const bias = packB + n * kp + 64;
        const c = bias + n + 64;
        kernel.memory.grow(Math.ceil(((c + m * n) * 4) / 65536));
        const heap = new Float32Array(kernel.memory.buffer);
        heap.set(randomF32(m * k, k), at.a);
        heap.set(randomF32(k * n, n), at.b);
        heap.set(randomF32(n, 7), bias);
        const run = (rowsFirst: number, inPlaceB: boolean, pack: number, inPlaceA = false): Int32Array => {
          const task = new Int32Array(TASK_LENGTH);
          task[TASK.aPtr] = (inPlaceA ? at.a : packA) * 4;
          task[TASK.lda] = inPlaceA ? k * 4 : 0;
          task[TASK.bPtr] = (inPlaceB ? at.b : packB) * 4;
          task[TASK.cPtr] = c * 4;
          task[TASK.ldc] = n * 4;
          task[TASK.mTiles] = mTiles;
          task[TASK.nTiles] = nTiles;
          task[TASK.k] = k;
          task[TASK.kp] = kp;
          task[TASK.biasPtr] = bias * 4;
          task[TASK.activation] = ACTIVATION.relu;
          task[TASK.ldb] = inPlaceB ? n * 4 : 0;
          task[TASK.rowsFirst] = rowsFirst;
          task[TASK.pack] = pack;
          task[TASK.packSrc] = (pack === PACK.rowsA ? at.a : at.b) * 4;
          task[TASK.packStride] = (pack === PACK.rowsA ? k : n) * 4;
          task[TASK.packGroups] = mr / 4;
          heap.fill(-1, c, c + m * n); // a tile left out would keep this
          kernel.runTask(task, 0);
          return new Int32Array(heap.slice(c, c + m * n).buffer);
        };
        run(0, true, PACK.rowsA); // packs A
        const expected = run(0, false, PACK.colsB); // packs B
        expect(run(1, false, PACK.none), `${m}×${k}·${k}×${n}`).toEqual(expected);
        expect(run(0, true, PACK.none), `${m}×${k}·${k}×${n}`).toEqual(expected);
        expect(run(1, true, PACK.none), `${m}×${k}·${k}×${n}`).toEqual(expected);
        for (const [rowsFirst, inPlaceB] of [[0, false], [1, false], [0, true], [1, true]] as const) {
          expect(run(rowsFirst, inPlaceB, PACK.none, true), `${m}×${k}·${k}×${n} A in place`).toEqual(expected);
        }
      }
    });
  }
});
