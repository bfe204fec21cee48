/**
 * A float32 product with one column (n = 1) runs the wasm module's `column` function
 * (wasm/column-code.ts), lanes along rows; it must give the bits the 4×8 compute gives that
 * column: C[i, 0] depends on row i of op(A) and column 0 of op(B) alone, so it is column 0 of the
 * same product with 8 columns, the first being b.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bitsOf, seededFloats } from './seeded.fixture.js';
import { gemm, gemmThreadsReady, residentArray, setGemmThreads } from './index.js';
import { applyBiasRelu, rowMaxAbsOf } from './epilogue.js';

const values = (length: number, seed: number, scale = 2): Float32Array => seededFloats(length, seed, scale);

/** op(B) with 8 columns whose first is b: stored [k×8], or [8×k] for transB. */
function widened(b: Float32Array, k: number, transB: boolean, seed: number): Float32Array {
  const wide = values(8 * k, seed);
  for (let p = 0; p < k; p++) wide[transB ? p : p * 8] = b[p];
  return wide;
}

/**
 * What gemm gave a one-column product before `column`: the compute's column 0 (from zero when
 * accumulating, the padded C then added to out in JS, then the bias and ReLU, as the runtime does).
 */
function expectedColumn(start: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, transA: boolean, transB: boolean, accumulate: boolean, bias: Float32Array | null, relu: boolean): Float32Array {
  const wide = new Float32Array(m * 8);
  const wideBias = bias === null ? undefined : Float32Array.from({ length: 8 }, (_, j) => (j === 0 ? bias[0] : 1));
  gemm(wide, a, widened(b, k, transB, m + k), m, k, 8, { transA, transB, ...(accumulate ? {} : { bias: wideBias, relu }) });
  const out = start.slice();
  for (let i = 0; i < m; i++) out[i] = accumulate ? out[i] + wide[i * 8] : wide[i * 8];
  if (accumulate && (bias !== null || relu)) applyBiasRelu(out, 0, m, 1, bias, relu);
  return out;
}

afterEach(() => setGemmThreads(1));

describe('gemm(out, a, b, m, k, 1) through the one-column kernel', () => {
  // Shapes of at least WASM_MIN_WORK multiply-adds (m·k ≥ 128), which take the wasm kernel.
  it('gives the bits of column 0 of the 8-column product, for transA/transB, accumulate, bias, ReLU, m off the tile and k past a k block', () => {
    let seed = 1;
    for (const [m, k] of [[16, 8], [37, 8], [40000, 8], [65, 2], [130, 300], [3, 43]]) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        for (const accumulate of [false, true]) {
          for (const [withBias, relu] of [[false, false], [true, false], [true, true], [false, true]]) {
            const a = values(m * k, seed++);
            const b = values(k, seed++);
            const bias = withBias ? values(1, seed++) : null;
            const start = values(m, seed++, 4);
            const out = start.slice();
            gemm(out, a, b, m, k, 1, { transA, transB, accumulate, relu, ...(bias === null ? {} : { bias }) });
            const where = `${m}×${k}·${k}×1 transA ${transA} transB ${transB} accumulate ${accumulate} bias ${withBias} relu ${relu}`;
            expect(bitsOf(out), where).toEqual(bitsOf(expectedColumn(start, a, b, m, k, transA, transB, accumulate, bias, relu)));
          }
        }
      }
    }
  });

  it('gives the same bits with NaN, ±Infinity and −0 in A and b (NaN stays NaN under ReLU, −0 becomes +0)', () => {
    const [m, k] = [12, 11];
    const a = values(m * k, 3);
    a.set([NaN, Infinity, -Infinity, -0, 0, 1e38, -1e38]);
    const b = values(k, 4);
    b[10] = -0;
    for (const relu of [false, true]) {
      const out = new Float32Array(m);
      gemm(out, a, b, m, k, 1, { relu, bias: new Float32Array([-0]) });
      expect(bitsOf(out), `relu ${relu}`).toEqual(bitsOf(expectedColumn(new Float32Array(m), a, b, m, k, false, false, false, new Float32Array([-0]), relu)));
    }
  });

  for (const threads of [1, 2]) {
    it(`gives the same bits with offsets, resident operands and out, and rowMaxAbs (${threads} thread${threads > 1 ? 's: the tiles split instead' : ''})`, async () => {
      setGemmThreads(threads);
      if (threads > 1) await gemmThreadsReady();
      const [m, k] = [40000, 32];
      const a = values(3 + m * k, 5);
      const b = values(2 + k, 6);
      const bias = values(1, 7);
      const expected = expectedColumn(new Float32Array(m), a.subarray(3), b.subarray(2), m, k, false, false, false, bias, true);
      const out = values(m + 5, 8);
      const rowMaxAbs = new Float32Array(m);
      gemm(out, a, b, m, k, 1, { aOffset: 3, bOffset: 2, outOffset: 5, bias, relu: true, rowMaxAbs });
      expect(bitsOf(out.subarray(5))).toEqual(bitsOf(expected));
      const wanted = new Float32Array(m);
      rowMaxAbsOf(expected, 0, m, 1, wanted);
      expect(bitsOf(rowMaxAbs)).toEqual(bitsOf(wanted));
      const resident = (x: Float32Array): Float32Array => {
        const r = residentArray(x.length) ?? new Float32Array(x.length);
        r.set(x);
        return r;
      };
      const inPlace = resident(new Float32Array(m));
      gemm(inPlace, resident(a.subarray(3)), resident(b.subarray(2)), m, k, 1, { bias: resident(bias), relu: true });
      expect(bitsOf(inPlace)).toEqual(bitsOf(expected));
    });
  }
});
