/**
 * The two 32-bit halves of a float64, read and written through one shared 8-byte buffer: the
 * GET_HIGH_WORD / GET_LOW_WORD / INSERT_WORDS of fdlibm, which the functions in this folder port.
 * Little-endian word order is checked once here, so the ports never think about it.
 */
const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
float[0] = 1;
const HI = words[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** The sign, exponent and top 20 mantissa bits of x, as a signed 32-bit integer (fdlibm's `hx`). */
export function highWord(x: number): number {
  float[0] = x;
  return words[HI] | 0;
}

/** The low 32 mantissa bits of x, unsigned. */
export function lowWord(x: number): number {
  float[0] = x;
  return words[LO];
}

/** The float64 whose halves are `hi` and `lo`. */
export function fromWords(hi: number, lo: number): number {
  words[HI] = hi >>> 0;
  words[LO] = lo >>> 0;
  return float[0];
}

/** x with its high word replaced (fdlibm's SET_HIGH_WORD). */
export function withHighWord(x: number, hi: number): number {
  float[0] = x;
  words[HI] = hi >>> 0;
  return float[0];
}

/** x with its low word replaced (fdlibm's SET_LOW_WORD). */
export function withLowWord(x: number, lo: number): number {
  float[0] = x;
  words[LO] = lo >>> 0;
  return float[0];
}

/** 2^k for −1074 ≤ k ≤ 1023 (the subnormal ones too), exact. */
const POWERS_OF_TWO = new Float64Array(2098);
for (let k = -1074; k <= 1023; k++) POWERS_OF_TWO[k + 1074] = k >= -1022 ? fromWords((k + 1023) << 20, 0) : fromWords(0, 0) + 2 ** k;

/** 2^k, exactly, for −1074 ≤ k ≤ 1023 (a table read: faster than writing an exponent's bits). */
export function pow2(k: number): number {
  return POWERS_OF_TWO[k + 1074];
}
