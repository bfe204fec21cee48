/**
 * The vanishing-gradients explanation, its findings and the README's row say what the runs do:
 * the numbers are taken from the default run (seed 1) and compared with the README's text, and the
 * prose's claims about seeds 1 and 2 are re-checked. Fails when a kernel or a default changes them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FigureRecord, FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { verdictOf } from '../../../lab/experiments/verdict.js';
import type { VariantVerdict } from '../../../lab/experiments/verdict.js';
import { findingsOf } from '../../../lab/experiments/claims/index.js';
import { vanishingGradientsNumbers } from '../../../lab/experiments/claims/vanishing-gradients.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const experiment = findExperiment('vanishing-gradients');
const config = resolveConfig(experiment);

function recordsOf(seed: number): LabRecord[] {
  return [...experiment.run(config, seed)];
}
const finalOf = (records: readonly LabRecord[]): FinalRecord => records.find((r): r is FinalRecord => r.kind === 'final')!;

/** Each unit's verdict (the lab's one rule: solved with every point on the right side; stuck predicting one value everywhere). */
function verdicts(records: readonly LabRecord[]): Record<string, VariantVerdict> {
  return Object.fromEntries(verdictOf(records)!.variants.map((v) => [v.variant, v]));
}
/** "stays at ln 2": stuck, one output for every point, its error within 0.01 of ln 2 ≈ 0.69. */
const stuckAtLn2 = (v: VariantVerdict): boolean =>
  !v.solved && /^it predicts [\d.]+ for every point$/.test(v.hint ?? '') && v.stalledAt !== null && Math.abs(v.stalledAt - Math.LN2) < 0.01;

describe('vanishing-gradients claims', () => {
  const records1 = recordsOf(1);
  const seed1 = finalOf(records1);

  it('the README row states the default run’s findings (ratio at the start, final errors)', () => {
    const row = readme.split('\n').find((line) => line.startsWith('| `vanishing-gradients` |'));
    expect(row).toBeDefined();
    const n = vanishingGradientsNumbers(seed1);
    expect(row).toContain(`sigmoid's first layer gets ${n.sigmoidFirstOverLast} of its last layer's`);
    expect(row).toContain(`between ${n.othersLowest} and ${n.othersHighest} times theirs`);
    expect(row).toContain(`after ${config.epochs} epochs the cross entropy is ${n.finalErrors},`);
  });

  it('findingsOf fills the same numbers into the sentence the CLI, page and report show', () => {
    const n = vanishingGradientsNumbers(seed1);
    const text = findingsOf('vanishing-gradients', config, seed1)!;
    for (const value of Object.values(n)) expect(text).toContain(value);
  });

  it('seed 1: sigmoid stays at ln 2 and tanh, ReLU and leaky ReLU learn (the explanation and the README say so): their verdicts', () => {
    const v = verdicts(records1);
    expect(stuckAtLn2(v.sigmoid), v.sigmoid.text).toBe(true);
    for (const unit of ['tanh', 'relu', 'leaky relu']) expect(v[unit].solved, `${unit}: ${v[unit].text}`).toBe(true);
    expect(experiment.explanation).toContain('With the defaults (seed 1) the sigmoid');
  });

  it('"shrinks by roughly that factor [0.25] per layer even when no unit is saturated": at the start, between 1/6 and 1/3 per layer on average, with no sigmoid output saturated', () => {
    const lastFigure = (name: string) => records1.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === name).at(-1)!;
    const norms = lastFigure('gradient-norms').panels[0].series.find((s) => s.label === 'sigmoid')!.y;
    expect(lastFigure('gradient-norms').panels[0].title).toBe('at initialisation');
    // The geometric mean of the factor from one layer to the one below it.
    const perLayer = (norms[0] / norms.at(-1)!) ** (1 / (norms.length - 1));
    expect(perLayer).toBeGreaterThan(1 / 6);
    expect(perLayer).toBeLessThan(1 / 3);
    const saturated = lastFigure('saturated-and-dead').panels[0].series.find((s) => s.label === 'sigmoid')!;
    expect(saturated.x[0]).toBe(0);
    expect(saturated.y[0]).toBe(0);
    expect(experiment.explanation).toContain('shrinks by roughly that factor per layer even when no unit is saturated');
  });

  it('seed 2: the ReLU net dies and stays at ln 2 (the explanation’s "from seed 2"): its verdict', () => {
    const v = verdicts(recordsOf(2));
    expect(stuckAtLn2(v.relu), v.relu.text).toBe(true);
    expect(experiment.explanation).toContain('from seed 2 the ReLU net dies');
  });
});
