/**
 * The wasm kernel reads A stored [m×k] where it is (buildCompute's lda), with no packing, while C
 * has at most max(4, k/2) column panels of 8 (runtime.ts); A stored [k×m] (transA) it always
 * packs into k-major tiles. Each output value gets the same
 * multiply-adds in the same order either way, so the transA product of Aᵀ, whose A is packed,
 * must give the bits of the product of A, over tile edges, k blocks, epilogues, resident
 * operands and threads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bitsOf, seededFloats } from './seeded.fixture.js';
import { gemm, gemmThreadsReady, residentArray, setGemmThreads, THREAD_MIN_WORK, WASM_MIN_WORK } from './index.js';
import type { GemmOptions } from './gemm.js';

const values = (length: number, seed: number): Float32Array => seededFloats(length, seed, 3);

/** A [m×k] stored as [k×m]. */
function transposed(a: Float32Array, m: number, k: number): Float32Array {
  const t = new Float32Array(m * k);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) t[p * m + i] = a[i * k + p];
  return t;
}

/**
 * Where x's and y's bits first differ (as "index: x's value / y's value"), or null: a failing
 * comparison of 100,000s of values then reports at once (vitest's diff of them takes minutes).
 */
function firstDifference(x: Float32Array, y: Float32Array): string | null {
  const [bx, by] = [bitsOf(x), bitsOf(y)];
  const i = bx.findIndex((bits, index) => bits !== by[index]);
  return i < 0 && x.length === y.length ? null : `${i}: ${x[i]} / ${y[i]}`;
}

/** out after gemm(out, a, …) and after gemm(out, aᵀ, …, { transA: true }), from the same start. */
function inPlaceAndPacked(a: Float32Array, b: Float32Array, m: number, k: number, n: number, options: GemmOptions, start: Float32Array): [Float32Array, Float32Array] {
  const inPlace = start.slice();
  gemm(inPlace, a, b, m, k, n, options);
  const packed = start.slice();
  gemm(packed, transposed(a, m, k), b, m, k, n, { ...options, transA: true });
  return [inPlace, packed];
}

/**
 * m off the 4-row tile or on it, k of 1, 2, 3, 8, 18 and past a k block (256), n on and off the
 * 8-column panel, and 5 or 9 panels (A packed for k = 8, in place for k = 18).
 */
const SHAPES = [
  { m: 37, k: 1, n: 8 }, { m: 5, k: 2, n: 16 }, { m: 33, k: 3, n: 9 }, { m: 10, k: 8, n: 8 }, { m: 1001, k: 8, n: 8 },
  { m: 9, k: 8, n: 3 }, { m: 40, k: 2, n: 8 }, { m: 13, k: 300, n: 24 }, { m: 33, k: 8, n: 40 }, { m: 9, k: 18, n: 72 },
];
const EPILOGUES: readonly GemmOptions[] = [{}, { relu: true }, { activation: 'tanh' }, { activation: 'sigmoid' }];

afterEach(() => setGemmThreads(1));

describe('gemm(out, a, b) with A stored [m×k], read in place', () => {
  it('gives the bits of the transA product (A packed) for m off the tile, k = 1, 2, 3, 8, 18 and past a k block, n up to 9 panels, with bias, ReLU, tanh, sigmoid, accumulate and transB', () => {
    let seed = 1;
    for (const { m, k, n } of SHAPES) {
      expect(m * k * n).toBeGreaterThanOrEqual(WASM_MIN_WORK);
      for (const epilogue of EPILOGUES) {
        for (const accumulate of [false, true]) {
          for (const transB of [false, true]) {
            const a = values(m * k, seed++);
            const b = values(k * n, seed++);
            const options: GemmOptions = { ...epilogue, accumulate, transB, bias: values(n, seed++) };
            const [inPlace, packed] = inPlaceAndPacked(a, b, m, k, n, options, values(m * n, seed++));
            expect(firstDifference(inPlace, packed), `${m}×${k}·${k}×${n} ${JSON.stringify({ ...epilogue, accumulate, transB })}`).toBeNull();
          }
        }
      }
    }
  });

  it('keeps the NaN that follows a resident A (read by its last tile\'s rows past m) out of the result, with aOffset', () => {
    const [m, k, n, aOffset] = [1001, 8, 8, 3];
    const a = residentArray(aOffset + m * k)!;
    const after = residentArray(64)!.fill(NaN);
    expect(after.byteOffset - (a.byteOffset + a.byteLength)).toBeLessThan(64); // the block after A's
    a.set(values(m * k, 5), aOffset);
    const b = values(k * n, 6);
    const inPlace = new Float32Array(m * n);
    gemm(inPlace, a, b, m, k, n, { aOffset, activation: 'tanh' });
    const packed = new Float32Array(m * n);
    gemm(packed, transposed(a.subarray(aOffset), m, k), b, m, k, n, { transA: true, activation: 'tanh' });
    expect(inPlace.some(Number.isNaN)).toBe(false);
    expect(firstDifference(inPlace, packed)).toBeNull();
  });

  it('split over 2 threads, by row tiles (shifting A by whole rows) or by column panels, gives the bits of 1 thread and of the transA product', async () => {
    setGemmThreads(2);
    await gemmThreadsReady();
    // Row tiles outnumber column panels in the first three (a row split), not in the last.
    for (const [m, k, n, epilogue] of [[40001, 2, 16, { activation: 'tanh' }], [32771, 4, 8, { relu: true }], [130, 70, 128, { activation: 'sigmoid' }], [21, 512, 128, {}]] as const) {
      expect(m * k * n).toBeGreaterThanOrEqual(THREAD_MIN_WORK);
      const a = values(m * k, m);
      const b = values(k * n, n);
      const options: GemmOptions = { ...epilogue, bias: values(n, k) };
      setGemmThreads(2);
      const [two, packed] = inPlaceAndPacked(a, b, m, k, n, options, new Float32Array(m * n));
      setGemmThreads(1);
      const one = new Float32Array(m * n);
      gemm(one, a, b, m, k, n, options);
      expect(firstDifference(two, one), `${m}×${k}·${k}×${n} in place, 2 threads against 1`).toBeNull();
      expect(firstDifference(two, packed), `${m}×${k}·${k}×${n} in place against packed`).toBeNull();
    }
  });
});
