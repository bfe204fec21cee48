/**
 * Golden snapshots of every experiment's figures (normalised SVG), so a change to a plot is
 * seen in review. Numbers are rounded and embedded heat-map images replaced by a hash of their
 * bytes, so the snapshots stay readable and still change when a pixel does.
 */
import { describe, expect, it } from 'vitest';
import { chapterExperiments as experiments, resolveConfig } from '../../lab/experiments/index.js';
import { figuresOf } from '../../lab/render/index.js';
import { normaliseSvg as normalise } from './golden.js';

const SMALL: Record<string, Record<string, unknown>> = {
  activations: { points: 9 },
  'logistic-regression': { epochs: 20, reportEvery: 10, resolution: 5 },
  'two-layer': { epochs: 20, reportEvery: 10, resolution: 5 },
  dropout: { epochs: 20, reportEvery: 10, resolution: 5 },
  bce: { points: 9 },
  'bce-logits': { epochs: 20, reportEvery: 10, resolution: 5 },
  categorical: { epochs: 20, reportEvery: 10, resolution: 5 },
};

describe('figures', () => {
  it.each(experiments.map((e) => e.name))('%s: figures match their golden snapshots', (name) => {
    const experiment = experiments.find((e) => e.name === name)!;
    const records = [...experiment.run(resolveConfig(experiment, SMALL[name]), 1)];
    const figures = figuresOf(records);
    expect(figures.length).toBeGreaterThan(0);
    for (const figure of figures) expect(normalise(figure.svg)).toMatchSnapshot(figure.name);
  });
});
