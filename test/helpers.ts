/** Helpers shared by the cross-cutting suites: pinned error messages and elementwise closeness. */
import { expect } from 'vitest';
import { Tensor, formatShape, tensor } from '../packages/nnlab/src/index.js';
import type { NestedArray } from '../packages/nnlab/src/index.js';

/** The message of the error `fn` throws; fails the test if it returns normally. */
export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error.message;
    throw new Error(`expected an Error, got ${String(error)}`);
  }
  throw new Error('expected the call to throw, but it returned');
}

export interface Tolerance {
  /** Absolute tolerance (default 1e-9). */
  atol?: number;
  /** Relative tolerance, scaled by |expected| (default 1e-9). */
  rtol?: number;
}

/**
 * Checks that `actual` has the expected shape and that every element is within
 * atol + rtol·|expected|. Equal infinities count as close. Failures list the first bad elements.
 */
export function expectAllClose(actual: Tensor, expected: Tensor | NestedArray, { atol = 1e-9, rtol = 1e-9 }: Tolerance = {}): void {
  const want = expected instanceof Tensor ? expected : tensor(expected, 'float64');
  expect(formatShape(actual.shape)).toBe(formatShape(want.shape));
  const bad: string[] = [];
  for (let i = 0; i < want.size; i++) {
    const a = actual.data[i];
    const e = want.data[i];
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) bad.push(`element ${i}: got ${a}, expected ${e}`);
  }
  expect(bad.slice(0, 5), `${bad.length} of ${want.size} elements differ`).toEqual([]);
}

/** A float64 tensor from nested arrays: the dtype every exact and gradient check uses. */
export function f64(values: NestedArray): Tensor {
  return tensor(values, 'float64');
}
