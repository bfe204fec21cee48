/**
 * annealing-vs-descent's explanation counts the seeds each method solves (XOR over seeds 1–100 at
 * three budgets, the square over seeds 1–20 at two): this races those seeds again (the
 * experiment's own --race-seeds, records of one run each) and compares the sentence they give.
 * On a mismatch the failure shows the sentence to paste. Also the plateau sentence (seeds 1–20
 * run one by one, read from each run's acceptance figure), its findings and README row.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FinalRecord } from '../../../lab/experiments/index.js';
import { acceptanceQuarters, annealingPlateauSentence, annealingSeedSentence, raceCount } from '../../../lab/experiments/claims/annealing-vs-descent.js';
import { findingsOf } from '../../../lab/experiments/claims/index.js';
import { verdictOf } from '../../../lab/experiments/verdict.js';
import { isSolved } from '../../../lab/experiments/verdict.js';
import type { LabRecord, Prediction } from '../../../lab/experiments/types.js';
import { extraValues } from '../../../lab/experiments/items.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const experiment = findExperiment('annealing-vs-descent');

function run(given: Record<string, unknown>, seed = 1): LabRecord[] {
  // Heat maps coarse and drawn once: they do not touch either method.
  return [...experiment.run(resolveConfig(experiment, { resolution: 2, reportEvery: 1_000_000, ...given }), seed)];
}
const finalOf = (records: readonly LabRecord[]): FinalRecord => records.find((r): r is FinalRecord => r.kind === 'final')!;

describe('annealing-vs-descent explanation', () => {
  it('the counts of solved seeds at each budget are what racing those seeds gives', () => {
    const budgets = { even: 1998, long: 6000, squareShort: 4000, squareLong: 20000 };
    const xor = (given: Record<string, unknown>) => raceCount(finalOf(run({ raceSeeds: 100, ...given })));
    const square = (epochs: number) => raceCount(finalOf(run({ dataset: 'square', hidden: 3, raceSeeds: 20, epochs })));
    const sentence = annealingSeedSentence(
      xor({}),
      xor({ gradientCost: 3, epochs: budgets.even }),
      xor({ gradientCost: 3, epochs: budgets.long }),
      square(budgets.squareShort),
      square(budgets.squareLong),
      budgets,
    );
    expect(experiment.explanation).toContain(sentence);
  }, 180_000);

  it('"a third with 9 weights": the 2-2-1 net has 9 parameters, and 1/√9 is a third', () => {
    const parameters = finalOf(run({ epochs: 10, raceSeeds: 0 })).parameters;
    const count = (value: unknown): number => (Array.isArray(value) ? value.reduce((n: number, v) => n + count(v), 0) : 1);
    const descent = Object.entries(parameters).filter(([name]) => name.startsWith('descent.'));
    expect(descent.reduce((n, [, v]) => n + count(v), 0)).toBe(9);
    expect(experiment.explanation).toContain('a third with 9 weights');
  });
});

describe('annealing-vs-descent explanation: saturated, flat, accepted again (seeds 1–20, defaults)', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
  const runs = seeds.map((seed) => run({ raceSeeds: 0 }, seed));
  const quarters = runs.map(acceptanceQuarters);
  const solving = seeds.filter((_, i) => quarters[i].solved);

  it('the acceptance rates the sentence states are what those seeds give', () => {
    expect(experiment.explanation).toContain(`On that flat plateau Δ shrinks faster than T, so proposals are accepted again: ${annealingPlateauSentence(1, quarters)}.`);
  });

  it('"pushes the weights until the sigmoids saturate, so its loss can end far below descent’s": every run that solves XOR ends with each output within 0.01 of its target, its loss below a tenth of descent’s', () => {
    expect(solving.length).toBeGreaterThan(0);
    for (const seed of solving) {
      const final = finalOf(runs[seed - 1]);
      const predictions = extraValues(final).annealingPredictions as Prediction[];
      expect(Math.max(...predictions.map((p) => Math.abs(p.output[0] - p.target[0]))), `seed ${seed}`).toBeLessThan(0.01);
      expect(quarters[seed - 1].annealingLoss, `seed ${seed}`).toBeLessThan(quarters[seed - 1].descentLoss / 10);
    }
    expect(experiment.explanation).toContain('it pushes the weights until the sigmoids saturate, so its loss can end far below descent’s');
  });

  it('"on that flat plateau Δ shrinks faster than T": in the last quarter each of those runs stands below MSE 1e-4 and accepts more uphill proposals (exp(−Δ/T)) than in the first, though T fell', () => {
    for (const seed of solving) {
      const q = quarters[seed - 1];
      expect(q.lastLoss, `seed ${seed}`).toBeLessThan(1e-4);
      expect(q.lastUphill, `seed ${seed}`).toBeGreaterThan(q.firstUphill);
      expect(q.last, `seed ${seed}`).toBeGreaterThan(q.first);
    }
  });
});

describe('annealing-vs-descent findings and README row (defaults, seed 1)', () => {
  const records = run({});
  const final = finalOf(records);
  const config = resolveConfig(experiment);

  it('the raced seeds are counted with the lab’s one success rule, and the findings state those counts', () => {
    const values = extraValues(final);
    expect(values.descentSolved).toBe(isSolved(final.predictions));
    expect(values.annealingSolved).toBe(isSolved(values.annealingPredictions as Prediction[]));
    const c = raceCount(final);
    expect(c).toMatchObject({ from: 1, seeds: config.raceSeeds });
    const findings = findingsOf('annealing-vs-descent', config, final)!;
    expect(findings).toContain(`Raced again over seeds 1–${config.raceSeeds}, descent solved ${c.descent} and annealing ${c.annealing}`);
  });

  it('the findings say what the verdict says of this run', () => {
    const verdict = verdictOf(records)!;
    const findings = findingsOf('annealing-vs-descent', config, final)!;
    for (const v of verdict.variants) {
      const method = v.variant === 'descent' ? 'gradient descent' : 'annealing’s best point';
      expect(findings).toMatch(new RegExp(`${method} ended at (MSE )?[^;]*and ${v.solved ? 'solved' : 'did not solve'} XOR`));
    }
  });

  it('the README row states how many of the raced seeds each solves', () => {
    const row = readme.split('\n').find((line) => line.startsWith('| `annealing-vs-descent` |'))!;
    const c = raceCount(final);
    expect(row).toContain(`gradient descent solves ${c.descent} of seeds 1–${c.seeds} and annealing ${c.annealing}`);
  });
});
