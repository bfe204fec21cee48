/**
 * gemm is checked against a naive triple loop in float64, with the tolerance of the standard
 * error bound for a length-k dot product (k·u·Σ|a||b|, u the unit roundoff of the dtype), so
 * the same check is tight for float64 and fair for float32 accumulated in f32x4 lanes.
 * Shapes are picked on both sides of TINY_MAX_WORK and WASM_MIN_WORK so every path runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gemm, isWasmGemmAvailable, setWasmGemmEnabled, TINY_MAX_WORK, WASM_MIN_WORK } from './index.js';
import type { FloatArray } from './index.js';
import { buildGemmModule, buildTileMapModule } from './wasm/module.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const DTYPES: ReadonlyArray<readonly [string, Ctor, number]> = [
  ['float32', Float32Array, 2 ** -24],
  ['float64', Float64Array, 2 ** -53],
];
const TRANS: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

/** Tiny seeded LCG so failures reproduce; values in [-1, 1). */
function filled(ctor: Ctor, length: number, seed: number): FloatArray {
  const out = new ctor(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

interface Case {
  m: number; k: number; n: number;
  transA?: boolean; transB?: boolean; accumulate?: boolean;
  aOffset?: number; bOffset?: number; outOffset?: number;
}

/** Naive reference: the product in float64, plus Σ|terms| per element for the error bound. */
function reference(out0: FloatArray, a: FloatArray, b: FloatArray, c: Case): { value: Float64Array; magnitude: Float64Array } {
  const { m, k, n, transA = false, transB = false, accumulate = false, aOffset = 0, bOffset = 0, outOffset = 0 } = c;
  // Gather op(A) by rows and op(B) by columns first, so the triple loop is a plain dot product.
  const rowsA = new Float64Array(m * k);
  const colsB = new Float64Array(n * k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) rowsA[i * k + p] = transA ? a[aOffset + p * m + i] : a[aOffset + i * k + p];
  }
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < k; p++) colsB[j * k + p] = transB ? b[bOffset + j * k + p] : b[bOffset + p * n + j];
  }
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = accumulate ? out0[outOffset + i * n + j] : 0;
      let mag = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const t = rowsA[i * k + p] * colsB[j * k + p];
        s += t;
        mag += Math.abs(t);
      }
      value[i * n + j] = s;
      magnitude[i * n + j] = mag;
    }
  }
  return { value, magnitude };
}

/** Runs gemm on fresh operands (with sentinel padding around each slice) and checks it. */
function check(ctor: Ctor, unitRoundoff: number, c: Case, seed = 1): void {
  const { m, k, n, aOffset = 0, bOffset = 0, outOffset = 0 } = c;
  const pad = 7;
  const a = filled(ctor, aOffset + m * k + pad, seed);
  const b = filled(ctor, bOffset + k * n + pad, seed + 1);
  const out = filled(ctor, outOffset + m * n + pad, seed + 2);
  const out0 = out.slice();
  const a0 = a.slice();
  const b0 = b.slice();
  const { value, magnitude } = reference(out0, a, b, c);

  gemm(out, a, b, m, k, n, c);

  const bound = (k + 2) * unitRoundoff;
  for (let i = 0; i < m * n; i++) {
    const got = out[outOffset + i];
    const want = value[i];
    if (!(Math.abs(got - want) <= bound * magnitude[i] + 1e-300)) {
      expect.fail(`element ${i} (row ${Math.floor(i / n)}, col ${i % n}) of ${JSON.stringify(c)}: got ${got}, want ${want}`);
    }
  }
  // Nothing outside the output slice is written, and the inputs are left alone.
  for (let i = 0; i < outOffset; i++) expect(out[i]).toBe(out0[i]);
  for (let i = outOffset + m * n; i < out.length; i++) expect(out[i]).toBe(out0[i]);
  expect(firstDifference(a, a0)).toBe(-1);
  expect(firstDifference(b, b0)).toBe(-1);
}

/** Index of the first element that differs (NaN equal to NaN), or -1; cheaper than toEqual. */
function firstDifference(x: FloatArray, y: FloatArray): number {
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return x.length === y.length ? -1 : x.length;
}

const ODD = [1, 3, 5, 17, 33, 130];
const ODD_SHAPES: Case[] = [];
for (const m of ODD) for (const k of ODD) for (const n of ODD) {
  // A spread of shapes: all the small ones, and the big ones where at most one dim is 130.
  if ([m, k, n].filter((d) => d === 130).length <= 1 && (m * k * n <= 40_000 || (m + k + n) % 3 === 0)) {
    ODD_SHAPES.push({ m, k, n });
  }
}

// Shapes straddling the thresholds (so tiny, JS-blocked and wasm paths are all exercised),
// including tile-ragged ones (m, n not multiples of 4 and 8; k not a multiple of 4).
const THRESHOLD_SHAPES: Case[] = [
  { m: 4, k: 2, n: 2 },
  { m: 2, k: 3, n: 5 },
  { m: 4, k: 4, n: 4 }, // TINY_MAX_WORK
  { m: 3, k: 5, n: 5 },
  { m: 5, k: 5, n: 5 },
  { m: 4, k: 4, n: 8 }, // WASM_MIN_WORK
  { m: 3, k: 7, n: 7 },
  { m: 16, k: 16, n: 16 },
  { m: 31, k: 31, n: 33 },
  { m: 37, k: 29, n: 41 },
  { m: 9, k: 1000, n: 7 },
  { m: 130, k: 67, n: 10 },
  { m: 128, k: 128, n: 10 },
];

// Several k blocks (k > the wasm KC of 256 and the JS block of 128) with ragged tiles.
const LONG_K_SHAPES: Case[] = [
  { m: 36, k: 784, n: 40 },
  { m: 13, k: 600, n: 9 },
];

// The products of one training step of a 784-256-128-10 MLP on a batch of 128.
const MLP_STEP: Case[] = [
  { m: 128, k: 784, n: 256 }, // forward X·W1
  { m: 128, k: 128, n: 10 }, // forward, last layer
  { m: 784, k: 128, n: 256, transA: true }, // dW1 = Xᵀ·dY
  { m: 128, k: 256, n: 784, transB: true }, // dX = dY·W2ᵀ
  { m: 128, k: 10, n: 128, transB: true }, // dX through the last layer
];

afterEach(() => setWasmGemmEnabled(true));

describe('gemm', () => {
  it('has the wasm SIMD path available on Node 20, so the large-shape tests below exercise it', () => {
    expect(isWasmGemmAvailable()).toBe(true);
  });

  it('covers every path with the threshold shapes', () => {
    const works = THRESHOLD_SHAPES.map((c) => c.m * c.k * c.n);
    expect(works.some((w) => w <= TINY_MAX_WORK)).toBe(true);
    expect(works.some((w) => w > TINY_MAX_WORK && w < WASM_MIN_WORK)).toBe(true);
    expect(works.some((w) => w >= WASM_MIN_WORK)).toBe(true);
  });

  for (const [dtype, ctor, u] of DTYPES) {
    describe(`with ${dtype}`, () => {
      for (const [transA, transB] of TRANS) {
        const variant = `transA=${transA}, transB=${transB}`;

        it(`gemm(out, a, b) with ${variant} matches the naive product for odd sizes`, () => {
          for (const c of ODD_SHAPES) check(ctor, u, { ...c, transA, transB });
        });

        it(`gemm(out, a, b) with ${variant} matches the naive product on both sides of the path thresholds`, () => {
          for (const c of THRESHOLD_SHAPES) check(ctor, u, { ...c, transA, transB });
        });

        it(`gemm(out, a, b, { accumulate }) with ${variant} adds the product to out`, () => {
          for (const c of [...THRESHOLD_SHAPES, { m: 33, k: 130, n: 17 }, { m: 64, k: 40, n: 64 }]) {
            check(ctor, u, { ...c, transA, transB, accumulate: true });
          }
        });

        it(`gemm(out, a, b) with ${variant} honours aOffset, bOffset and outOffset and writes only its slice`, () => {
          for (const c of [{ m: 3, k: 5, n: 2 }, { m: 17, k: 33, n: 5 }, { m: 40, k: 33, n: 24 }, { m: 33, k: 130, n: 17 }]) {
            check(ctor, u, { ...c, transA, transB, aOffset: 5, bOffset: 11, outOffset: 3 });
            check(ctor, u, { ...c, transA, transB, aOffset: 2, bOffset: 0, outOffset: 9, accumulate: true });
          }
        });

        it(`gemm(out, a, b) with ${variant} matches the naive product when k spans several blocks`, () => {
          for (const c of LONG_K_SHAPES) check(ctor, u, { ...c, transA, transB });
        });
      }
    });
  }

  it('matches the naive product for the float32 products of an MLP training step', () => {
    for (const c of MLP_STEP) check(Float32Array, 2 ** -24, c);
  });

  it('the plain-JS path matches the naive product for float32 shapes that would go to wasm', () => {
    setWasmGemmEnabled(false);
    for (const [transA, transB] of TRANS) {
      for (const c of [{ m: 33, k: 130, n: 17 }, { m: 64, k: 64, n: 64 }, { m: 128, k: 128, n: 10 }]) {
        check(Float32Array, 2 ** -24, { ...c, transA, transB });
        check(Float32Array, 2 ** -24, { ...c, transA, transB, accumulate: true, aOffset: 1, bOffset: 2, outOffset: 3 });
      }
    }
  });

  it('gemm with m or n of 0 writes nothing', () => {
    for (const [, ctor] of DTYPES) {
      const out = filled(ctor, 6, 3);
      const before = out.slice();
      gemm(out, filled(ctor, 6, 1), filled(ctor, 6, 2), 0, 3, 2);
      gemm(out, filled(ctor, 6, 1), filled(ctor, 6, 2), 2, 3, 0);
      expect(out).toEqual(before);
    }
  });

  it('gemm with k of 0 zeroes out, or leaves it as is when accumulating', () => {
    for (const [, ctor] of DTYPES) {
      const out = filled(ctor, 8, 3);
      const before = out.slice();
      gemm(out, new ctor(0), new ctor(0), 2, 0, 3, { accumulate: true, outOffset: 1 });
      expect(out).toEqual(before);
      gemm(out, new ctor(0), new ctor(0), 2, 0, 3, { outOffset: 1 });
      expect(Array.from(out)).toEqual([before[0], 0, 0, 0, 0, 0, 0, before[7]]);
    }
  });

  it('computes the 4×2·2×2 product of an XOR net exactly', () => {
    for (const [, ctor] of DTYPES) {
      const x = ctor.from([0, 0, 0, 1, 1, 0, 1, 1]);
      const w = ctor.from([1, 2, 3, 4]);
      const out = new ctor(8);
      gemm(out, x, w, 4, 2, 2);
      expect(Array.from(out)).toEqual([0, 0, 3, 4, 1, 2, 4, 6]);
    }
  });

  it('propagates NaN and Infinity like the naive product', () => {
    for (const [, ctor] of DTYPES) {
      for (const [m, k, n] of [[3, 4, 5], [40, 33, 24]]) {
        const a = filled(ctor, m * k, 5);
        const b = filled(ctor, k * n, 6);
        a[k + 1] = NaN; // row 1 of A
        b[2 * n + 3] = Infinity; // column 3 of B
        const out = new ctor(m * n);
        gemm(out, a, b, m, k, n);
        const { value } = reference(out, a, b, { m, k, n });
        for (let i = 0; i < m * n; i++) {
          expect(Number.isNaN(out[i])).toBe(Number.isNaN(value[i]));
          if (!Number.isNaN(value[i]) && !Number.isFinite(value[i])) expect(out[i]).toBe(value[i]);
        }
      }
    }
  });

  it('keeps results exact after a larger product left NaN in the reused wasm memory', () => {
    // Ragged tiles read past the staged operands into memory a previous call wrote;
    // that must only ever reach output rows/columns that are discarded.
    const big = new Float32Array(200 * 300).fill(NaN);
    gemm(new Float32Array(200 * 200), big, big, 200, 300, 200);
    gemm(new Float32Array(200 * 200), big, big, 200, 300, 200, { transA: true, transB: true });
    for (const [transA, transB] of TRANS) {
      for (const c of [{ m: 33, k: 130, n: 17 }, { m: 37, k: 29, n: 41 }, { m: 130, k: 67, n: 10 }]) {
        check(Float32Array, 2 ** -24, { ...c, transA, transB });
        check(Float32Array, 2 ** -24, { ...c, transA, transB, accumulate: true, outOffset: 2 });
      }
    }
  });

  it('grows wasm memory for a product larger than any before it and stays correct', () => {
    check(Float32Array, 2 ** -24, { m: 40, k: 40, n: 40 });
    check(Float32Array, 2 ** -24, { m: 150, k: 600, n: 130 });
    check(Float32Array, 2 ** -24, { m: 40, k: 40, n: 40 });
  });

  it('emits valid SIMD modules (the GEMM and its tile maps) each small enough for synchronous compilation in browsers', () => {
    for (const bytes of [buildGemmModule(), buildTileMapModule()]) {
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(bytes.length).toBeLessThan(4096);
    }
  });
});
