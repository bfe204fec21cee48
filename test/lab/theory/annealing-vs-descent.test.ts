/**
 * annealing-vs-descent: golden records and figures, and the claim it demonstrates — with the same
 * budget of loss evaluations (counted, not assumed), gradient descent ends lower than simulated
 * annealing on the default task and solves at least as many seeds, while the annealer's
 * acceptance rate falls as its temperature does.
 */
import { describe, expect, it } from 'vitest';

import { ConfigError, resolveConfig, findExperiment } from '../../../lab/experiments/index.js';
import type { EpochRecord, FigureRecord, FinalRecord, LabRecord, SnapshotRecord } from '../../../lab/experiments/index.js';
import { figuresOf } from '../../../lab/render/index.js';
import { normaliseSvg as normalise, rounded } from '../golden.js';
import { SMALL as SMALLS } from './small.js';
import { extraValues } from '../../../lab/experiments/items.js';
import { verdictOf } from '../../../lab/experiments/verdict.js';

const SMALL = SMALLS['annealing-vs-descent'];
const annealingVsDescent = findExperiment('annealing-vs-descent');

function run(given: Record<string, unknown> = {}, seed = 1): LabRecord[] {
  return [...annealingVsDescent.run(resolveConfig(annealingVsDescent, given), seed)];
}

function finalOf(records: readonly LabRecord[]): FinalRecord {
  const final = records[records.length - 1];
  if (final.kind !== 'final') throw new Error(`last record is ${final.kind}`);
  return final;
}

const extra = (records: readonly LabRecord[]) => extraValues(finalOf(records)) as Record<string, number | string | boolean>;
const epochs = (records: readonly LabRecord[], series: string) => records.filter((r): r is EpochRecord => r.kind === 'epoch' && r.series === series);
/** The latest figure of that name (figures are re-yielded as the run goes). */
const figure = (records: readonly LabRecord[], name: string) => records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === name).at(-1)!;

/** Small settings so the golden file stays short: 40 evaluations, a 5 × 5 grid, 3 raced seeds. */
/** The default run, once: the claim is about the defaults. */
let defaultRun: LabRecord[] | undefined;
const defaults = () => (defaultRun ??= run({ resolution: 5 }));

describe('annealing-vs-descent records', () => {
  it('matches its golden snapshot (numbers rounded)', () => {
    expect(rounded(run(SMALL))).toMatchSnapshot();
  });

  it('figures match their golden snapshots', () => {
    const figures = figuresOf(run(SMALL));
    expect(figures.map((f) => f.name)).toEqual(expect.arrayContaining(['annealing', 'seeds', 'output']));
    for (const f of figures) expect(normalise(f.svg)).toMatchSnapshot(f.name);
  });

  it('both methods start from the same weights and the same loss', () => {
    const records = run(SMALL);
    const first = records.find((r): r is SnapshotRecord => r.kind === 'snapshot')!;
    const named = (prefix: string) =>
      Object.fromEntries(Object.entries(first.parameters).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    expect(named('annealing.')).toEqual(named('descent.'));
    expect(Object.keys(named('descent.'))).toEqual(['hidden.weight', 'hidden.bias', 'output.weight', 'output.bias']);
    expect(epochs(records, 'annealing')[0].error).toBe(epochs(records, 'train')[0].error);
    expect(first.maps.map((m) => m.name)).toEqual(['Output descent', 'Output annealing']);
  });

  it("the annealing curve is its best loss so far: it never rises; one epoch record per evaluation for each series", () => {
    const records = run(SMALL);
    const annealing = epochs(records, 'annealing').map((r) => r.error);
    expect(annealing).toHaveLength(41);
    expect(epochs(records, 'train')).toHaveLength(41);
    for (let i = 1; i < annealing.length; i++) expect(annealing[i]).toBeLessThanOrEqual(annealing[i - 1]);
  });

  it('the seeds table has one row per raced seed, starting at the run seed', () => {
    const rows = extra(run(SMALL, 7)).seeds as unknown as { seed: number }[];
    expect(rows.map((r) => r.seed)).toEqual([7, 8, 9]);
  });

  it('a budget that is not a multiple of --gradient-cost is a ConfigError naming both options and their values', () => {
    expect(() => run({ epochs: 100, gradientCost: 3 })).toThrow(
      new ConfigError(
        'annealing-vs-descent: option --epochs (100) must be a multiple of --gradient-cost (3) so that both methods spend the whole budget; try --epochs 99',
      ),
    );
  });
});

describe('the claim: same budget of loss evaluations, gradient descent does better', () => {
  it('both methods spend exactly the budget, counted where each loss is computed', () => {
    const e = extra(defaults());
    expect(e.descentEvaluations).toBe(2000);
    expect(e.annealingEvaluations).toBe(2000);
    expect(e.gradientSteps).toBe(2000);
    expect(e.annealingProposals).toBe(1999);
  });

  it('with --gradient-cost 3 descent gets a third of the steps and the same number of evaluations', () => {
    const e = extra(run({ epochs: 90, gradientCost: 3, raceSeeds: 0, resolution: 5 }));
    expect(e.descentEvaluations).toBe(90);
    expect(e.annealingEvaluations).toBe(90);
    expect(e.gradientSteps).toBe(30);
  });

  it('on the default task and seed, gradient descent ends at a lower loss and solves XOR; annealing does not', () => {
    const records = defaults();
    const final = finalOf(records);
    const annealing = epochs(records, 'annealing').at(-1)!.error;
    expect(final.error!).toBeLessThan(annealing);
    // Solved and stuck are the verdict's (the lab's one rule, isSolved, on each method's predictions).
    expect(verdictOf(records)!.text).toMatch(/^descent: solved · annealing: stuck at /);
    expect(extra(records).descentSolved).toBe(true);
    expect(extra(records).annealingSolved).toBe(false);
  });

  it('over the 20 raced seeds gradient descent solves more than annealing (each seed judged by isSolved)', () => {
    const e = extra(defaults());
    expect(e.descentSolvedShare).toBeGreaterThan(e.annealingSolvedShare as number);
  });

  it("the annealer's acceptance rate falls as its temperature falls", () => {
    const [temperature, acceptance] = figure(defaults(), 'annealing').panels;
    const t = temperature.series[0].y;
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeLessThan(t[i - 1]);
    const quarter = Math.floor(t.length / 4);
    const mean = (ys: number[]) => ys.reduce((a, b) => a + b, 0) / ys.length;
    for (const series of acceptance.series) {
      const finite = (ys: number[]) => ys.filter(Number.isFinite);
      const early = mean(finite(series.y.slice(0, quarter)));
      const late = mean(finite(series.y.slice(-quarter)));
      expect(late, series.label).toBeLessThan(early / 3);
    }
  });
});
