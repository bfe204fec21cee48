/**
 * x mod π/2 for huge x (|x| > 2^19·π/2, up to MAX_VALUE): Payne–Hanek reduction, a port of
 * fdlibm's __kernel_rem_pio2 exactly as V8 11.3 (Node 20) calls it from __ieee754_rem_pio2, so
 * that sin and cos of any double give Node's bits. Runs anywhere (pure float64 arithmetic).
 *
 * Method: write x = X·2^e0 with X split into three 24-bit integers, and 2/π as 24-bit integer
 * chunks (TWO_OVER_PI). The product x·(2/π) is only needed mod 4 (the quadrant) plus its
 * fraction, so the chunks of 2/π whose products with x are multiples of 8 are skipped: the work
 * does not grow with x's exponent. The fraction's 24-bit chunks are kept as exact integers,
 * more chunks are pulled in while the fraction cancels to zero, and the fraction is finally
 * multiplied by π/2 (itself in 24-bit chunks) and summed into a head and a tail.
 */
import { fromWords, highWord, lowWord, pow2 } from './bits.js';

/** 2/π in 24-bit chunks after the binary point: 66 chunks, 1584 bits (enough for x up to 2^1024). */
const TWO_OVER_PI = new Int32Array([
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163,
  0xabdebb, 0xc561b7, 0x246e3a, 0x424dd2, 0xe00649, 0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129,
  0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c, 0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c,
  0x845f8b, 0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11, 0x8b5a0a, 0x6d1f6d, 0x367ecf,
  0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5, 0xf17b3d, 0x0739f7, 0x8a5292,
  0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3,
  0x91615e, 0xe61b08, 0x659985, 0x5f14a0, 0x68408d, 0xffd880, 0x4d7327, 0x310606, 0x1556ca,
  0x73a8c9, 0x60e27b, 0xc08c6b,
]);

/** π/2 cut into doubles of 24 significant bits each, so each product with a 24-bit chunk is exact. */
const PI_OVER_2_CHUNKS = new Float64Array([
  1.57079625129699707031e0, // 0x3ff921fb 40000000
  7.54978941586159635335e-8, // 0x3e74442d 00000000
  5.39030252995776476554e-15, // 0x3cf84698 80000000
  3.28200341580791294123e-22, // 0x3b78cc51 60000000
  1.27065575308067607349e-29, // 0x39f01b83 80000000
]);

/**
 * How many chunks of 2/π beyond the first are used before checking for cancellation (fdlibm's
 * jk). V8 asks fdlibm for "extended" precision (prec 2), whose jk is 4, not double's 3: the
 * extra chunk changes the last bits now and then (with 3, some recorded huge inputs differ).
 */
const JK = 4;

const TWO24 = 16777216;
const TWO_M24 = 5.9604644775390625e-8;

// Scratch, reused by every call (fdlibm's stack arrays); 20 entries as in fdlibm.
const xChunks = new Float64Array(3);
const piChunks = new Float64Array(20); // f[]: the chunks of 2/π in use, as doubles
const product = new Float64Array(20); // q[]: x·(2/π) in 24-bit-weighted partial sums
const fraction = new Int32Array(20); // iq[]: the fraction's 24-bit integer chunks
const reduced = new Float64Array(20); // fq[]: the fraction times π/2, chunk by chunk

/**
 * Reduces the x held in y[0], finite with |x| > 2^19·π/2: writes |x| − N·π/2 to y[0] (head) and
 * y[1] (tail), and returns N mod 8. The caller applies x's sign.
 */
export function remPio2Huge(y: Float64Array): number {
  const ax = Math.abs(y[0]);
  // ax = X·2^e0 with 2^23 ≤ X < 2^24; X's 53 bits become three 24-bit integers.
  const hx = highWord(ax);
  const e0 = (hx >> 20) - 1046;
  let z = fromWords(hx - (e0 << 20), lowWord(ax));
  for (let i = 0; i < 2; i++) {
    xChunks[i] = z | 0;
    z = (z - xChunks[i]) * TWO24;
  }
  xChunks[2] = z;
  let nx = 3;
  while (xChunks[nx - 1] === 0) nx--;
  const jx = nx - 1;

  // Skip the chunks of 2/π whose products with x are multiples of 8: jv of them.
  const jv = Math.max(0, ((e0 - 3) / 24) | 0);
  let q0 = e0 - 24 * (jv + 1); // the exponent of product[0]'s unit
  for (let i = 0, j = jv - jx; i <= jx + JK; i++, j++) {
    piChunks[i] = j < 0 ? 0 : TWO_OVER_PI[j];
  }
  for (let i = 0; i <= JK; i++) product[i] = dotChunks(jx, i);

  let jz = JK;
  let n = 0;
  let z2 = 0;
  let ih = 0;
  for (;;) {
    // Carry product[] into 24-bit integer chunks, lowest first (fraction[0] is the lowest).
    z2 = product[jz];
    for (let i = 0, j = jz; j > 0; i++, j--) {
      const carry = (TWO_M24 * z2) | 0;
      fraction[i] = (z2 - TWO24 * carry) | 0;
      z2 = product[j - 1] + carry;
    }
    // The integer part mod 8 is the quadrant; z2 keeps what is left of the top chunk.
    z2 *= pow2(q0);
    z2 -= 8 * Math.floor(z2 * 0.125);
    n = z2 | 0;
    z2 -= n;
    ih = 0;
    if (q0 > 0) {
      // The top chunk holds integer bits too: move them into n.
      const top = fraction[jz - 1] >> (24 - q0);
      n += top;
      fraction[jz - 1] -= top << (24 - q0);
      ih = fraction[jz - 1] >> (23 - q0);
    } else if (q0 === 0) {
      ih = fraction[jz - 1] >> 23;
    } else if (z2 >= 0.5) {
      ih = 2;
    }
    if (ih > 0) {
      // The fraction is ≥ 1/2: round N up and keep 1 − fraction (a negative remainder).
      n += 1;
      let borrow = 0;
      for (let i = 0; i < jz; i++) {
        const chunk = fraction[i];
        if (borrow === 0) {
          if (chunk !== 0) {
            borrow = 1;
            fraction[i] = 0x1000000 - chunk;
          }
        } else {
          fraction[i] = 0xffffff - chunk;
        }
      }
      if (q0 === 1) fraction[jz - 1] &= 0x7fffff;
      else if (q0 === 2) fraction[jz - 1] &= 0x3fffff;
      if (ih === 2) {
        z2 = 1 - z2;
        if (borrow !== 0) z2 -= pow2(q0);
      }
    }
    if (z2 !== 0 || !lowChunksAreZero(jz)) break;
    // The fraction's leading chunks are all zero (x is close to a multiple of π/2), so too few
    // of its bits are known: pull in k more chunks of 2/π, k − 1 being how many of the chunks
    // below them are zero too.
    let k = 1;
    while (JK >= k && fraction[JK - k] === 0) k++;
    for (let i = jz + 1; i <= jz + k; i++) {
      piChunks[jx + i] = TWO_OVER_PI[jv + i];
      product[i] = dotChunks(jx, i);
    }
    jz += k;
  }

  // Drop zero chunks from the top, or split a top value that outgrew 24 bits.
  if (z2 === 0) {
    jz -= 1;
    q0 -= 24;
    while (fraction[jz] === 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    z2 *= pow2(-q0);
    if (z2 >= TWO24) {
      const carry = (TWO_M24 * z2) | 0;
      fraction[jz] = (z2 - TWO24 * carry) | 0;
      jz += 1;
      q0 += 24;
      fraction[jz] = carry;
    } else {
      fraction[jz] = z2 | 0;
    }
  }

  // The fraction's chunks as doubles (product[] is free again), then times π/2.
  let scale = pow2(q0);
  for (let i = jz; i >= 0; i--) {
    product[i] = scale * fraction[i];
    scale *= TWO_M24;
  }
  for (let i = jz; i >= 0; i--) {
    let sum = 0;
    for (let k = 0; k <= JK && k <= jz - i; k++) sum += PI_OVER_2_CHUNKS[k] * product[i + k];
    reduced[jz - i] = sum;
  }

  // Sum smallest first into the head; the tail is what the head's rounding lost.
  let head = 0;
  for (let i = jz; i >= 0; i--) head += reduced[i];
  let tail = reduced[0] - head;
  for (let i = 1; i <= jz; i++) tail += reduced[i];
  y[0] = ih === 0 ? head : -head;
  y[1] = ih === 0 ? tail : -tail;
  return n & 7;
}

/** product[i]: the sum over x's chunks j of xChunks[j]·piChunks[jx + i − j] (exact: < 2^53). */
function dotChunks(jx: number, i: number): number {
  let sum = 0;
  for (let j = 0; j <= jx; j++) sum += xChunks[j] * piChunks[jx + i - j];
  return sum;
}

/** Whether fraction[JK..jz−1], the chunks beyond the first JK, are all zero. */
function lowChunksAreZero(jz: number): boolean {
  let bits = 0;
  for (let i = jz - 1; i >= JK; i--) bits |= fraction[i];
  return bits === 0;
}
