/** makePlan checks the whole seed range up front, so no sweep fails at its last seed. */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../../lab/sweep/plan.js';

describe('makePlan: the seed range', () => {
  it('makePlan({ from: 2**53 - 1, count: 2 }) is refused: its last seed is not a safe integer', () => {
    expect(() => makePlan({ experiment: 'two-layer', from: Number.MAX_SAFE_INTEGER, count: 2 })).toThrow(
      'sweep: seeds 9007199254740991 to 9007199254740992 are not all safe integers (--from plus --seeds must stay at most 9007199254740992)',
    );
  });

  it('makePlan({ from: 2**53 - 2, count: 2 }) ends exactly at the largest safe seed and is accepted', () => {
    expect(makePlan({ experiment: 'two-layer', from: Number.MAX_SAFE_INTEGER - 1, count: 2 })).toMatchObject({ from: Number.MAX_SAFE_INTEGER - 1, count: 2 });
  });
});
