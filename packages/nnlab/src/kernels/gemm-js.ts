/**
 * The plain-JS GEMM kernels (run in Node and browsers): the strided dot-product loop for tiny
 * products (every transA/transB layout, no setup), and the blocked float64 kernel for float64
 * and for float32 without wasm, ~3–4 GFLOP/s: i-k-j order blocked 4 rows × 4 k steps, so the
 * innermost loop walks rows of B and out contiguously. transA only changes the stride of the
 * scalar A reads outside the inner loop; transB is absorbed by transposing B once into a reused
 * scratch buffer. float32 is widened into float64 scratch first (see gemmJs), so its sums are
 * accumulated in double. The scratch is module state, one set per realm; gemm never yields.
 */
import type { FloatArray } from '../tensor/dtype.js';

/** The plain-JS kernels (float64, or float32 without wasm). */
export function gemmJs(
  out: FloatArray, a: FloatArray, b: FloatArray,
  m: number, k: number, n: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  if (out instanceof Float64Array) {
    const a64 = a as Float64Array;
    if (transB) {
      scratchB = ensure(scratchB, k * n);
      transposeInto(scratchB, b, bOffset, n, k);
      gemmF64(out, a64, scratchB, m, k, n, transA, accumulate, aOffset, 0, outOffset);
    } else {
      gemmF64(out, a64, b as Float64Array, m, k, n, transA, accumulate, aOffset, bOffset, outOffset);
    }
    return;
  }
  // float32 runs through float64 copies: gemmF64 then only ever sees one array type, so V8
  // keeps it monomorphic (mixing element types in one loop measured 2–3× slower), and the
  // sums are accumulated in double. The copies are O(mk + kn + mn) against O(mkn) work.
  scratchA = ensure(scratchA, m * k);
  copyInto(scratchA, a, aOffset, m * k);
  scratchB = ensure(scratchB, k * n);
  if (transB) transposeInto(scratchB, b, bOffset, n, k);
  else copyInto(scratchB, b, bOffset, k * n);
  scratchC = ensure(scratchC, m * n);
  if (accumulate) copyInto(scratchC, out, outOffset, m * n);
  gemmF64(scratchC, scratchA, scratchB, m, k, n, transA, accumulate, 0, 0, 0);
  out.set(scratchC.length === m * n ? scratchC : scratchC.subarray(0, m * n), outOffset);
}

/** Direct Σ_p op(A)[i,p]·op(B)[p,j] with strides; every layout, zero setup. */
export function gemmStrided(
  out: FloatArray, a: FloatArray, b: FloatArray,
  m: number, k: number, n: number,
  transA: boolean, transB: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  const aRow = transA ? 1 : k;
  const aStep = transA ? m : 1;
  const bCol = transB ? k : 1;
  const bStep = transB ? 1 : n;
  for (let i = 0; i < m; i++) {
    const ai = aOffset + i * aRow;
    const oi = outOffset + i * n;
    for (let j = 0; j < n; j++) {
      let s = 0;
      let pa = ai;
      let pb = bOffset + j * bCol;
      for (let p = 0; p < k; p++) {
        s += a[pa] * b[pb];
        pa += aStep;
        pb += bStep;
      }
      out[oi + j] = accumulate ? out[oi + j] + s : s;
    }
  }
}

/**
 * i-k-j product for row-major B [k×n], blocked 4 rows × 4 k steps: the inner loop walks four
 * rows of B and four rows of out contiguously and does 16 multiply-adds per 8 element loads
 * and 4 stores, with the 16 A scalars held in registers. This measured ~3–4 GFLOP/s against
 * ~1–2 for a plain i-k-j loop. op(A)'s scalars are read with strides (aRow between rows, aStep
 * between k steps), which is what makes transA free here.
 */
function gemmF64(
  out: Float64Array, a: Float64Array, b: Float64Array,
  m: number, k: number, n: number,
  transA: boolean, accumulate: boolean,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  const aRow = transA ? 1 : k;
  const aStep = transA ? m : 1;
  if (!accumulate) out.fill(0, outOffset, outOffset + m * n);
  // k blocks keep the rows of B in use (JS_KC×n doubles) in L2 while every row block of out
  // passes over them; without it a 784×256 B is re-read from L3 for each 4 rows of out.
  for (let k0 = 0; k0 < k; k0 += JS_KC) {
    const kLen = Math.min(JS_KC, k - k0);
    addProductRows(out, a, b, m, kLen, n, aRow, aStep, aOffset + k0 * aStep, bOffset + k0 * n, outOffset);
  }
}

const JS_KC = 128;

/** out[m×n] += op(A)[:, block]·B[block, :] for one k block; see gemmF64. */
function addProductRows(
  out: Float64Array, a: Float64Array, b: Float64Array,
  m: number, k: number, n: number,
  aRow: number, aStep: number,
  aOffset: number, bOffset: number, outOffset: number,
): void {
  const k4 = k - (k & 3);
  const m4 = m - (m & 3);
  let i = 0;
  for (; i < m4; i += 4) {
    const o0 = outOffset + i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let pa = aOffset + i * aRow;
    let pb = bOffset;
    let p = 0;
    for (; p < k4; p += 4) {
      const c1 = pa + aStep;
      const c2 = c1 + aStep;
      const c3 = c2 + aStep;
      const a00 = a[pa], a01 = a[c1], a02 = a[c2], a03 = a[c3];
      const a10 = a[pa + aRow], a11 = a[c1 + aRow], a12 = a[c2 + aRow], a13 = a[c3 + aRow];
      const r2 = 2 * aRow;
      const a20 = a[pa + r2], a21 = a[c1 + r2], a22 = a[c2 + r2], a23 = a[c3 + r2];
      const r3 = 3 * aRow;
      const a30 = a[pa + r3], a31 = a[c1 + r3], a32 = a[c2 + r3], a33 = a[c3 + r3];
      const b1 = pb + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const x0 = b[pb + j], x1 = b[b1 + j], x2 = b[b2 + j], x3 = b[b3 + j];
        out[o0 + j] += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
        out[o1 + j] += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
        out[o2 + j] += a20 * x0 + a21 * x1 + a22 * x2 + a23 * x3;
        out[o3 + j] += a30 * x0 + a31 * x1 + a32 * x2 + a33 * x3;
      }
      pa += 4 * aStep;
      pb += 4 * n;
    }
    for (; p < k; p++) {
      const a0 = a[pa], a1 = a[pa + aRow], a2 = a[pa + 2 * aRow], a3 = a[pa + 3 * aRow];
      for (let j = 0; j < n; j++) {
        const x = b[pb + j];
        out[o0 + j] += a0 * x;
        out[o1 + j] += a1 * x;
        out[o2 + j] += a2 * x;
        out[o3 + j] += a3 * x;
      }
      pa += aStep;
      pb += n;
    }
  }
  for (; i < m; i++) {
    const o = outOffset + i * n;
    let pa = aOffset + i * aRow;
    let pb = bOffset;
    let p = 0;
    for (; p < k4; p += 4) {
      const a0 = a[pa], a1 = a[pa + aStep], a2 = a[pa + 2 * aStep], a3 = a[pa + 3 * aStep];
      const b1 = pb + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        out[o + j] += a0 * b[pb + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
      pa += 4 * aStep;
      pb += 4 * n;
    }
    for (; p < k; p++) {
      const a0 = a[pa];
      for (let j = 0; j < n; j++) out[o + j] += a0 * b[pb + j];
      pa += aStep;
      pb += n;
    }
  }
}

// Float64 scratch reused across calls (transposed B, float32 operands widened to double) so
// the JS path does not allocate per call once warm; each grows to the largest size seen.
let scratchA: Float64Array = new Float64Array(0);
let scratchB: Float64Array = new Float64Array(0);
let scratchC: Float64Array = new Float64Array(0);

function ensure(buffer: Float64Array, size: number): Float64Array {
  return buffer.length >= size ? buffer : new Float64Array(size);
}

/** dst[0, length) = src[offset, offset+length), converting to double. */
function copyInto(dst: Float64Array, src: FloatArray, offset: number, length: number): void {
  dst.set(offset === 0 && src.length === length ? src : src.subarray(offset, offset + length));
}

/** dst = transpose of the [rows×cols] matrix at src[offset…], i.e. dst is [cols×rows]. */
function transposeInto(dst: Float64Array, src: FloatArray, offset: number, rows: number, cols: number): void {
  // Tiles of 32×32 keep both the reads and the strided writes inside L1.
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(r0 + T, rows);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(c0 + T, cols);
      for (let r = r0; r < r1; r++) {
        const s = offset + r * cols;
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[s + c];
      }
    }
  }
}

