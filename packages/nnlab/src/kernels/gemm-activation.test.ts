/**
 * gemm's fused activation (GemmOptions.activation: float32's tanh or sigmoid kernel in the
 * epilogue) must give the bits of the product followed by mapFloat32, on every path: the wasm
 * kernel's epilogue (tiles in registers, edge tiles, threads, resident operands), its JS fallback
 * (accumulating into a padded C), the tiny strided loop and the plain-JS kernel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bitsOf, seededFloats } from './seeded.fixture.js';
import { gemm, gemmThreadsReady, residentArray, setGemmThreads, setWasmGemmEnabled, THREAD_MIN_WORK, TINY_MAX_WORK } from './index.js';
import type { GemmActivation, GemmOptions } from './gemm.js';
import { mapFloat32 } from './vector.js';

/** Seeded values in [−scale, scale) (special values reach the activation through the bias, below). */
const values = (length: number, seed: number, scale = 3): Float32Array => seededFloats(length, seed, scale);

/** The unfused result: gemm with the bias only, then mapFloat32 over the m×n block. */
function productThenMap(start: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, options: GemmOptions, fn: GemmActivation): Float32Array {
  const out = start.slice();
  gemm(out, a, b, m, k, n, { ...options, activation: undefined });
  const offset = options.outOffset ?? 0;
  const block = out.subarray(offset, offset + m * n);
  mapFloat32(fn, block, block, m * n);
  return out;
}

const ACTIVATIONS: readonly GemmActivation[] = ['tanh', 'sigmoid'];
const TRANS = [[false, false], [true, false], [false, true], [true, true]] as const;
/**
 * m and n on and off the 4×8 tile (n a multiple of 8 maps in the wasm epilogue, other n after
 * the product), one and two row tiles (B read in place), a tiny product, k past a k block.
 */
const SHAPES = [
  { m: 4, k: 8, n: 8 }, { m: 5, k: 7, n: 9 }, { m: 33, k: 17, n: 10 }, { m: 8, k: 2, n: 3 }, { m: 9, k: 5, n: 16 },
  { m: 40, k: 2, n: 8 }, { m: 37, k: 8, n: 1 }, { m: 2, k: 3, n: 4 }, { m: 12, k: 300, n: 20 }, { m: 13, k: 300, n: 24 },
];

afterEach(() => {
  setWasmGemmEnabled(true);
  setGemmThreads(1);
});

describe('gemm(out, a, b, m, k, n, { activation })', () => {
  for (const fn of ACTIVATIONS) {
    it(`{ activation: '${fn}' } gives the bits of gemm then mapFloat32('${fn}'), over tile edges, transA/transB, accumulate and bias or none`, () => {
      let seed = 1;
      for (const { m, k, n } of SHAPES) {
        for (const [transA, transB] of TRANS) {
          for (const accumulate of [false, true]) {
            for (const withBias of [false, true]) {
              const a = values(m * k, seed++);
              const b = values(k * n, seed++);
              const start = values(m * n, seed++, 8);
              const options: GemmOptions = { transA, transB, accumulate, activation: fn, ...(withBias ? { bias: values(n, seed++, 12) } : {}) };
              const out = start.slice();
              gemm(out, a, b, m, k, n, options);
              const where = `${m}×${k}·${k}×${n} transA ${transA} transB ${transB} accumulate ${accumulate} bias ${withBias}`;
              expect(bitsOf(out), where).toEqual(bitsOf(productThenMap(start, a, b, m, k, n, options, fn)));
            }
          }
        }
      }
    });
  }

  it("{ activation } gives mapFloat32's bits for NaN, ±Infinity, ±0 and saturating values from the bias, accumulating or not", () => {
    const [m, k, n] = [9, 5, 12];
    const bias = values(n, 3);
    bias.set([NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 88.5]);
    const a = values(m * k, 1);
    const b = values(k * n, 2);
    const start = values(m * n, 4);
    for (const fn of ACTIVATIONS) {
      for (const accumulate of [false, true]) {
        const out = start.slice();
        gemm(out, a, b, m, k, n, { bias, accumulate, activation: fn });
        expect(bitsOf(out), `${fn} accumulate ${accumulate}`).toEqual(bitsOf(productThenMap(start, a, b, m, k, n, { bias, accumulate }, fn)));
      }
    }
  });

  it('{ activation } with rowMaxAbs gives each row the largest |value| after the activation', () => {
    for (const [m, k, n, fn] of [[6, 3, 50, 'tanh'], [6, 3, 50, 'sigmoid'], [7, 3, 48, 'tanh'], [7, 3, 48, 'sigmoid']] as const) {
      const a = values(m * k, 4);
      const b = values(k * n, 5);
      const bias = values(n, 6);
      const out = new Float32Array(m * n);
      const rowMaxAbs = new Float32Array(m);
      gemm(out, a, b, m, k, n, { bias, activation: fn, rowMaxAbs });
      const expected = productThenMap(new Float32Array(m * n), a, b, m, k, n, { bias }, fn);
      expect(bitsOf(out), fn).toEqual(bitsOf(expected));
      for (let i = 0; i < m; i++) expect(rowMaxAbs[i], `${fn} n ${n} row ${i}`).toBe(Math.max(...expected.subarray(i * n, (i + 1) * n).map(Math.abs)));
    }
  });

  it('{ activation } with offsets touches only the m×n block at outOffset', () => {
    for (const [m, k, n] of [[7, 6, 11], [7, 6, 16]]) {
      const a = values(3 + m * k, 7);
      const b = values(5 + k * n, 8);
      const start = values(4 + m * n + 2, 9);
      const options: GemmOptions = { aOffset: 3, bOffset: 5, outOffset: 4, bias: values(n, 10), activation: 'tanh' };
      const out = start.slice();
      gemm(out, a, b, m, k, n, options);
      expect(bitsOf(out), `n ${n}`).toEqual(bitsOf(productThenMap(start, a, b, m, k, n, options, 'tanh')));
    }
  });

  it('{ activation } gives the same bits on the plain-JS path (wasm off) as gemm then mapFloat32 there', () => {
    setWasmGemmEnabled(false);
    const [m, k, n] = [10, 9, 13];
    const a = values(m * k, 11);
    const b = values(k * n, 12);
    const bias = values(n, 13);
    for (const fn of ACTIVATIONS) {
      const out = new Float32Array(m * n);
      gemm(out, a, b, m, k, n, { bias, activation: fn });
      expect(bitsOf(out), fn).toEqual(bitsOf(productThenMap(new Float32Array(m * n), a, b, m, k, n, { bias }, fn)));
    }
  });

  it('{ activation } on resident operands and out (C written in place) gives the bits of ordinary arrays', () => {
    const [m, k, n] = [16, 24, 32];
    const resident = (x: Float32Array): Float32Array => {
      const r = residentArray(x.length) ?? new Float32Array(x.length);
      r.set(x);
      return r;
    };
    const a = values(m * k, 14);
    const b = values(k * n, 15);
    const bias = values(n, 16);
    for (const fn of ACTIVATIONS) {
      const expected = new Float32Array(m * n);
      gemm(expected, a, b, m, k, n, { bias, activation: fn });
      const out = resident(new Float32Array(m * n));
      gemm(out, resident(a), resident(b), m, k, n, { bias: resident(bias), activation: fn });
      expect(bitsOf(out), fn).toEqual(bitsOf(expected));
      expect(bitsOf(out), fn).toEqual(bitsOf(productThenMap(new Float32Array(m * n), a, b, m, k, n, { bias }, fn)));
    }
  });

  it('{ activation } split over 2 threads gives the bits of 1 thread, n filling whole tiles (the workers map them) or not', async () => {
    setGemmThreads(2);
    await gemmThreadsReady();
    for (const [m, k, n, fn] of [[130, 70, 128, 'tanh'], [130, 70, 128, 'sigmoid'], [130, 70, 123, 'tanh']] as const) {
      expect(m * k * n).toBeGreaterThanOrEqual(THREAD_MIN_WORK);
      const a = values(m * k, 17);
      const b = values(k * n, 18);
      const bias = values(n, 19);
      for (const transB of [false, true]) {
        const two = new Float32Array(m * n);
        setGemmThreads(2);
        gemm(two, a, b, m, k, n, { transB, bias, activation: fn });
        setGemmThreads(1);
        const one = new Float32Array(m * n);
        gemm(one, a, b, m, k, n, { transB, bias, activation: fn });
        expect(bitsOf(two), `${fn} transB ${transB}`).toEqual(bitsOf(one));
        expect(bitsOf(one), `${fn} transB ${transB}`).toEqual(bitsOf(productThenMap(new Float32Array(m * n), a, b, m, k, n, { transB, bias }, fn)));
      }
    }
  });

  it('{ activation } refuses a Float64Array out, relu or update with it, and a name that is not tanh or sigmoid', () => {
    const a = values(4, 1);
    expect(() => gemm(new Float32Array(4), a, a, 2, 2, 2, { activation: 'sigmoid', update: { theta: new Float32Array(4), lr: 0.1 } })).toThrow(/with update/);
    expect(() => gemm(new Float64Array(4), new Float64Array(4), new Float64Array(4), 2, 2, 2, { activation: 'tanh' })).toThrow(/on a Float64Array/);
    expect(() => gemm(new Float32Array(4), a, a, 2, 2, 2, { activation: 'tanh', relu: true })).toThrow(/with relu/);
    expect(() => gemm(new Float32Array(4), a, a, 2, 2, 2, { activation: 'exp' as GemmActivation })).toThrow(/got 'exp'/);
    expect(2 * 2 * 2).toBeLessThanOrEqual(TINY_MAX_WORK);
  });
});
