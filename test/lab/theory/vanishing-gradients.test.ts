/**
 * vanishing-gradients: records, golden snapshots (numbers rounded, figures normalised) and the
 * claim: in the deep sigmoid net the gradient shrinks layer by layer on its way back.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, findExperiment } from '../../../lab/experiments/index.js';
import type { FigureRecord, FinalRecord, LabRecord } from '../../../lab/experiments/index.js';

import { figuresOf } from '../../../lab/render/index.js';
import { normaliseSvg as normalise, rounded } from '../golden.js';
import { SMALL as SMALLS } from './small.js';
import { extraValues } from '../../../lab/experiments/items.js';

const SMALL = SMALLS['vanishing-gradients'];
const experiment = findExperiment('vanishing-gradients');

function run(given: Record<string, unknown> = SMALL, seed = 1): LabRecord[] {
  return [...experiment.run(resolveConfig(experiment, given), seed)];
}

function lastFigure(records: LabRecord[], name: string): FigureRecord {
  return records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === name).at(-1)!;
}

describe('vanishing-gradients', () => {
  it('yields one error series and one output heat map per unit, and re-yields its figures at every report', () => {
    const records = run();
    const series = new Set(records.flatMap((r) => (r.kind === 'epoch' ? [r.series] : [])));
    // The first variant is the main series: 'train' in the records, named by the start record.
    expect([...series]).toEqual(['train', 'tanh', 'relu', 'leaky relu']);
    expect(records[0].kind === 'start' && records[0].mainSeries).toBe('sigmoid');
    const snapshot = records.find((r) => r.kind === 'snapshot')!;
    expect(snapshot.kind === 'snapshot' && snapshot.maps.map((m) => m.name)).toEqual(['Output sigmoid', 'Output tanh', 'Output relu', 'Output leaky relu']);
    const norms = records.filter((r) => r.kind === 'figure' && r.name === 'gradient-norms');
    expect(norms).toHaveLength(3); // epochs 0, 1 and 2
    expect(lastFigure(records, 'gradient-norms').panels[0].yScale).toBe('log');
  });

  it('matches its golden snapshot (numbers rounded)', () => {
    expect(rounded(run())).toMatchSnapshot();
  });

  it('figures match their golden snapshots', () => {
    const figures = figuresOf(run());
    expect(figures.map((f) => f.name)).toEqual(expect.arrayContaining(['gradient-norms', 'saturated-and-dead']));
    for (const figure of figures) expect(normalise(figure.svg)).toMatchSnapshot(figure.name);
  });

  it('claim: in the 10-layer sigmoid net the gradient shrinks layer by layer, the first layer’s 1000× below the last', () => {
    const records = run({ epochs: 0, resolution: 2 });
    const panel = lastFigure(records, 'gradient-norms').panels[0];
    const sigmoid = panel.series.find((s) => s.label === 'sigmoid')!.y;
    expect(sigmoid).toHaveLength(10);
    // Every step back towards the inputs loses gradient: sigmoid' ≤ 0.25.
    for (let l = 1; l < sigmoid.length; l++) expect(sigmoid[l - 1]).toBeLessThan(sigmoid[l]);
    expect(sigmoid[9] / sigmoid[0]).toBeGreaterThan(1000);
    // ReLU's active units have derivative 1: its layers stay within a factor of 100 of each other.
    const relu = panel.series.find((s) => s.label === 'relu')!.y;
    expect(Math.max(...relu) / Math.min(...relu)).toBeLessThan(100);
    const final = records.at(-1) as FinalRecord;
    expect(extraValues(final).sigmoidLastOverFirstAtStart).toBeCloseTo(sigmoid[9] / sigmoid[0], 6);
  });
});
