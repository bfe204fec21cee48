/**
 * float32 exp, log, tanh and sigmoid: the algorithms of the library's float32 ops, written here
 * once in JavaScript (every step rounded to float32 by Math.fround) and repeated lane by lane,
 * four values at a time, by the WebAssembly SIMD kernels in ../kernels/wasm/vector-code.ts, which
 * read their constants from this file. Both use only IEEE 754 operations that every engine
 * rounds the same way (+, −, ×, ÷, round-to-nearest-even, no fused multiply-add), so a float32
 * op gives the same bits in JS or wasm, in Node or any browser, on any CPU. (A double result
 * rounded to float32 once is correctly rounded for +, −, ×, ÷ of float32 values: 53 ≥ 2·24 + 2.)
 *
 * float64 ops keep the fdlibm ports in this folder: these trade the last bit for speed (at most
 * 2 ulp from the exact value, measured over every float32 input; see docs/api.md).
 *
 * Methods (Cephes' single-precision functions, in a branch-free form a SIMD lane can follow):
 *  - exp: x = k·ln2 + r, k = round(x·log₂e), r = x − k·C1 − k·C2 (ln2 split so that k·C1 and
 *    x − k·C1 are exact), e^r by a degree-7 polynomial, times 2^k applied as two powers of two
 *    (2^⌊k/2⌋·2^(k−⌊k/2⌋)) so subnormal results round once and 2^128 needs no special case.
 *    x is first clamped to [−104, 89], beyond which e^x is 0 or +∞ in float32.
 *  - log: x = 2^e·m with m in [√½, √2), f = m − 1 (exact), log(1 + f) = f − f²/2 + f³·P(f),
 *    plus e·ln2 added in two parts; subnormals are scaled by 2^23 first.
 *  - tanh: odd, computed on |x| and given x's sign: below 0.625 x + x³·P(x²), else
 *    1 − 2/(e^{2|x|} + 1).
 *  - sigmoid: with t = e^{−|x|}, 1/(1 + t) for x ≥ 0 and t/(1 + t) below (no overflow either way),
 *    corrected for the rounding of 1 + t.
 * NaN in gives NaN out (one canonical NaN from the wasm kernels), as do log of a negative number;
 * log(±0) = −∞, log(+∞) = +∞, exp(−∞) = 0, tanh(±∞) = ±1, sigmoid(±∞) = 1 or 0, and ±0 keeps its
 * sign through tanh.
 */
const { fround } = Math;

export const EXP_LOWEST = -104;
export const EXP_HIGHEST = 89;
export const LOG2E = fround(1.44269504088896341);
/** ln2 = C1 + C2, C1 with 9 significant bits so k·C1 is exact for |k| ≤ 150. */
export const LN2_C1 = 0.693359375;
export const LN2_C2 = fround(-2.12194440e-4);
/** e^r ≈ 1 + r + r²·(EXP_P[0]·r⁵ + … + EXP_P[5]) on |r| ≤ ln2/2 (Cephes expf). */
export const EXP_P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1].map(fround);

export const SQRT_HALF = fround(0.707106781186547524);
/** 2^-126, the smallest normal float32: log scales anything below it by 2^23. */
export const SMALLEST_NORMAL = 2 ** -126;
export const SUBNORMAL_SCALE = 2 ** 23;
/** log(1 + f) ≈ f − f²/2 + f³·(LOG_P[0]·f⁸ + … + LOG_P[8]) on [√½ − 1, √2 − 1] (Cephes logf). */
export const LOG_P = [
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(fround);

/** Below this |x| tanh uses its odd polynomial (Cephes tanhf's bound). */
export const TANH_SMALL = 0.625;
/** tanh(x) ≈ x + x³·(TANH_P[0]·x⁸ + … + TANH_P[4]) for |x| < 0.625 (Cephes tanhf). */
export const TANH_P = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1].map(fround);

/** Round half to even for |z| < 2^51 (float64 addition rounds that way): wasm's f32x4.nearest. */
const ROUNDER = 1.5 * 2 ** 52;
function nearest(z: number): number {
  return z + ROUNDER - ROUNDER;
}

/** 2^k for −75 ≤ k ≤ 64, the halves of exp's scaling. */
const POW2 = new Float32Array(140);
for (let k = -75, p = 2 ** -75; k <= 64; k++, p *= 2) POW2[k + 75] = p;

/** e^x in float32 (x a float32 value). */
export function expf(x: number): number {
  x = x < EXP_LOWEST ? EXP_LOWEST : x > EXP_HIGHEST ? EXP_HIGHEST : x; // NaN passes through
  if (x !== x) return NaN;
  const k = nearest(fround(x * LOG2E));
  const r = fround(fround(x - fround(k * LN2_C1)) - fround(k * LN2_C2));
  const p = expPolynomial(r);
  const half = k >> 1; // floor(k / 2), as the wasm kernel's arithmetic shift
  return fround(fround(p * POW2[half + 75]) * POW2[k - half + 75]);
}

/** e^r for |r| ≤ ln2/2: 1 + r + r²·P(r), each step in float32. */
function expPolynomial(r: number): number {
  let p = EXP_P[0];
  for (let i = 1; i < EXP_P.length; i++) p = fround(fround(p * r) + EXP_P[i]);
  return fround(fround(fround(p * fround(r * r)) + r) + 1);
}

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);

/** The natural logarithm in float32 (x a float32 value). */
export function logf(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN; // negatives and NaN
  if (x === Infinity) return x;
  const subnormal = x < SMALLEST_NORMAL;
  asFloat[0] = subnormal ? fround(x * SUBNORMAL_SCALE) : x;
  const word = bits[0];
  let e = (word >> 23) - 127 - (subnormal ? 23 : 0);
  bits[0] = (word & 0x7fffff) | 0x3f800000; // the significand as m in [1, 2)
  let m = asFloat[0];
  if (m > 2 * SQRT_HALF) {
    m = fround(m * 0.5);
    e += 1;
  }
  const f = fround(m - 1);
  const z = fround(f * f);
  let p = LOG_P[0];
  for (let i = 1; i < LOG_P.length; i++) p = fround(fround(p * f) + LOG_P[i]);
  let y = fround(fround(f * z) * p);
  y = fround(y + fround(e * LN2_C2));
  y = fround(y - fround(0.5 * z));
  return fround(fround(f + y) + fround(e * LN2_C1));
}

/** tanh in float32 (x a float32 value). */
export function tanhf(x: number): number {
  const a = Math.abs(x);
  let y: number;
  if (a < TANH_SMALL) {
    const z = fround(a * a);
    let p = TANH_P[0];
    for (let i = 1; i < TANH_P.length; i++) p = fround(fround(p * z) + TANH_P[i]);
    y = fround(fround(fround(p * z) * a) + a);
  } else {
    y = fround(1 - fround(2 / fround(expf(fround(2 * a)) + 1)));
  }
  return x < 0 || Object.is(x, -0) ? -y : y;
}

/**
 * The logistic sigmoid 1/(1 + e^−x) in float32 (x a float32 value). The rounding error of
 * d = 1 + t is exact (err = t − (d − 1), as 1 ≥ t) and corrected for: 1/(d + err) ≈ r − r²·err
 * with r = 1/d, t/(d + err) ≈ q − q·r·err with q = t/d (measured: 2.4 ulp without, 1.8 with).
 */
export function sigmoidf(x: number): number {
  const t = expf(-Math.abs(x));
  const d = fround(1 + t);
  const err = fround(t - fround(d - 1));
  const r = fround(1 / d);
  if (x >= 0) return fround(r - fround(fround(r * r) * err));
  const q = fround(t / d);
  return fround(q - fround(fround(q * r) * err));
}
