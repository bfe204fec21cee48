/**
 * What every theory experiment owes the lab, checked in one place: it is registered in the
 * chapter's order, runs deterministically from a start record to a final record, and explains
 * itself. Each experiment's own file checks its golden records and the claim it demonstrates.
 */
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig, theoryExperiments } from '../../../lab/experiments/index.js';
import type { LabRecord } from '../../../lab/experiments/index.js';
import { SMALL } from './small.js';

/** The order of the chapter's "Extra theory" section, as the issue lists the experiments. */
const ORDER = ['backprop', 'vanishing-gradients', 'exploding-gradients', 'skip-connections', 'leaky-relu', 'annealing-vs-descent', 'interpolation'];

function run(name: string, seed = 1): LabRecord[] {
  const experiment = findExperiment(name);
  return [...experiment.run(resolveConfig(experiment, SMALL[name]), seed)];
}

describe('every theory experiment', () => {
  it('is registered, in the order of the chapter’s extra theory, with a small config for the tests', () => {
    expect(theoryExperiments.map((e) => e.name)).toEqual(ORDER);
    expect(Object.keys(SMALL).sort()).toEqual([...ORDER].sort());
  });

  it.each(ORDER)('%s yields a start record first and a final record last, the same records for the same seed and others for another', (name) => {
    const records = run(name);
    expect(records[0].kind).toBe('start');
    expect(records.at(-1)!.kind).toBe('final');
    expect(records.slice(1, -1).every((r) => r.kind !== 'start' && r.kind !== 'final')).toBe(true);
    expect(run(name)).toEqual(records);
    expect(run(name, 2)).not.toEqual(records);
  });

  it.each(ORDER)('%s has a one-line description and an explanation', (name) => {
    const { description, explanation } = findExperiment(name);
    expect(description.length).toBeGreaterThan(20);
    expect(description).not.toContain('\n');
    expect(explanation.length).toBeGreaterThan(200);
  });
});

describe('the deep-network comparisons', () => {
  it.each(['vanishing-gradients', 'skip-connections', 'leaky-relu'])(
    '%s: the errors do not depend on how often it reports (steps between reports are replayed, with the eager numbers)',
    (name) => {
      const errors = (reportEvery: number) => {
        const experiment = findExperiment(name);
        const config = resolveConfig(experiment, { depth: 4, width: 4, points: 10, epochs: 12, resolution: 2, reportEvery });
        return [...experiment.run(config, 3)].filter((r) => r.kind === 'epoch');
      };
      expect(errors(6)).toEqual(errors(1));
    },
  );
});
