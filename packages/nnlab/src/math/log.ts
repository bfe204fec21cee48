/**
 * log and log1p, ported from fdlibm (FreeBSD msun e_log.c, s_log1p.c), the implementation
 * V8 11.3 (Node 20) uses for Math.log and Math.log1p: the same bits in every runtime (see exp.ts).
 *
 * Method: write x = 2^k·(1 + f) with √2/2 < 1 + f < √2, then log(1 + f) = 2s + 2s³/3 + … with
 * s = f/(2 + f), evaluated as f − (f²/2 − s·(f²/2 + R(s²))) with fdlibm's Remez polynomial R,
 * and add k·ln2 in two parts (LN2_HI has trailing zeros, so k·LN2_HI is exact).
 */
import { highWord, pow2 } from './bits.js';

const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const TWO54 = 1.80143985094819840000e16;
const MIN_NORMAL = 2.2250738585072014e-308;

const L1 = 6.666666666666735130e-1;
const L2 = 3.999999999940941908e-1;
const L3 = 2.857142874366239149e-1;
const L4 = 2.222219843214978396e-1;
const L5 = 1.818357216161805012e-1;
const L6 = 1.531383769920937332e-1;
const L7 = 1.479819860511658591e-1;

/** The natural logarithm, bit-identical to fdlibm's log (Node 20's Math.log) on every input. */
export function log(x: number): number {
  if (!(x >= MIN_NORMAL && x < Infinity)) return logBeyond(x);
  return logNormal(x, 0);
}

/** log(x·2^scaled) for a normal, finite, positive x: x = 2^k·(1 + f) with √2/2 < 1 + f < √2. */
function logNormal(x: number, scaled: number): number {
  const hx = highWord(x);
  const exponent = (hx >> 20) - 1023;
  const mantissa = hx & 0x000fffff;
  const halve = (mantissa + 0x95f64) & 0x100000; // the mantissa is above √2: take half of it
  const k = scaled + exponent + (halve >> 20);
  // fdlibm writes the exponent of 1 (or ½) into x's high word; scaling by powers of two is the same, exactly.
  const f = x * pow2(-exponent) * (halve === 0 ? 1 : 0.5) - 1;
  if ((0x000fffff & (2 + mantissa)) < 3) return logNearPowerOfTwo(f, k); // |f| < 2^-20
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const R = z * (L1 + w * (L3 + w * (L5 + w * L7))) + w * (L2 + w * (L4 + w * L6));
  const dk = k;
  if (((mantissa - 0x6147a) | (0x6b851 - mantissa)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

/** log(2^k·(1 + f)) for |f| < 2^-20, by a short series. */
function logNearPowerOfTwo(f: number, k: number): number {
  if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
  const R = f * f * (0.5 - 0.33333333333333333 * f);
  return k === 0 ? f - R : k * LN2_HI - (R - k * LN2_LO - f);
}

/** log of zero, a negative number, a subnormal, +∞ or NaN. */
function logBeyond(x: number): number {
  if (x === 0) return -Infinity;
  if (!(x >= 0)) return NaN; // negative, or NaN
  if (x === Infinity) return x;
  return logNormal(x * TWO54, -54); // subnormal: scaled up to a normal number
}

/** log(1 + x), accurate near 0; bit-identical to fdlibm's log1p (Node 20's Math.log1p). */
export function log1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 1;
  if (hx < 0x3fda827a) {
    // x < 0.41422
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x ≤ −1
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5; // |x| < 2^-29
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // −0.2929 < x < 0.41422: log1p's series directly on f = x
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // the rounding error of 1 + x
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    u *= pow2(-k); // the mantissa of u, in [1, 2)
    if (hu >= 0x6a09e) {
      // above √2: take half of it
      k += 1;
      u *= 0.5;
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1 - 0.66666666666666666 * f);
    return k === 0 ? f - R : k * LN2_HI - (R - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (L1 + z * (L2 + z * (L3 + z * (L4 + z * (L5 + z * (L6 + z * L7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}
