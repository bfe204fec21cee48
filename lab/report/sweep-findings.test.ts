import { describe, expect, it } from 'vitest';
import { makePlan } from '../sweep/plan.js';
import type { SweepRow } from '../sweep/run.js';
import { summarizeSweep } from '../sweep/summary.js';
import { sweepFindings } from './sweep-findings.js';

const plan = makePlan({ experiment: 'two-layer', count: 4, grid: 'hidden=2,4' });
const row = (value: number, seed: number, finalError: number | null, solved: boolean): SweepRow => ({ seed, value, finalError, solved });

describe('sweepFindings(summary, rows)', () => {
  it('counts the unsolved runs per grid value, names their seeds and their final errors (3 digits, largest first, repeats counted)', () => {
    const rows = [
      row(2, 1, 0.001, true), row(2, 2, 0.24999, false), row(2, 3, 0.1259, false), row(2, 4, 0.25001, false),
      row(4, 1, 0.001, true), row(4, 2, 0.002, true), row(4, 3, 0.001, true), row(4, 4, 0.003, true),
    ];
    expect(sweepFindings(summarizeSweep(plan, rows), rows)).toBe(
      'In this sweep, with --hidden 2, 3 of the 4 runs were not solved (seeds 2, 3, 4), ending at final error 0.25 (2 runs) and 0.126; ' +
        'with --hidden 4, every one of the 4 runs was solved.',
    );
  });

  it('a diverged run is named as such, not as a number', () => {
    const rows = [row(2, 1, null, false), row(2, 2, 0.25, false), row(2, 3, 0.001, true), row(2, 4, 0.001, true), ...[1, 2, 3, 4].map((s) => row(4, s, 0.001, true))];
    expect(sweepFindings(summarizeSweep(plan, rows), rows)).toContain('2 of the 4 runs were not solved (seeds 1, 2), ending at final error 0.25 and a diverged error in 1 run;');
  });

  it('agrees with the summary it is given: its counts are the groups’ runs − solved', () => {
    const rows = [1, 2, 3, 4].flatMap((s) => [row(2, s, s === 1 ? 0.25 : 0.001, s !== 1), row(4, s, 0.001, true)]);
    const summary = summarizeSweep(plan, rows);
    expect(summary.groups.map((g) => g.runs - g.solved)).toEqual([1, 0]);
    expect(sweepFindings(summary, rows)).toContain('with --hidden 2, 1 of the 4 runs was not solved (seed 1)');
  });
});
