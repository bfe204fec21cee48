/**
 * What the float32 kernels are measured against (float32-accuracy.ts, float32.test.ts): the exact
 * value of each function in float64 (the library's fdlibm ports), the error in float32 ulps, and
 * the edge cases every sweep includes.
 */
import * as math from '../../packages/nnlab/src/math/index.js';
import type { VectorFunction } from '../../packages/nnlab/src/kernels/vector.js';

/** Each function's value in float64: within ~1e-16 of exact, so ample as a float32 reference. */
export const EXACT: Readonly<Record<VectorFunction, (x: number) => number>> = {
  exp: math.exp,
  log: math.log,
  tanh: math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + math.exp(-x)) : math.exp(x) / (1 + math.exp(x))),
};

/** The float32 ulp at |v|: the gap between the two float32 values around it (2^-149 below 2^-126). */
export function ulpAt(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

const MAX = 3.4028234663852886e38;

/**
 * |got − exact| in float32 ulps of exact; 0 when both are the same NaN/infinity class, Infinity
 * when the classes differ (NaN for a number, or an infinity the exact value does not round to).
 */
export function ulpError(got: number, exact: number): number {
  if (exact !== exact) return got !== got ? 0 : Infinity;
  if (got !== got) return Infinity;
  const rounded = Math.fround(exact);
  if (!Number.isFinite(rounded) || !Number.isFinite(got)) {
    if (got === rounded) return 0;
    // The exact value is above the largest float32: measure from it in ulps of MAX.
    return Number.isFinite(got) ? Math.abs(got - exact) / ulpAt(MAX) : Infinity;
  }
  return Math.abs(got - exact) / ulpAt(exact);
}

function float32(bitsList: number[]): Float32Array {
  return new Float32Array(new Uint32Array(bitsList).buffer);
}

/** ±0, ±subnormals, ±the normal range's ends, ±Inf, NaN, and the functions' thresholds with their neighbours. */
export const EDGES: Float32Array = (() => {
  const around = (v: number): number[] => {
    const b = new Uint32Array(new Float32Array([v]).buffer)[0];
    return [b - 2, b - 1, b, b + 1, b + 2];
  };
  const thresholds = [88.72283935546875, 88.7228317260742, -87.33654022216797, -103.27892303466797, -103.97207641601562, -104, 89, 0.625, 9.1, 9.01, 18.2, 2 ** -126, 2 ** -149, 2 ** -25, 1, 0.5, 2, Math.SQRT2, Math.SQRT1_2, Math.LN2 / 2];
  const positive = [0, 1, 2, 0x7fffff, 0x800000, 0x7f7fffff, 0x7f800000, ...thresholds.flatMap(around)];
  const signed = positive.flatMap((b) => [b >>> 0, (b | 0x80000000) >>> 0]);
  return float32([...signed, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff]);
})();
