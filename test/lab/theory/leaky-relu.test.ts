/**
 * leaky-relu: records, golden snapshots (numbers rounded, figures normalised) and the claim:
 * ReLU units die (no gradient for any input) where leaky ReLU and PReLU units do not, and
 * PReLU learns its slopes.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig, findExperiment } from '../../../lab/experiments/index.js';
import type { FigureRecord, FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { nn, noGrad, tensor, Generator } from 'nnlab';
import { DeepNet } from '../../../lab/experiments/deep/nets.js';
import { deadPerLayer } from '../../../lab/experiments/deep/measures.js';
import { circleData } from '../../../lab/experiments/deep/training.js';

import { figuresOf } from '../../../lab/render/index.js';
import { normaliseSvg as normalise, rounded } from '../golden.js';
import { SMALL as SMALLS } from './small.js';
import { extraValues } from '../../../lab/experiments/items.js';
import { verdictOf } from '../../../lab/experiments/verdict.js';

const SMALL = SMALLS['leaky-relu'];
const experiment = findExperiment('leaky-relu');

function run(given: Record<string, unknown> = SMALL, seed = 1): LabRecord[] {
  return [...experiment.run(resolveConfig(experiment, given), seed)];
}

function lastFigure(records: LabRecord[], name: string): FigureRecord {
  return records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === name).at(-1)!;
}

describe('leaky-relu', () => {
  it('yields one error series and one output heat map per unit, and PReLU’s slopes over epochs and per layer', () => {
    const records = run();
    const series = new Set(records.flatMap((r) => (r.kind === 'epoch' ? [r.series] : [])));
    // The first variant is the main series: 'train' in the records, named by the start record.
    expect([...series]).toEqual(['train', 'leaky relu', 'prelu']);
    expect(records[0].kind === 'start' && records[0].mainSeries).toBe('relu');
    const snapshot = records.find((r) => r.kind === 'snapshot')!;
    expect(snapshot.kind === 'snapshot' && snapshot.maps.map((m) => m.name)).toEqual(['Output relu', 'Output leaky relu', 'Output prelu']);
    const [overEpochs, perLayer] = lastFigure(records, 'prelu-slopes').panels;
    expect(overEpochs.series.map((s) => s.label)).toEqual(['largest', 'mean', 'smallest']);
    for (const s of overEpochs.series) {
      expect(s.x).toEqual([0, 1, 2]);
      expect(s.y[0]).toBeCloseTo(0.25, 6);
    }
    expect(perLayer.series.map((s) => s.x)).toEqual([[1, 2], [1, 2]]);
  });

  it('matches its golden snapshot (numbers rounded)', () => {
    expect(rounded(run())).toMatchSnapshot();
  });

  it('figures match their golden snapshots', () => {
    const figures = figuresOf(run());
    expect(figures.map((f) => f.name)).toEqual(expect.arrayContaining(['dead-units', 'prelu-slopes']));
    for (const figure of figures) expect(normalise(figure.svg)).toMatchSnapshot(figure.name);
  });

  it('a dead ReLU unit (input ≤ 0 for every point) gets exactly zero gradient on its incoming weights; the same leaky unit does not', () => {
    const data = circleData(50, 1);
    const inputs = tensor(data.inputs);
    const grads = (unit: 'relu' | 'leaky relu') => {
      // A bias of −3 switches off every unit of the first layer for every input in the unit square.
      const net = new DeepNet({ depth: 3, width: 4, unit, connection: 'plain', init: 'glorot', initStd: 0.3, biasInit: -3, rng: new Generator(1) });
      nn.bceWithLogitsLoss(net.forward(inputs), tensor(data.targets)).backward();
      expect(deadPerLayer(noGrad(() => net.trace(inputs)).pre)[0]).toBe(4);
      return Array.from(net.layerWeights()[0].grad!.data);
    };
    expect(grads('relu').every((g) => g === 0)).toBe(true);
    expect(grads('leaky relu').some((g) => g !== 0)).toBe(true);
  });

  it('a variant whose error overflows stops its own series there (its curves end, the table says where) and the others go on', () => {
    // Steps this large make the leaky and PReLU nets overflow within a few epochs; ReLU's does not.
    const records = run({ depth: 3, width: 2, points: 6, epochs: 30, reportEvery: 10, resolution: 2, learningRate: 3, biasInit: 0 });
    const epochsOf = (series: string) => records.flatMap((r) => (r.kind === 'epoch' && r.series === series ? [r.epoch] : []));
    expect(epochsOf('train')).toHaveLength(31);
    const final = records.at(-1) as FinalRecord;
    expect(Number.isFinite(final.error)).toBe(true);
    const rows = extraValues(final).units as { variant: string; stoppedAt: string }[];
    expect(rows[0].stoppedAt).toBe('—');
    for (const { variant, stoppedAt } of rows.slice(1)) {
      const lastEpoch = epochsOf(variant).at(-1)!;
      expect(lastEpoch).toBeLessThan(30);
      expect(stoppedAt).toMatch(new RegExp(`^epoch ${lastEpoch + 1} \\(error (NaN|-?Infinity)\\)$`));
      // Its dead-unit counts end at its last report before it stopped.
      const [deadPanel] = lastFigure(records, 'dead-units').panels;
      expect(deadPanel.series.find((s) => s.label === variant)!.x.at(-1)).toBeLessThanOrEqual(lastEpoch);
    }
    for (const figure of records.filter((r): r is FigureRecord => r.kind === 'figure')) {
      for (const panel of figure.panels) for (const s of panel.series) expect(s.y.every(Number.isFinite)).toBe(true);
    }
  });

  it('claim (defaults, 600 epochs): ReLU has most units dead at every report and stalls; leaky ReLU and PReLU have none dead, switch units back on and learn; PReLU’s slopes move', () => {
    const records = run({ epochs: 600, resolution: 2 });
    const final = records.at(-1) as FinalRecord;
    const extra = extraValues(final);
    const units = extra.hiddenUnits as number;
    const rows = Object.fromEntries(
      (extra.units as { variant: string; finalError: number; offAtStart: number; offAtEnd: number }[]).map((r) => [r.variant, r]),
    );
    const errors = (series: string) => records.flatMap((r) => (r.kind === 'epoch' && r.series === series ? [r.error] : []));
    const [deadPanel] = lastFigure(records, 'dead-units').panels;
    const deadOf = (variant: string) => deadPanel.series.find((s) => s.label === variant)!.y;
    expect(deadPanel.series[0].x).toEqual([0, 100, 200, 300, 400, 500, 600]);
    // ReLU: more than half its hidden units dead at every report, and it learns next to nothing.
    expect(Math.min(...deadOf('relu'))).toBeGreaterThan(units / 2);
    const relu = errors('train');
    // Stalls: its verdict is stuck, one output for every point.
    const verdicts = Object.fromEntries(verdictOf(records)!.variants.map((v) => [v.variant, v]));
    expect(verdicts.relu.hint, verdicts.relu.text).toMatch(/^it predicts [\d.]+ for every point$/);
    for (const variant of ['leaky relu', 'prelu']) {
      expect(deadOf(variant).every((d) => d === 0)).toBe(true);
      // Not only by definition: they start with as many units switched off, and switch most back on.
      expect(rows[variant].offAtStart).toBeGreaterThan(units / 2);
      expect(rows[variant].offAtEnd).toBeLessThan(rows[variant].offAtStart / 2);
      const e = errors(variant);
      expect(e.at(-1)!).toBeLessThan(e[0] / 10);
      expect(e.at(-1)!).toBeLessThan(relu.at(-1)! / 10);
    }
    expect(extra.preluLargestSlopeChange).toBeGreaterThan(0.5);
  });
});
