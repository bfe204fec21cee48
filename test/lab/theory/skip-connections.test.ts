/**
 * skip-connections: records, golden snapshots (numbers rounded, figures normalised) and the
 * claim: residual connections keep every layer's gradient within an order of magnitude.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, findExperiment } from '../../../lab/experiments/index.js';
import type { FigureRecord, FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { spread } from '../../../lab/experiments/skip-connections.js';
import { figuresOf } from '../../../lab/render/index.js';
import { normaliseSvg as normalise, rounded } from '../golden.js';
import { SMALL as SMALLS } from './small.js';
import { extraValues } from '../../../lab/experiments/items.js';

const SMALL = SMALLS['skip-connections'];
const experiment = findExperiment('skip-connections');

function run(given: Record<string, unknown> = SMALL, seed = 1): LabRecord[] {
  return [...experiment.run(resolveConfig(experiment, given), seed)];
}

function lastFigure(records: LabRecord[], name: string): FigureRecord {
  return records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === name).at(-1)!;
}

describe('skip-connections', () => {
  it('yields one error series and one output heat map per connection type, and the highway gates of layers 2 … depth − 1', () => {
    const records = run();
    const series = new Set(records.flatMap((r) => (r.kind === 'epoch' ? [r.series] : [])));
    // The first variant is the main series: 'train' in the records, named by the start record.
    expect([...series]).toEqual(['train', 'residual', 'highway']);
    expect(records[0].kind === 'start' && records[0].mainSeries).toBe('plain');
    const snapshot = records.find((r) => r.kind === 'snapshot')!;
    expect(snapshot.kind === 'snapshot' && snapshot.maps.map((m) => m.name)).toEqual(['Output plain', 'Output residual', 'Output highway']);
    const gates = lastFigure(records, 'highway-gates').panels[0].series;
    expect(gates.map((s) => s.x)).toEqual([[2, 3], [2, 3]]);
    // The gate bias starts at −1, so every gate starts below ½: mostly carrying x through.
    for (const t of gates[0].y) expect(t).toBeLessThan(0.5);
  });

  it('matches its golden snapshot (numbers rounded)', () => {
    expect(rounded(run())).toMatchSnapshot();
  });

  it('figures match their golden snapshots', () => {
    const figures = figuresOf(run());
    expect(figures.map((f) => f.name)).toEqual(expect.arrayContaining(['gradient-norms', 'highway-gates']));
    for (const figure of figures) expect(normalise(figure.svg)).toMatchSnapshot(figure.name);
  });

  it('spread(norms) is max/min over the layers between the first and the output layer', () => {
    expect(spread([1e-9, 2, 8, 4, 1e9])).toBe(4);
  });

  it('claim: with sigmoid units, residual connections keep the gradient norms of the layers they bypass (2 … 9 of 10) within 10× of each other; plain ones do not', () => {
    const records = run({ epochs: 0, resolution: 2 });
    const panel = lastFigure(records, 'gradient-norms').panels[0];
    const norms = (label: string) => panel.series.find((s) => s.label === label)!.y;
    expect(norms('residual')).toHaveLength(10);
    expect(spread(norms('residual'))).toBeLessThan(10);
    expect(spread(norms('plain'))).toBeGreaterThan(1000);
    // The first layer gets far more gradient with the identity paths behind it than without.
    expect(norms('residual')[0] / norms('plain')[0]).toBeGreaterThan(1000);
    const extra = extraValues(records.at(-1) as FinalRecord);
    expect(extra.residualSpreadAtStart).toBeCloseTo(spread(norms('residual')), 6);
  });
});
