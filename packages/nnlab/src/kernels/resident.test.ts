/**
 * Resident arrays (residentArray: float32 arrays viewing the wasm kernel's memory) against
 * ordinary ones: gemm, epilogueGrad and wasmSgd read and write them in place, with bit-identical
 * results, and they stay valid when the memory grows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { epilogueGrad, gemm, gemmThreadsReady, residentArray, setGemmThreads, WASM_MIN_UPDATE, wasmSgd } from './index.js';

function randomF32(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1);
}

/** A resident copy of `values` (the test fails if there is none: Node has shared wasm memory). */
function resident(values: Float32Array): Float32Array {
  const r = residentArray(values.length);
  if (r === null) throw new Error('no resident array');
  r.set(values);
  return r;
}

function bitsOf(a: Float32Array): Int32Array {
  return new Int32Array(a.slice().buffer);
}

// Shapes with m a multiple of the 4-row tile and n of the 8-column panel (C written in place),
// and ones without (C staged and copied out), in all four transposition forms.
const SHAPES = [
  { m: 128, k: 64, n: 256 },
  { m: 33, k: 17, n: 10 },
  { m: 1, k: 300, n: 64 },
  { m: 64, k: 3, n: 24 },
];

describe('resident arrays', () => {
  afterEach(() => setGemmThreads(1));

  it('residentArray(n) gives n zeros viewing shared wasm memory in Node', () => {
    const r = residentArray(100)!;
    expect(r).toBeInstanceOf(Float32Array);
    expect(r.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(r)).toEqual(new Array(100).fill(0));
  });

  for (const threads of [1, 2]) {
    it(`gemm(out, a, b) with resident operands, out and bias gives the bits of ordinary arrays, accumulating or not, with ReLU (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      setGemmThreads(threads);
      if (threads > 1) await gemmThreadsReady();
      let seed = 1;
      for (const { m, k, n } of [...SHAPES, { m: 128, k: 128, n: 128 }]) {
        for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
          for (const accumulate of [false, true]) {
            const a = randomF32(m * k, seed++);
            const b = randomF32(k * n, seed++);
            const bias = randomF32(n, seed++);
            const start = randomF32(m * n, seed++);
            const options = { transA, transB, accumulate, bias, relu: true };
            const expected = start.slice();
            gemm(expected, a, b, m, k, n, options);
            const out = resident(start);
            gemm(out, resident(a), resident(b), m, k, n, { ...options, bias: resident(bias) });
            expect(bitsOf(out), `${m}×${k}·${k}×${n} transA ${transA} transB ${transB} accumulate ${accumulate}`).toEqual(bitsOf(expected));
          }
        }
      }
    });
  }

  it('gemm with some operands resident and others not, and with offsets, gives the bits of ordinary arrays', () => {
    const [m, k, n] = [20, 30, 16];
    const a = randomF32(m * k + 7, 11);
    const b = randomF32(k * n + 5, 12);
    const expected = new Float32Array(m * n + 3);
    gemm(expected, a, b, m, k, n, { aOffset: 7, bOffset: 5, outOffset: 3 });
    for (const [ra, rb, rout] of [[true, false, false], [false, true, true], [false, false, true]]) {
      const out = rout ? resident(new Float32Array(m * n + 3)) : new Float32Array(m * n + 3);
      gemm(out, ra ? resident(a) : a, rb ? resident(b) : b, m, k, n, { aOffset: 7, bOffset: 5, outOffset: 3 });
      expect(bitsOf(out)).toEqual(bitsOf(expected));
    }
  });

  it('epilogueGrad(dy, y, rows, cols, dz, sums) on resident arrays gives the bits of ordinary ones, and leaves the memory around them alone', () => {
    for (const [rows, cols] of [[64, 32], [33, 10], [128, 7]]) {
      const dy = randomF32(rows * cols, rows);
      const y = randomF32(rows * cols, cols);
      const dz = new Float32Array(rows * cols);
      const sums = new Float32Array(cols);
      epilogueGrad(dy, y, rows, cols, dz, sums);
      const [rdy, ry, rdz, rsums] = [resident(dy), resident(y), resident(new Float32Array(rows * cols)), resident(new Float32Array(cols))];
      const neighbour = resident(new Float32Array(16).fill(7));
      epilogueGrad(rdy, ry, rows, cols, rdz, rsums);
      expect(bitsOf(rdz)).toEqual(bitsOf(dz));
      expect(bitsOf(rsums)).toEqual(bitsOf(sums));
      const onlySums = resident(new Float32Array(cols));
      epilogueGrad(rdy, null, rows, cols, null, onlySums);
      const expectedSums = new Float32Array(cols);
      epilogueGrad(dy, null, rows, cols, null, expectedSums);
      expect(bitsOf(onlySums)).toEqual(bitsOf(expectedSums));
      expect(bitsOf(rdy)).toEqual(bitsOf(dy));
      expect(Array.from(neighbour)).toEqual(new Array(16).fill(7));
    }
  });

  it('wasmSgd on resident θ, g and momentum gives the bits of ordinary arrays, for sizes with and without whole vectors', () => {
    for (const size of [WASM_MIN_UPDATE, WASM_MIN_UPDATE + 3]) {
      const theta = randomF32(size, 1);
      const g = randomF32(size, 2);
      const acc = randomF32(size, 3);
      const [rt, rg, racc] = [resident(theta), resident(g), resident(acc)];
      const neighbour = resident(new Float32Array(16).fill(7));
      expect(wasmSgd(theta, g, acc, 0.1, 0.9, true)).toBe(true);
      expect(wasmSgd(rt, rg, racc, 0.1, 0.9, true)).toBe(true);
      expect(bitsOf(rt)).toEqual(bitsOf(theta));
      expect(bitsOf(racc)).toEqual(bitsOf(acc));
      expect(Array.from(neighbour)).toEqual(new Array(16).fill(7));
    }
  });

  it('a resident array keeps its values, and gemm keeps using it in place, after a larger product grows the memory', () => {
    const [m, k, n] = [64, 64, 64];
    const a = resident(randomF32(m * k, 5));
    const b = resident(randomF32(k * n, 6));
    const out = resident(new Float32Array(m * n));
    gemm(out, a, b, m, k, n);
    const before = out.slice();
    // 2×16×400,000 floats of operands (~51 MB): past anything staged before, so the memory grows.
    const [bm, bk, bn] = [16, 400_000, 16];
    gemm(new Float32Array(bm * bn), randomF32(bm * bk, 7), randomF32(bk * bn, 8), bm, bk, bn);
    expect(residentArray(1)!.buffer.byteLength).toBeGreaterThan(out.buffer.byteLength);
    expect(out.length).toBe(m * n);
    expect(Array.from(out)).toEqual(Array.from(before));
    out.fill(0);
    gemm(out, a, b, m, k, n);
    expect(Array.from(out)).toEqual(Array.from(before));
  });

  for (const threads of [1, 2]) {
    it(`gemm with one or two row tiles (m ≤ 8), which reads B in place instead of packing it, gives the bits of the same rows of a taller product (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      setGemmThreads(threads);
      if (threads > 1) await gemmThreadsReady();
      for (const [k, n] of [[1024, 1024], [300, 10], [17, 33]]) {
        const tall = 64;
        const a = randomF32(tall * k, k);
        const b = randomF32(k * n, n);
        const bias = randomF32(n, 3);
        const expected = new Float32Array(tall * n);
        gemm(expected, a, b, tall, k, n, { bias, relu: true });
        for (const m of [1, 3, 4, 8]) {
          const out = new Float32Array(m * n);
          gemm(out, a, b, m, k, n, { bias, relu: true });
          expect(bitsOf(out), `${m}×${k}·${k}×${n}`).toEqual(bitsOf(expected.subarray(0, m * n)));
          const residentOut = resident(new Float32Array(m * n));
          gemm(residentOut, resident(a.subarray(0, m * k)), resident(b), m, k, n, { bias, relu: true });
          expect(bitsOf(residentOut), `resident ${m}×${k}·${k}×${n}`).toEqual(bitsOf(expected.subarray(0, m * n)));
        }
      }
    });
  }

  for (const threads of [1, 2]) {
    it(`gemm(out, a, b, { update: { theta, lr } }) leaves θ as SGD's step after the product would, fused (resident θ and out) or not (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      setGemmThreads(threads);
      if (threads > 1) await gemmThreadsReady();
      let seed = 40;
      for (const [m, k, n, transA] of [[784, 128, 256, true], [1024, 1, 1024, true], [64, 32, 24, false], [33, 17, 10, false], [2, 3, 4, false]] as const) {
        const a = randomF32(m * k, seed++);
        const b = randomF32(k * n, seed++);
        const theta = randomF32(m * n, seed++);
        const lr = 0.37;
        const expectedOut = new Float32Array(m * n);
        gemm(expectedOut, a, b, transA ? m : m, k, n, { transA });
        const expectedTheta = theta.slice();
        for (let i = 0; i < expectedTheta.length; i++) expectedTheta[i] -= lr * expectedOut[i];
        for (const inWasm of [false, true]) {
          const out = inWasm ? resident(new Float32Array(m * n)) : new Float32Array(m * n);
          const th = inWasm ? resident(theta) : theta.slice();
          gemm(out, inWasm ? resident(a) : a, inWasm ? resident(b) : b, m, k, n, { transA, update: { theta: th, lr } });
          expect(bitsOf(out), `${m}×${k}·${k}×${n} resident ${inWasm}`).toEqual(bitsOf(expectedOut));
          expect(bitsOf(th), `${m}×${k}·${k}×${n} resident ${inWasm}`).toEqual(bitsOf(expectedTheta));
        }
      }
    });
  }
});
