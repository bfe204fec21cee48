/**
 * tanh, ported from fdlibm (FreeBSD msun s_tanh.c), the implementation V8 11.3 (Node 20) uses
 * for Math.tanh: the same bits in every runtime (see exp.ts).
 *
 * Method: with t = expm1(2|x|), tanh|x| = 1 − 2/(t + 2) for |x| ≥ 1, and with t = expm1(−2|x|),
 * −t/(t + 2) below 1 (no cancellation either way); x itself below 2^-28 and ±1 from 22 on.
 * fdlibm's high-word range tests are comparisons of |x| here (see exp.ts).
 */
import { expm1 } from './exp.js';

const TINY_BELOW = 2 ** -28;

/** The hyperbolic tangent, bit-identical to fdlibm's tanh (Node 20's Math.tanh) on every input. */
export function tanh(x: number): number {
  const ax = Math.abs(x);
  if (ax < 1) {
    if (ax < TINY_BELOW) return x; // also ±0
    const t = expm1(-2 * ax);
    const z = -t / (t + 2);
    return x < 0 ? -z : z;
  }
  if (ax < 22) {
    const t = expm1(2 * ax);
    const z = 1 - 2 / (t + 2);
    return x < 0 ? -z : z;
  }
  if (x !== x) return x;
  return x < 0 ? -1 : 1; // also ±∞
}
