import { describe, expect, it } from 'vitest';
import { exp, expm1 } from '../../packages/nnlab/src/math/exp.js';
import { log, log1p } from '../../packages/nnlab/src/math/log.js';
import { tanh } from '../../packages/nnlab/src/math/tanh.js';
import { expectFixture, mismatches } from './fixture-check.js';

describe('src/math: exp, expm1, log, log1p, tanh reproduce Node 20’s Math (fdlibm) bit for bit', () => {
  it.each([
    ['exp', exp],
    ['expm1', expm1],
    ['log', log],
    ['log1p', log1p],
    ['tanh', tanh],
  ] as const)('%s matches every recorded case', (name, f) => expectFixture(name, f));

  it('the check can fail: a function one ulp off somewhere is caught', () => {
    const off = (x: number) => (x > 3 && x < 4 ? exp(x) * (1 + 2 ** -52) : exp(x));
    expect(mismatches('exp', off).length).toBeGreaterThan(0);
  });

  it('exp(1) is Math.E (V8 special-cases it; the reduction alone is one ulp high)', () => {
    expect(exp(1)).toBe(Math.E);
  });
});
