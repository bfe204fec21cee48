/**
 * pow(x, y) = x^y, ported from fdlibm's e_pow.c as V8 11.3 (Node 20) runs it for Math.pow and
 * `**`: bit-identical to Node 20 on every pair of doubles, and so the same in every browser.
 *
 * Method: write |x| = 2^n · m and compute log2|x| = n + log2 m as a head with 29 trailing zero
 * bits plus a tail (about 2^-60 relative accuracy); multiply by y, y also split in a head and a
 * tail, so that y·log2|x| = p_h + p_l with p_h a short number and the whole sum accurate to far
 * more than 53 bits; then x^y = 2^i · 2^f, i the nearest integer to p_h + p_l and 2^f from a
 * Remez fit (the same rational form as exp's), its exponent written in directly.
 *
 * Special values follow ECMAScript's Number::exponentiate, which differs from C's pow where
 * fdlibm's original did too: x^±0 is 1 even for NaN x, 1^NaN is NaN, (±1)^±∞ is NaN.
 */
import { fromWords, highWord, lowWord, withHighWord, withLowWord } from './bits.js';

const TWO_53 = 9007199254740992; // scales a subnormal x to a normal one
const TWO_M54 = 5.55111512312578270212e-17; // scalbn's last, rounding, step

// log2 of the reduced argument m ∈ [√3/2, √3) is taken relative to b = 1, or to b = 1.5 above
// √(3/2), and then log2(1.5) = DP_H + DP_L is added back (DP_H has 29 trailing zero bits).
const DP_H = 5.84962487220764160156e-1; // 0x3fe2b803 40000000
const DP_L = 1.35003920212974897128e-8; // 0x3e4cfdeb 43cfd006

// (3/2)·ln m = 3s + s³ + s·r with s = (m − b)/(m + b) and r = s⁴·(L1 + L2 s² + … + L6 s¹⁰),
// a Remez fit (L1 ≈ 3/5, L2 ≈ 3/7, …).
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;

// 2/(3·ln 2), which turns (3/2)·ln m into log2 m, whole and split in a 24-bit head and tail.
const CP = 9.61796693925975554329e-1;
const CP_H = 9.61796700954437255859e-1; // 0x3feec709 e0000000
const CP_L = -7.02846165095275826516e-9;

// 1/ln 2 split the same way, for log2 of x near 1: log2 x = (x − 1 − (x − 1)²/2 + …)/ln 2.
const INV_LN2 = 1.44269504088896338700;
const INV_LN2_H = 1.44269502162933349609; // 0x3ff71547 60000000
const INV_LN2_L = 1.92596299112661746887e-8;

// 2^f = e^(f·ln 2): ln 2 whole and split (the head has 32 trailing zero bits).
const LN2 = 6.93147180559945286227e-1;
const LN2_H = 6.93147182464599609375e-1; // 0x3fe62e43 00000000
const LN2_L = -1.90465429995776804525e-9;

// e^r via r·(e^r + 1)/(e^r − 1) ≈ 2 + P1 r² + … + P5 r¹⁰ (the same fit as exp's).
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

// -(1024 − log2(MAX_VALUE + ½ulp)): how far below 1024 a sum p_h + p_l that rounds to exactly
// 1024 may really lie and still round to a finite result.
const OVERFLOW_MARGIN = 8.0085662595372944372e-17;

/** How y reads as an exponent of a negative base: its sign flips the result only when odd. */
const NOT_INTEGER = 0;
const ODD = 1;
const EVEN = 2;

/**
 * The tail of the last two-part result (log2Split's, log2SplitNearOne's): JavaScript returns one
 * number, and an array or object per call would allocate in the hot path.
 */
let tail = 0;

/** x^y, bit for bit as Node 20's Math.pow(x, y) and x ** y. */
export function pow(x: number, y: number): number {
  const hx = highWord(x);
  const lx = lowWord(x);
  const hy = highWord(y);
  const ly = lowWord(y);
  const ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  if ((iy | ly) === 0) return 1; // x^±0, even for NaN x
  // NaN results are the one quiet NaN: Node's carry payloads (a signalling 0x7ff4… for (-2)^½,
  // the input's for NaN^3), which JavaScript does not specify and browsers do not keep.
  if (x !== x || y !== y) return NaN; // 1^NaN too (C says 1)

  const xNegative = hx < 0; // -0 included: its odd powers are -0
  const yKind = xNegative ? integerKind(y, iy) : NOT_INTEGER;

  if (ly === 0) {
    // Exponents whose low word is empty: ±∞, ±1, 2, ½ have exact or cheaper answers.
    if (iy === 0x7ff00000) {
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // (±1)^±∞ (C says 1)
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // |x| > 1
      return hy < 0 ? -y : 0; // |x| < 1
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x;
    if (hy === 0x40000000) return x * x;
    // NOTE: only for a clear sign bit: sqrt(-0) is -0, but (-0)^½ is +0 (below).
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x);
  }

  const ax = Math.abs(x);
  if (ax === 0 || ax === Infinity || ax === 1) {
    // Exact: |x|^y is 0, ∞ or 1; only the sign (and (-1)^non-integer) is left.
    const magnitude = hy < 0 ? 1 / ax : ax;
    if (!xNegative) return magnitude;
    if (ax === 1 && yKind === NOT_INTEGER) return NaN;
    return yKind === ODD ? -magnitude : magnitude;
  }

  if (xNegative && yKind === NOT_INTEGER) return NaN;
  const sign = xNegative && yKind === ODD ? -1 : 1;

  let head: number; // log2|x| ≈ head + tail, head with 29 trailing zero bits
  if (iy > 0x41e00000) {
    // |y| > 2^31: the result over- or underflows unless x is within 2^-20 of 1.
    if (iy > 0x43f00000) {
      // |y| > 2^64: every |x| ≠ 1 over- or underflows (nextDown(1)^(2^64) ≈ e^-2048), and y
      // is an even integer, so the result has no sign.
      if (ix <= 0x3fefffff) return hy < 0 ? Infinity : 0;
      if (ix >= 0x3ff00000) return hy > 0 ? Infinity : 0;
    }
    if (ix < 0x3fefffff) return hy < 0 ? sign * Infinity : sign * 0;
    if (ix > 0x3ff00000) return hy > 0 ? sign * Infinity : sign * 0;
    head = log2SplitNearOne(ax);
  } else {
    head = log2Split(ax, ix);
  }
  const log2Tail = tail;

  // y·log2|x| = p_h + p_l, with y split so that yHead·head is exact.
  const yHead = withLowWord(y, 0);
  const pl = (y - yHead) * head + y * log2Tail;
  const ph = yHead * head;
  const z = pl + ph;

  const j = highWord(z);
  const i = lowWord(z);
  if (j >= 0x40900000) {
    // z ≥ 1024: overflow, unless z rounded up to exactly 1024 from a sum that fits.
    if (((j - 0x40900000) | i) !== 0 || pl + OVERFLOW_MARGIN > z - ph) return sign * Infinity;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z ≤ -1075: underflow, unless z rounded down to exactly -1075 from a sum above it.
    // (j ^ 0xc090cc00, not j − 0xc090cc00: j is a signed word and the constant is not.)
    if (((j ^ 0xc090cc00) | i) !== 0 || pl <= z - ph) return sign * 0;
  }
  return sign * exp2(ph, pl, j);
}

/** integerKind(y) for y ≠ 0 not NaN: NOT_INTEGER, ODD or EVEN (|y| ≥ 2^53, ∞ included, is even). */
function integerKind(y: number, iy: number): number {
  if (iy >= 0x43400000) return EVEN;
  if (Math.floor(y) !== y) return NOT_INTEGER;
  return y % 2 === 0 ? EVEN : ODD;
}

/**
 * log2(ax) for ax within 2^-20 of 1, returned as head (29 trailing zero bits) + `tail`, from
 * the series ln(1 + t) = t − t²/2 + t³/3 − t⁴/4, enough at this t.
 */
function log2SplitNearOne(ax: number): number {
  const t = ax - 1; // exact, with 20 trailing zero bits
  const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
  const u = INV_LN2_H * t; // exact: INV_LN2_H has 21 significant bits
  const v = t * INV_LN2_L - w * INV_LN2;
  const head = withLowWord(u + v, 0);
  tail = v - (head - u);
  return head;
}

/**
 * log2(ax) for finite ax > 0 (ix its high word), returned as head + `tail` with head's low word
 * empty. ax = 2^n · m, m ∈ [√3/2, √3); log2 m comes from s = (m − b)/(m + b), b = 1 or 1.5, each
 * of s and the series kept as head + tail so the sum carries ~20 bits beyond a double.
 */
function log2Split(ax: number, ix: number): number {
  let n = 0;
  if (ix < 0x00100000) {
    ax *= TWO_53;
    n -= 53;
    ix = highWord(ax);
  }
  n += (ix >> 20) - 0x3ff;
  const mantissa = ix & 0x000fffff;
  ix = mantissa | 0x3ff00000; // m ∈ [1, 2)
  let nearOneAndHalf = false;
  if (mantissa <= 0x3988e) {
    // m < √(3/2): b = 1
  } else if (mantissa < 0xbb67a) {
    nearOneAndHalf = true; // m < √3: b = 1.5
  } else {
    n += 1; // m ≥ √3: halve m into [√3/2, 1), b = 1
    ix -= 0x00100000;
  }
  const m = withHighWord(ax, ix);
  const b = nearOneAndHalf ? 1.5 : 1;

  // s = (m − b)/(m + b) = sHead + sTail; (m + b)'s head tHi is built from m's bits directly.
  const u = m - b;
  const v = 1 / (m + b);
  const s = u * v;
  const sHead = withLowWord(s, 0);
  let tHi = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (nearOneAndHalf ? 1 << 18 : 0), 0);
  let tLo = m - (tHi - b);
  const sTail = v * (u - sHead * tHi - sHead * tLo);

  // (3/2)·ln m = s·(3 + s² + r), as (sHead + sTail)·(tHi + tLo) = pHi + pLo.
  let s2 = s * s;
  let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
  r += sTail * (sHead + s);
  s2 = sHead * sHead;
  tHi = withLowWord(3.0 + s2 + r, 0);
  tLo = r - (tHi - 3.0 - s2);
  const uu = sHead * tHi;
  const vv = sTail * tHi + tLo * s;
  const pHi = withLowWord(uu + vv, 0);
  const pLo = vv - (pHi - uu);

  // log2(ax) = n + log2(b) + (2/(3 ln 2))·(3·ln(m)/2)
  const zHi = CP_H * pHi;
  const zLo = CP_L * pHi + pLo * CP + (nearOneAndHalf ? DP_L : 0);
  const dpHi = nearOneAndHalf ? DP_H : 0;
  const head = withLowWord(zHi + zLo + dpHi + n, 0);
  tail = zLo - (head - n - dpHi - zHi);
  return head;
}

/**
 * 2^(ph + pl) for -1075 ≤ ph + pl ≤ 1024 (j: the high word of ph + pl), its integer part i
 * taken out so that 2^f, |f| ≤ ½, is a Remez fit and 2^i is written into the exponent.
 */
function exp2(ph: number, pl: number, j: number): number {
  const aj = j & 0x7fffffff;
  let k = (aj >> 20) - 0x3ff;
  let i = 0;
  if (aj > 0x3fe00000) {
    // |ph + pl| > ½: i = [ph + pl + ½], taken off ph exactly (its fraction bits cleared).
    const rounded = j + (0x00100000 >> (k + 1));
    k = ((rounded & 0x7fffffff) >> 20) - 0x3ff;
    const integerPart = fromWords(rounded & ~(0x000fffff >> k), 0);
    i = ((rounded & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) i = -i;
    ph -= integerPart;
  }

  // f·ln 2 = z + w, then e^z·(1 + w) with e^z from the rational form.
  const t = withLowWord(pl + ph, 0);
  const u = t * LN2_H;
  const v = (pl - (t - ph)) * LN2 + t * LN2_L;
  const z = u + v;
  const w = v - (z - u);
  const zz = z * z;
  const c = z - zz * (P1 + zz * (P2 + zz * (P3 + zz * (P4 + zz * P5))));
  // NOTE: V8 divides by (c − 2) − (w + z·w); fdlibm (netlib and FreeBSD) computes
  // z·c/(c − 2) − (w + z·w). V8's reading moves the last bit of 4.5% of results (44,620 of a
  // million random x ∈ (0, 4), y ∈ [−20, 20]), and it is what Node 20 returns, so it is kept.
  const r = (z * c) / (c - 2 - (w + z * w));
  const expF = 1 - (r - z);

  const scaledHigh = highWord(expF) + (i << 20);
  if (scaledHigh >> 20 <= 0) return timesPowerOfTwo(expF, i); // subnormal result
  return withHighWord(expF, scaledHigh);
}

/**
 * x·2^n rounded once, for a normal x whose product is subnormal or zero (fdlibm's scalbn on that
 * path): the exponent is written 54 higher, then one multiplication by 2^-54 rounds.
 */
function timesPowerOfTwo(x: number, n: number): number {
  const hx = highWord(x);
  const exponent = ((hx >> 20) & 0x7ff) + n;
  if (exponent <= -54) return x > 0 ? 0 : -0;
  return withHighWord(x, (hx & 0x800fffff) | ((exponent + 54) << 20)) * TWO_M54;
}
