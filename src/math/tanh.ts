/**
 * tanh, ported from fdlibm (FreeBSD msun s_tanh.c), the implementation V8 11.3 (Node 20) uses
 * for Math.tanh: the same bits in every runtime (see exp.ts).
 *
 * Method: with t = expm1(2|x|), tanh|x| = 1 − 2/(t + 2) for |x| ≥ 1, and with t = expm1(−2|x|),
 * −t/(t + 2) below 1 (no cancellation either way); x itself below 2^-28 and ±1 from 22 on.
 */
import { expm1 } from './exp.js';
import { highWord } from './bits.js';

/** The hyperbolic tangent, bit-identical to fdlibm's tanh (Node 20's Math.tanh) on every input. */
export function tanh(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  if (ax >= 0x7ff00000) return hx >= 0 ? 1 / x + 1 : 1 / x - 1; // ±1, or NaN
  let z: number;
  if (ax < 0x40360000) {
    // |x| < 22
    if (ax < 0x3e300000) return x; // |x| < 2^-28
    if (ax >= 0x3ff00000) {
      const t = expm1(2 * Math.abs(x));
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * Math.abs(x));
      z = -t / (t + 2);
    }
  } else {
    z = 1;
  }
  return hx >= 0 ? z : -z;
}
