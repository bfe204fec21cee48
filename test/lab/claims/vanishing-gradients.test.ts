/**
 * The vanishing-gradients explanation, its findings and the README's row say what the runs do:
 * the numbers are taken from the default run (seed 1) and compared with the README's text, and the
 * prose's claims about seeds 1 and 2 are re-checked. Fails when a kernel or a default changes them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
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

/** Each unit's verdict (the lab's one rule for these nets: solved below ln 2 / N, stuck near ln 2). */
function verdicts(records: readonly LabRecord[]): Record<string, VariantVerdict> {
  return Object.fromEntries(verdictOf(records)!.variants.map((v) => [v.variant, v]));
}
const stuckAtLn2 = (v: VariantVerdict): boolean => !v.solved && v.hint === 'ln 2: it predicts 0.5 everywhere';

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

  it('seed 2: the ReLU net dies and stays at ln 2 (the explanation’s "from seed 2"): its verdict', () => {
    const v = verdicts(recordsOf(2));
    expect(stuckAtLn2(v.relu), v.relu.text).toBe(true);
    expect(experiment.explanation).toContain('from seed 2 the ReLU net dies');
  });
});
