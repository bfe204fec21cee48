/**
 * leaky-relu: records, golden snapshots (numbers rounded, figures normalised) and the claim:
 * ReLU units die (no gradient for any input) where leaky ReLU and PReLU units do not, and
 * PReLU learns its slopes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../lab/experiments/index.js';
import type { FigureRecord, FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { nn, noGrad, tensor, Generator } from 'nnlab';
import { DeepNet } from '../../../lab/experiments/deep/nets.js';
import { deadPerLayer } from '../../../lab/experiments/deep/measures.js';
import { circleData } from '../../../lab/experiments/deep/training.js';
import { leakyRelu as experiment } from '../../../lab/experiments/leaky-relu.js';
import { figuresOf } from '../../../lab/render/index.js';

const SMALL = { depth: 3, width: 2, points: 6, epochs: 2, reportEvery: 1, resolution: 2 };

function run(given: Record<string, unknown> = SMALL, seed = 1): LabRecord[] {
  return [...experiment.run(resolveConfig(experiment, given), seed)];
}

/** Numbers rounded to 4 significant digits, so snapshots survive harmless float noise. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(4));
  if (Array.isArray(value)) return value.map(rounded);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

function normalise(svg: string): string {
  return svg
    .replace(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g, (_, data: string) => `png:${createHash('sha256').update(data).digest('hex').slice(0, 16)}`)
    .replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10))
    .replace(/></g, '>\n<');
}

function lastFigure(records: LabRecord[], name: string): FigureRecord {
  return records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === name).at(-1)!;
}

describe('leaky-relu', () => {
  it('run(config, seed) yields a start record first and a final record last, and the same records for the same seed', () => {
    const records = run();
    expect(records[0].kind).toBe('start');
    expect(records.at(-1)!.kind).toBe('final');
    expect(run()).toEqual(records);
  });

  it('has an explanation and a one-line description', () => {
    expect(experiment.description).not.toContain('\n');
    expect(experiment.description.length).toBeGreaterThan(20);
    expect(experiment.explanation.length).toBeGreaterThan(200);
  });

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

  it('claim: after 200 epochs of the default net ReLU has dead units, leaky ReLU and PReLU fewer (PReLU also fewer switched off), and PReLU’s slopes have moved from 0.25', () => {
    const records = run({ epochs: 200, reportEvery: 100, resolution: 2 });
    const extra = (records.at(-1) as FinalRecord).extra!;
    const rows = extra.units as { variant: string; deadAtEnd: number; offAtEnd: number }[];
    const dead = Object.fromEntries(rows.map((r) => [r.variant, r.deadAtEnd]));
    const off = Object.fromEntries(rows.map((r) => [r.variant, r.offAtEnd]));
    expect(dead.relu).toBeGreaterThan(0);
    expect(dead.relu).toBeGreaterThan(dead['leaky relu']);
    expect(dead.relu).toBeGreaterThan(dead.prelu);
    // Not only by definition: PReLU also has fewer units switched off for every input.
    expect(off.prelu).toBeLessThan(off.relu);
    expect(extra.preluLargestSlopeChange).toBeGreaterThan(0.05);
  });
});
