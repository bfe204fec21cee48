/**
 * x mod π/2 as a head and a tail (fdlibm's __ieee754_rem_pio2, the version V8 11.3 uses for
 * Node 20's Math.sin and Math.cos), for the library's deterministic sin and cos. Runs anywhere.
 *
 * Method: find N = round(x·2/π) and return x − N·π/2 to about 85 bits or more. π/2 is split
 * into 33-bit heads with 53-bit tails (PIO2_1 + PIO2_1T, …), so N·PIO2_k is exact for N < 2^20
 * and the subtraction loses nothing; when the first result shows cancellation (x near a
 * multiple of π/2) the next 33 bits of π/2 are taken in. Beyond 2^19·π/2, Payne–Hanek.
 */
import { highWord } from './bits.js';
import { remPio2Huge } from './payne-hanek.js';

const INV_PIO2 = 6.36619772367581382433e-1; // 0x3fe45f30 6dc9c883: 53 bits of 2/π
const PIO2_1 = 1.57079632673412561417e0; // 0x3ff921fb 54400000: first 33 bits of π/2
const PIO2_1T = 6.07710050650619224932e-11; // 0x3dd0b461 1a626331: π/2 − PIO2_1
const PIO2_2 = 6.07710050630396597660e-11; // 0x3dd0b461 1a600000: second 33 bits
const PIO2_2T = 2.02226624879595063154e-21; // 0x3ba3198a 2e037073: π/2 − (PIO2_1 + PIO2_2)
const PIO2_3 = 2.02226624871116645580e-21; // 0x3ba3198a 2e000000: third 33 bits
const PIO2_3T = 8.47842766036889956997e-32; // 0x397b839a 252049c1: π/2 − (PIO2_1 + … + PIO2_3)

/**
 * The high words of n·π/2 for n = 1…32: an x sharing one of them is so close to a multiple of
 * π/2 that the quick one-step reduction may cancel, and the checked path is taken.
 */
const NPIO2_HIGH_WORDS = new Int32Array([
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb,
  0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb,
  0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c,
  0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
]);

/**
 * Reduces the x held in y[0]: writes x − N·π/2 to y[0] (head) and y[1] (tail), with
 * |y[0] + y[1]| ≲ π/4, and returns N (for huge x, N mod 8, which keeps the quadrant). NaN and
 * ±Infinity give NaN and 0.
 * NOTE: x goes in and out through y, not as an argument or a return value: V8 boxes every
 * double passed to or returned from a call it does not inline (a heap allocation per call).
 */
export function remPio2(y: Float64Array): number {
  const x = y[0];
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) {
    // |x| ≲ π/4: nothing to reduce
    y[1] = 0;
    return 0;
  }
  if (ix >= 0x7ff00000) {
    y[0] = y[1] = x - x;
    return 0;
  }
  // NOTE: fdlibm reduces |x| and negates the results for negative x (for |x| < 3π/4 it writes
  // the negative case out, which rounds to the same values: round-to-nearest is symmetric).
  let n: number;
  if (ix < 0x4002d97c) n = reduceNearPio2(y, ix);
  else if (ix <= 0x413921fb) n = reduceMedium(y, ix);
  else n = remPio2Huge(y);
  if (hx < 0) {
    y[0] = -y[0];
    y[1] = -y[1];
    return -n;
  }
  return n;
}

/** π/4 < |x| < 3π/4: N = 1. 33 + 53 bits of π/2 suffice, except when x shares π/2's high word. */
function reduceNearPio2(y: Float64Array, ix: number): number {
  let z = Math.abs(y[0]) - PIO2_1;
  if (ix !== 0x3ff921fb) {
    y[0] = z - PIO2_1T;
    y[1] = z - y[0] - PIO2_1T;
  } else {
    z -= PIO2_2;
    y[0] = z - PIO2_2T;
    y[1] = z - y[0] - PIO2_2T;
  }
  return 1;
}

/** 3π/4 ≤ |x| ≲ 2^19·π/2: N < 2^20, one to three rounds of π/2's 33-bit pieces. */
function reduceMedium(y: Float64Array, ix: number): number {
  const ax = Math.abs(y[0]);
  const n = (ax * INV_PIO2 + 0.5) | 0;
  const fn = n;
  let r = ax - fn * PIO2_1;
  let w = fn * PIO2_1T; // r − w is good to 85 bits
  let head = r - w;
  if (n >= 32 || ix === NPIO2_HIGH_WORDS[n - 1]) {
    // Cancellation is measured as the exponent lost between ax and the remainder.
    const exponent = ix >> 20;
    if (exponent - exponentOf(head) > 16) {
      // lost more than 16 bits: the second 33 bits of π/2 (good to 118 bits)
      let t = r;
      w = fn * PIO2_2;
      r = t - w;
      w = fn * PIO2_2T - (t - r - w);
      head = r - w;
      if (exponent - exponentOf(head) > 49) {
        // the third (151 bits), which covers every double
        t = r;
        w = fn * PIO2_3;
        r = t - w;
        w = fn * PIO2_3T - (t - r - w);
        head = r - w;
      }
    }
  }
  y[0] = head;
  y[1] = r - head - w;
  return n;
}

/** The biased exponent field of x. */
function exponentOf(x: number): number {
  return (highWord(x) >> 20) & 0x7ff;
}
