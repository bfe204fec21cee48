/**
 * The inputs the float32 kernel tests share in Node and in Chromium: every 65,537th float32 bit
 * pattern (65,536 values spread over both signs, every exponent, NaNs and infinities) and the
 * edge cases.
 */
import { EDGES } from './float32-edges.js';

export const SWEEP_STEP = 65537;

export function sweepInputs(): Float32Array {
  const bits: number[] = [];
  for (let b = 0; b < 2 ** 32; b += SWEEP_STEP) bits.push(b);
  const inputs = new Float32Array(bits.length + EDGES.length);
  inputs.set(new Float32Array(new Uint32Array(bits).buffer));
  inputs.set(EDGES, bits.length);
  return inputs;
}

/** The outputs' bits, with every NaN as one (NaN payloads are not a result). */
export function outputBits(values: Float32Array): number[] {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  return Array.from(bits, (b, i) => (values[i] !== values[i] ? 0x7fc00000 : b));
}
