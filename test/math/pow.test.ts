import { describe, expect, it } from 'vitest';
import { pow } from '../../packages/nnlab/src/math/pow.js';
import { expectFixture } from './fixture-check.js';

const isOddInteger = (y: number): boolean => Number.isInteger(y) && Math.abs(y % 2) === 1;

/**
 * ECMAScript's Number::exponentiate (base, exponent), its special cases only: undefined where the
 * spec leaves the value to the implementation's approximation.
 */
function specialCase(base: number, exponent: number): number | undefined {
  if (Number.isNaN(exponent)) return NaN;
  if (exponent === 0) return 1;
  if (Number.isNaN(base)) return NaN;
  if (base === Infinity) return exponent > 0 ? Infinity : 0;
  if (base === -Infinity) return exponent > 0 ? (isOddInteger(exponent) ? -Infinity : Infinity) : isOddInteger(exponent) ? -0 : 0;
  if (Object.is(base, 0)) return exponent > 0 ? 0 : Infinity;
  if (Object.is(base, -0)) return exponent > 0 ? (isOddInteger(exponent) ? -0 : 0) : isOddInteger(exponent) ? -Infinity : Infinity;
  const magnitude = Math.abs(base);
  if (exponent === Infinity) return magnitude > 1 ? Infinity : magnitude === 1 ? NaN : 0;
  if (exponent === -Infinity) return magnitude > 1 ? 0 : magnitude === 1 ? NaN : Infinity;
  if (base < 0 && !Number.isInteger(exponent)) return NaN;
  return undefined;
}

const VALUES = [
  NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 2.5, -2.5, 5e-324, -5e-324,
  Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 2 ** 64, 1e300, -1e300,
];

describe('pow(x, y) is Node 20’s Math.pow (fdlibm’s e_pow as V8 11.3 runs it), bit for bit', () => {
  it('pow(x, y) matches every recorded pair of fixtures/pow.json (NaN as NaN, −0 as −0)', () => expectFixture('pow', pow));

  it('pow(b, e) gives every special case of ECMAScript’s Number::exponentiate', () => {
    let checked = 0;
    for (const b of VALUES) {
      for (const e of VALUES) {
        const expected = specialCase(b, e);
        if (expected === undefined) continue;
        checked++;
        expect([b, e, pow(b, e)]).toEqual([b, e, expected]); // toEqual tells −0 from +0 and matches NaN
      }
    }
    expect(checked).toBeGreaterThan(250);
  });

  it('pow(x, ±0) is 1 even for NaN x; pow(1, NaN) and pow(±1, ±Infinity) are NaN (C’s pow says 1)', () => {
    expect([pow(NaN, 0), pow(NaN, -0), pow(Infinity, 0)]).toEqual([1, 1, 1]);
    expect([pow(1, NaN), pow(1, Infinity), pow(-1, -Infinity)]).toEqual([NaN, NaN, NaN]);
  });

  it('pow(-0, 0.5) is +0 (not sqrt(-0) = −0), pow(-0, 3) is −0, pow(-8, 1/3) is NaN', () => {
    expect(Object.is(pow(-0, 0.5), 0)).toBe(true);
    expect(Object.is(pow(-0, 3), -0)).toBe(true);
    expect(pow(-8, 1 / 3)).toBeNaN();
    expect(pow(-2, 3)).toBe(-8);
  });

  it('pow(β, t) for Adam’s bias correction: pow(0.9, 10) = 0.3486784401000001, pow(0.999, 1000) = 0.36769542477096373', () => {
    expect(pow(0.9, 10)).toBe(0.3486784401000001);
    expect(pow(0.999, 1000)).toBe(0.36769542477096373);
  });

  it('pow(x, y) near the ends of the range: pow(0.5, 1074) = 5e-324, pow(0.5, 1075) = 0, pow(2, 1023) = 2^1023, pow(2, 1024) = Infinity', () => {
    expect([pow(0.5, 1074), pow(0.5, 1075), pow(2, 1023), pow(2, 1024)]).toEqual([5e-324, 0, 2 ** 1023, Infinity]);
  });

  it('pow(x, y) keeps V8’s last step, not fdlibm’s: pow(8.114233016967773, 5.706338882446289) = 154338.48098396635 (fdlibm: …638)', () => {
    expect(pow(8.114233016967773, 5.706338882446289)).toBe(154338.48098396635);
  });
});
