/**
 * exp and expm1, ported from fdlibm (FreeBSD msun e_exp.c, s_expm1.c), the implementation
 * V8 11.3 (Node 20) uses for Math.exp and Math.expm1. Written in JavaScript, whose float64
 * arithmetic is exactly IEEE 754 everywhere, they give the same bits in every runtime; browsers
 * with another libm (Chromium 156 differs from Node 20 on about 1 input in 10) no longer move
 * a run's last bits.
 *
 * Method (both): reduce x = k·ln2 + r with |r| ≤ ln2/2, ln2 split in a head with trailing zeros
 * (so k·LN2_HI is exact) and a tail; approximate on r with a rational function of r² whose
 * polynomial coefficients are fdlibm's Remez fits; scale by 2^k.
 *
 * fdlibm tests ranges on the high word of x; here they are comparisons of |x| with the double
 * whose high word is that bound (the same test, since doubles order as their bits do), and 2^k
 * comes from a table: word access through typed arrays made these ports 4× slower than Math.
 */
import { fromWords, pow2 } from './bits.js';

const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42 fee00000: 32 trailing zero bits
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const INV_LN2 = 1.44269504088896338700;
const OVERFLOW_AT = 7.09782712893383973096e2; // exp(x) > MAX_VALUE above this
const UNDERFLOW_AT = -7.45133219101941108420e2; // exp(x) < MIN_VALUE/2 below this
const TWO_M1000 = 9.33263618503218878990e-302; // 2^-1000
const TWO_1023 = 8.98846567431158e307;

// fdlibm's high-word bounds, as doubles.
const HUGE_FROM = fromWords(0x40862e42, 0); // 709.78…: overflow, underflow or not finite
const REDUCE_ABOVE = fromWords(0x3fd62e42, 0xffffffff); // ln2/2, rounded to a high word
const ONE_STEP_BELOW = fromWords(0x3ff0a2b2, 0); // 1.5·ln2: k = ±1 below
const TINY_BELOW = fromWords(0x3e300000, 0); // 2^-28
const EXPM1_SATURATES_FROM = fromWords(0x4043687a, 0); // 56·ln2
const EXPM1_TINY_BELOW = fromWords(0x3c900000, 0); // 2^-54

// exp's polynomial: r·(e^r + 1)/(e^r − 1) ≈ 2 + P1 r² + … + P5 r¹⁰ on |r| ≤ ln2/2.
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/** e^x, bit-identical to fdlibm's exp (Node 20's Math.exp) on every input. */
export function exp(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < HUGE_FROM)) return expBeyond(x);
  if (!(ax > REDUCE_ABOVE)) {
    if (ax < TINY_BELOW) return 1 + x;
    const t = x * x;
    const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    return 1 - ((x * c) / (c - 2) - x);
  }
  // NOTE: V8 returns e itself for exp(1): the reduction below gets its last bit wrong.
  if (x === 1) return Math.E;
  return expReduced(x, ax);
}

/**
 * e^x for ln2/2 < |x| < 709.78: x = k·ln2 + r. Below 1.5·ln2 fdlibm takes k = ±1 without the
 * multiplication, which gives the same hi and lo (x − (±1)·LN2_HI is x ∓ LN2_HI exactly).
 */
function expReduced(x: number, ax: number): number {
  const sign = x < 0 ? -1 : 1;
  const k = ax < ONE_STEP_BELOW ? sign : (INV_LN2 * x + 0.5 * sign) | 0; // truncation, as C's (int)
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * TWO_1023 : y * pow2(k);
  return y * pow2(k + 1000) * TWO_M1000;
}

/** e^x for |x| ≥ 709.78 or NaN: overflow, underflow, or the exponent's edge just below them. */
function expBeyond(x: number): number {
  if (x !== x) return x;
  if (x > OVERFLOW_AT) return Infinity;
  if (x < UNDERFLOW_AT) return 0; // TWO_M1000², rounded to 0
  return expReduced(x, Math.abs(x));
}

// expm1's polynomial: a rational approximation of r/(e^r − 1) in r², scaled (fdlibm's Q1…Q5).
const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;

/** e^x − 1, accurate near 0; bit-identical to fdlibm's expm1 (Node 20's Math.expm1). */
export function expm1(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < EXPM1_SATURATES_FROM)) return expm1Beyond(x);
  if (!(ax > REDUCE_ABOVE)) {
    if (ax < EXPM1_TINY_BELOW) return x;
    const hfx = 0.5 * x;
    const hxs = x * hfx;
    return x - (x * expm1Correction(x, hfx, hxs) - hxs);
  }
  return expm1Reduced(x, ax);
}

/** fdlibm's correction term e of expm1 on the reduced argument r (|r| ≤ ln2/2). */
function expm1Correction(r: number, hfx: number, hxs: number): number {
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  return hxs * ((r1 - t) / (6 - r * t));
}

/** e^x − 1 for ln2/2 < |x| (x finite, not below −56·ln2): x = k·ln2 + r, then 2^k·(1 + expm1(r)) − 1 arranged per k. */
function expm1Reduced(x: number, ax: number): number {
  const sign = x < 0 ? -1 : 1;
  const k = ax < ONE_STEP_BELOW ? sign : (INV_LN2 * x + 0.5 * sign) | 0;
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const c = hi - r - lo; // what the subtraction r = hi − lo lost
  const hfx = 0.5 * r;
  const hxs = r * hfx;
  const e = r * (expm1Correction(r, hfx, hxs) - c) - c - hxs;
  if (k === -1) return 0.5 * (r - e) - 0.5;
  if (k === 1) return r < -0.25 ? -2 * (e - (r + 0.5)) : 1 + 2 * (r - e);
  if (k <= -2 || k > 56) {
    // e^x − 1 rounds as e^x would: compute 2^k·(1 + r + …), then subtract 1
    const y = 1 - (e - r);
    return (k === 1024 ? y * 2 * TWO_1023 : y * pow2(k)) - 1;
  }
  if (k < 20) return (1 - pow2(-k) - (e - r)) * pow2(k);
  return (r - (e + pow2(-k)) + 1) * pow2(k);
}

/** e^x − 1 for |x| ≥ 56·ln2 or NaN: −1 below, ∞ past overflow, else computed. */
function expm1Beyond(x: number): number {
  if (x !== x) return x;
  if (x < 0) return -1; // e^x is below half an ulp of 1
  if (x > OVERFLOW_AT) return Infinity;
  return expm1Reduced(x, x);
}
