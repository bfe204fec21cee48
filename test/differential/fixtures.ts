/**
 * Reading the differential fixtures that test/differential/generate.py wrote with PyTorch, and
 * comparing nnlab's numbers with them. Non-finite values arrive as the strings "NaN",
 * "Infinity" and "-Infinity" (JSON has no literal for them).
 */
import { readFileSync } from 'node:fs';
import { tensor } from '../../packages/nnlab/src/index.js';
import type { Tensor } from '../../packages/nnlab/src/index.js';

export type Encoded = number | 'NaN' | 'Infinity' | '-Infinity';

/** A tensor as written by the generator: shape and row-major values. */
export interface EncodedTensor {
  shape: number[];
  values: Encoded[];
}

export interface Fixture<Case> {
  about: string;
  torch: string;
  cases: Case[];
}

export function loadFixture<Case>(name: string): Fixture<Case> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Fixture<Case>;
}

export function decode(v: Encoded): number {
  return typeof v === 'number' ? v : Number(v);
}

export function decodeAll(values: readonly Encoded[]): number[] {
  return values.map(decode);
}

/** A float64 tensor holding an encoded tensor's values. */
export function toTensor(t: EncodedTensor): Tensor {
  return tensor(Float64Array.from(decodeAll(t.values)), 'float64', t.shape);
}

/**
 * The bound every comparison states: |nnlab − PyTorch| ≤ rtol·|PyTorch| + atol·scale, where
 * scale is the largest finite |value| of the expected array (so a sum that cancels to nearly 0
 * is judged against the size of its terms' results, not against its own tiny value).
 */
export interface Bound {
  rtol: number;
  atol: number;
}

/**
 * Float64 rounding: both libraries evaluate the same formulas in a different order. Measured
 * over ops.json: 1.1e-13 relative at worst (a logSoftmax gradient that cancels), 5e-15 for
 * every other element; the absolute term only covers binaryCrossEntropy at p = 1e-300, t = 0
 * (nnlab 1e-300, PyTorch 0).
 */
export const ROUNDING: Bound = { rtol: 1e-12, atol: 1e-14 };

/**
 * The elements of `actual` that miss `expected` by more than the bound: NaN must meet NaN and
 * an infinity the same infinity. Returns readable lines, empty when everything agrees.
 */
export function mismatches(actual: ArrayLike<number>, expected: readonly number[], bound: Bound = ROUNDING): string[] {
  if (actual.length !== expected.length) return [`${actual.length} values, expected ${expected.length}`];
  let scale = 0;
  for (const e of expected) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) ? Number.isNaN(a) : a === e) continue;
    if (Number.isFinite(e) && Math.abs(a - e) <= bound.rtol * Math.abs(e) + bound.atol * scale) continue;
    bad.push(`[${i}]: nnlab ${a}, PyTorch ${e}`);
  }
  return bad;
}

/** The largest relative difference over elements that are both finite (for reports). */
export function largestRelativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(a) || !Number.isFinite(e) || a === e) continue;
    worst = Math.max(worst, Math.abs(a - e) / Math.max(Math.abs(e), Number.MIN_VALUE));
  }
  return worst;
}
