/**
 * Experiments declare what they are (kind, sweepable) instead of being classified by their schema,
 * their name or a trial run. This checks each declaration against what a short run yields.
 */
import { describe, expect, it } from 'vitest';
import { experiments, resolveConfig } from '../../lab/experiments/index.js';
import type { Experiment, LabRecord } from '../../lab/experiments/index.js';
import { SMALL } from './theory/small.js';

function shortRun(experiment: Experiment): LabRecord[] {
  const given = SMALL[experiment.name] ?? (experiment.kind === 'training' ? { epochs: 2, resolution: 2 } : {});
  return [...experiment.run(resolveConfig(experiment, given), 1)];
}

describe('Experiment.kind and Experiment.sweepable', () => {
  it.each(experiments.map((e) => [e.name, e] as const))('%s: its kind and sweepability match its records', (_, experiment) => {
    const records = shortRun(experiment);
    const start = records[0];
    const final = records.at(-1)!;
    if (start.kind !== 'start' || final.kind !== 'final') throw new Error('a run goes from a start record to a final record');
    const trains = records.some((r) => r.kind === 'epoch');
    expect(trains).toBe(experiment.kind === 'training');
    expect(start.epochs !== undefined).toBe(experiment.kind === 'training');
    const judged = final.predictions.length > 0 && final.predictions.every((p) => p.target.length > 0);
    expect(experiment.sweepable).toBe(experiment.kind === 'training' && judged);
  });

  it('only backprop is a walkthrough; activations and bce are figures', () => {
    expect(experiments.filter((e) => e.kind === 'walkthrough').map((e) => e.name)).toEqual(['backprop']);
    expect(experiments.filter((e) => e.kind === 'figures').map((e) => e.name)).toEqual(['activations', 'bce']);
  });
});
