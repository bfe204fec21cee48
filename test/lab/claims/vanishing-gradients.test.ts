/**
 * The vanishing-gradients explanation, its findings and the README's row say what the runs do:
 * the numbers are taken from the default run (seed 1) and compared with the README's text, and the
 * prose's claims about seeds 1 and 2 are re-checked. Fails when a kernel or a default changes them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FinalRecord } from '../../../lab/experiments/index.js';
import { findingsOf } from '../../../lab/experiments/claims/index.js';
import { unitRows, vanishingGradientsNumbers } from '../../../lab/experiments/claims/vanishing-gradients.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const experiment = findExperiment('vanishing-gradients');
const config = resolveConfig(experiment);

function finalOf(seed: number): FinalRecord {
  const final = [...experiment.run(config, seed)].find((r) => r.kind === 'final');
  if (final === undefined || final.kind !== 'final') throw new Error('no final record');
  return final;
}

/** Final cross entropy by unit. */
function errors(final: FinalRecord): Record<string, number> {
  return Object.fromEntries(unitRows(final).map((r) => [r.variant, r.finalError]));
}

// Within 0.01 of ln 2: the net still outputs about 0.5 everywhere (stuck); below 0.01: it learned the circle.
const atLn2 = (error: number): boolean => Math.abs(error - Math.LN2) < 0.01;
const learned = (error: number): boolean => error < 0.01;

describe('vanishing-gradients claims', () => {
  const seed1 = finalOf(1);

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

  it('seed 1: sigmoid stays at ln 2 and tanh, ReLU and leaky ReLU learn (the explanation and the README say so)', () => {
    const e = errors(seed1);
    expect(atLn2(e.sigmoid)).toBe(true);
    for (const unit of ['tanh', 'relu', 'leaky relu']) expect(learned(e[unit]), `${unit} ${e[unit]}`).toBe(true);
    expect(experiment.explanation).toContain('With the defaults (seed 1) the sigmoid');
  });

  it('seed 2: the ReLU net dies and stays at ln 2 (the explanation’s "from seed 2")', () => {
    const e = errors(finalOf(2));
    expect(atLn2(e.relu), `relu ${e.relu}`).toBe(true);
    expect(experiment.explanation).toContain('from seed 2 the ReLU net dies');
  });
});
