import { describe, expect, it } from 'vitest';
import { highWord } from '../../packages/nnlab/src/math/bits.js';
import { remPio2 } from '../../packages/nnlab/src/math/rem-pio2.js';
import { cos, sin } from '../../packages/nnlab/src/math/trig.js';
import { expectFixture, mismatches, readFixture } from './fixture-check.js';
import { fromHex, toHex } from './record-fixtures.js';

/** Which path of fdlibm's reduction an input takes, by its high word. */
function reductionPath(x: number): string {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 'tiny (|x| < 2^-27)';
  if (ix <= 0x3fe921fb) return 'none (|x| ≲ π/4)';
  if (ix < 0x4002d97c) return 'N = ±1 (|x| < 3π/4)';
  if (ix <= 0x413921fb) return 'medium (|x| ≲ 2^19·π/2)';
  if (ix < 0x7ff00000) return 'Payne–Hanek';
  return 'Infinity or NaN';
}

/** x − N·π/2 as fdlibm reduces it (head only). */
function remainder(x: number): number {
  const y = new Float64Array([x, 0]);
  remPio2(y);
  return y[0];
}

const NEAR_MULTIPLES_OF_PI_OVER_2 = [45.553093477052, 321307.9594422229, 687523.4150711851, 14461176.67027838, 6381956970095103 * 2 ** 797, 3.924293714572882e298];

describe('src/math/trig: sin and cos reproduce Node 20’s Math (fdlibm) bit for bit', () => {
  it.each([
    ['sin', sin],
    ['cos', cos],
  ] as const)('%s matches every recorded case', (name, f) => expectFixture(name, f));

  it('the check can fail: a sin one ulp off past 2^19·π/2 is caught', () => {
    const off = (x: number) => (Math.abs(x) > 1e6 && Math.abs(x) < 1e300 ? sin(x) * (1 + 2 ** -52) : sin(x));
    expect(mismatches('sin', off).length).toBeGreaterThan(0);
  });

  it.each(['sin', 'cos'])('the %s fixture takes every reduction path, over 100 cases each', (name) => {
    const counts: Record<string, number> = {};
    for (const [input] of readFixture(name).cases) {
      const path = reductionPath(fromHex(input as string));
      counts[path] = (counts[path] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(
      ['tiny (|x| < 2^-27)', 'none (|x| ≲ π/4)', 'N = ±1 (|x| < 3π/4)', 'medium (|x| ≲ 2^19·π/2)', 'Payne–Hanek', 'Infinity or NaN'].sort(),
    );
    for (const [path, count] of Object.entries(counts)) expect([path, count > 100 || path === 'Infinity or NaN']).toEqual([path, true]);
  });

  it('the fixtures hold doubles within 2^-49 of a multiple of π/2, and 6381956970095103·2^797 within 2^-60', () => {
    const inputs = new Set(readFixture('sin').cases.map(([input]) => input as string));
    for (const x of NEAR_MULTIPLES_OF_PI_OVER_2) {
      expect(inputs.has(toHex(x))).toBe(true);
      expect(Math.abs(remainder(x))).toBeLessThan(2 ** -49);
    }
    expect(Math.abs(remainder(6381956970095103 * 2 ** 797))).toBeLessThan(2 ** -60);
  });

  it('sin(−0) is −0, cos(−0) is 1, and ±Infinity and NaN give NaN', () => {
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(cos(-0)).toBe(1);
    for (const x of [Infinity, -Infinity, NaN]) expect([sin(x), cos(x)]).toEqual([NaN, NaN]);
  });
});
