/**
 * Test inputs for the kernels' bit-for-bit tests: seeded float32 values (a linear congruential
 * sequence, the same in every run and engine) and the bits to compare them by.
 */

/** `length` seeded values in [−scale, scale). */
export function seededFloats(length: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

/** x's values as their bits (so NaN payloads and −0 compare too). */
export function bitsOf(x: Float32Array): number[] {
  return Array.from(new Int32Array(x.buffer, x.byteOffset, x.length));
}

/** The first index where x and y differ in bits (NaN payloads and −0 too), or −1 when they agree. */
export function firstBitDifference(x: Float32Array, y: Float32Array): number {
  const xi = new Int32Array(x.buffer, x.byteOffset, x.length);
  const yi = new Int32Array(y.buffer, y.byteOffset, y.length);
  for (let i = 0; i < xi.length; i++) if (xi[i] !== yi[i]) return i;
  return xi.length === yi.length ? -1 : xi.length;
}
