import { describe, expect, it } from 'vitest';
import { experiments, resolveConfig } from '../../experiments/index.js';
import { figuresOf } from '../../render/index.js';
import { figureNames, fileStem } from './exports.js';

describe('figureNames', () => {
  it.each(experiments.map((e) => e.name))('figureNames(…) lists the figures figuresOf draws for %s', (name) => {
    const experiment = experiments.find((e) => e.name === name)!;
    const small = Object.fromEntries(Object.entries({ epochs: 3, resolution: 3, points: 5 }).filter(([key]) => key in experiment.schema));
    const records = [...experiment.run(resolveConfig(experiment, small), 1)];
    const snapshot = [...records].reverse().find((r) => r.kind === 'snapshot');
    const names = figureNames({
      maps: snapshot?.kind === 'snapshot' ? snapshot.maps.map((m) => m.name) : [],
      errors: records.some((r) => r.kind === 'epoch'),
      figures: records.flatMap((r) => (r.kind === 'figure' ? [r.name] : [])),
    });
    expect(names).toEqual(figuresOf(records).map((f) => f.name));
  });

  it('fileStem(name) keeps letters, digits, -, _ and . only', () => {
    expect(fileStem('Output 2/../x')).toBe('Output-2-..-x');
    expect(fileStem('..')).toBe('figure');
  });
});
