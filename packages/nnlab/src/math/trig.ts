/**
 * sin and cos, ported from fdlibm (s_sin.c, s_cos.c, k_sin.c, k_cos.c) as V8 11.3 builds them
 * for Node 20's Math.sin and Math.cos. Written in JavaScript, whose float64 arithmetic is exactly
 * IEEE 754 everywhere, they give Node's bits in every runtime, for every double however large
 * (Chromium 156's own Math.sin and Math.cos differ from Node's in the last bits).
 *
 * Method: reduce x to y = x − N·π/2 with |y| ≲ π/4, held as a head and a tail (rem-pio2.ts),
 * then by N mod 4 take ±sin(y) or ±cos(y), each a polynomial fitted on [−π/4, π/4] with a
 * first-order correction for the tail.
 */
import { fromWords, highWord } from './bits.js';
import { remPio2 } from './rem-pio2.js';

// sin(x)/x ≈ 1 + S1 x² + … + S6 x¹² on |x| ≤ π/4 (Remez error below 2^-58).
const S1 = -1.66666666666666324348e-1; // 0xbfc55555 55555549
const S2 = 8.33333333332248946124e-3; // 0x3f811111 1110f8a6
const S3 = -1.98412698298579493134e-4; // 0xbf2a01a0 19c161d5
const S4 = 2.75573137070700676789e-6; // 0x3ec71de3 57b1fe7d
const S5 = -2.50507602534068634195e-8; // 0xbe5ae5e6 8a2b9ceb
const S6 = 1.58969099521155010221e-10; // 0x3de5d93a 5acfd57c

// cos(x) ≈ 1 − x²/2 + C1 x⁴ + … + C6 x¹⁴ on |x| ≤ π/4 (Remez error below 2^-58).
const C1 = 4.16666666666666019037e-2; // 0x3fa55555 5555554c
const C2 = -1.38888888888741095749e-3; // 0xbf56c16c 16c15177
const C3 = 2.48015872894767294178e-5; // 0x3efa01a0 19cb1590
const C4 = -2.75573143513906633035e-7; // 0xbe927e4f 809c52ad
const C5 = 2.08757232129817482790e-9; // 0x3e21ee9e bdb4b1c4
const C6 = -1.13596475577881948265e-11; // 0xbda8fae9 be8838d4

/** The high word of π/4: up to it (a little beyond π/4) x needs no reduction. */
const PI_OVER_4_HIGH = 0x3fe921fb;

/**
 * x, then its remainder mod π/2 as head and tail, then the result: reused by every call.
 * NOTE: sin and cos only move x in and the result out through this array, and every helper
 * takes and gives its doubles through it too. V8 boxes (allocates) each double that crosses a
 * call it does not inline, and it inlines reliably only functions under 27 bytes of bytecode:
 * these two are under it, and the calls behind them carry no doubles.
 */
const scratch = new Float64Array(2);

/** sin(x), bit-identical to fdlibm's sin (Node 20's Math.sin) on every input. */
export function sin(x: number): number {
  const y = scratch; // one read of the module binding keeps this function small
  y[0] = x;
  sinInPlace(y);
  return y[0];
}

/** cos(x), bit-identical to fdlibm's cos (Node 20's Math.cos) on every input. */
export function cos(x: number): number {
  const y = scratch; // one read of the module binding keeps this function small
  y[0] = x;
  cosInPlace(y);
  return y[0];
}

/** Replaces y[0] by its sine (y[1] is scratch). */
function sinInPlace(y: Float64Array): void {
  const x = y[0];
  const ix = highWord(x) & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    y[0] = x - x; // NaN for ±Infinity and NaN
    return;
  }
  y[1] = 0;
  const n = ix <= PI_OVER_4_HIGH ? 0 : remPio2(y);
  // quadrant n: sin, cos, −sin, −cos of the remainder
  if ((n & 1) === 0) sinKernel(y, ix > PI_OVER_4_HIGH);
  else cosKernel(y);
  if ((n & 2) !== 0) y[0] = -y[0];
}

/** Replaces y[0] by its cosine (y[1] is scratch). */
function cosInPlace(y: Float64Array): void {
  const x = y[0];
  const ix = highWord(x) & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    y[0] = x - x;
    return;
  }
  y[1] = 0;
  const n = ix <= PI_OVER_4_HIGH ? 0 : remPio2(y);
  // quadrant n: cos, −sin, −cos, sin of the remainder
  if ((n & 1) === 0) cosKernel(y);
  else sinKernel(y, true);
  if (((n + 1) & 2) !== 0) y[0] = -y[0];
}

/**
 * Replaces y[0] by sin(y[0] + y[1]) for |y[0]| ≲ π/4, using sin(x + t) ≈ sin(x) + (1 − x²/2)·t.
 * NOTE: fdlibm evaluates the polynomial in a different order when it knows there is no tail
 * (an unreduced x); `hasTail` keeps that choice, since the two orders round differently.
 */
function sinKernel(y: Float64Array, hasTail: boolean): void {
  const x = y[0];
  const tail = y[1];
  if ((highWord(x) & 0x7fffffff) < 0x3e400000) return; // |x| < 2^-27: sin(x) rounds to x (and keeps −0)
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  y[0] = hasTail ? x - (z * (0.5 * tail - v * r) - tail - v * S1) : x + v * (S1 + z * r);
}

/**
 * Replaces y[0] by cos(y[0] + y[1]) for |y[0]| ≲ π/4, using cos(x + t) ≈ cos(x) − x·t. Above
 * |x| = 0.3 it computes (1 − qx) − ((x²/2 − qx) − …) with qx ≈ |x|/4: both differences are exact
 * and the second stays at least a quarter of x²/2, so the last subtraction rounds away less.
 */
function cosKernel(y: Float64Array): void {
  const x = y[0];
  const tail = y[1];
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) {
    y[0] = 1; // |x| < 2^-27: cos(x) rounds to 1
    return;
  }
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) {
    y[0] = 1 - (0.5 * z - (z * r - x * tail)); // |x| < 0.3
    return;
  }
  // qx: |x|/4 with its low word cleared, or 0.28125 above |x| = 0.78125
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  y[0] = 1 - qx - (0.5 * z - qx - (z * r - x * tail));
}
