/**
 * exploding-gradients: the explanation's sentence over seeds 1–100 (the first gradient's norm and
 * the epoch the unclipped loss overflows) is what those seeds give, and the findings and the
 * README row state the default run (seed 1). Fails when a kernel or a default changes them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FigureRecord, FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { divergedAt, ending, explodingSeedSentence, initialNorm, keptDirection, normText } from '../../../lab/experiments/claims/exploding-gradients.js';
import { findingsOf } from '../../../lab/experiments/claims/index.js';
import { verdictOf } from '../../../lab/experiments/verdict.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const row = readme.split('\n').find((line) => line.startsWith('| `exploding-gradients` |')) ?? '';
const experiment = findExperiment('exploding-gradients');
const defaults = resolveConfig(experiment);

const run = (given: Record<string, unknown>, seed: number): LabRecord[] => [...experiment.run(resolveConfig(experiment, given), seed)];
const finalOf = (records: readonly LabRecord[]): FinalRecord => records.find((r): r is FinalRecord => r.kind === 'final')!;
const plain = (text: string) => text.replaceAll('’', "'");

describe('exploding-gradients explanation over seeds 1–100', () => {
  // 10 epochs: the first gradient and the unclipped run's first epochs are the same as in a full run;
  // a seed whose unclipped loss stayed finite for 10 epochs would already break "epoch 2 to 5 on each".
  const finals = Array.from({ length: 100 }, (_, i) => finalOf(run({ epochs: 10, reportEvery: 1000, resolution: 2 }, i + 1)));

  it('states the range of first-gradient norms and of overflow epochs those seeds give', () => {
    expect(experiment.explanation).toContain(explodingSeedSentence(1, finals, defaults.clipNorm));
  });

  it('the README row gives the same overflow epochs over the same seeds', () => {
    const epochs = finals.map((f) => divergedAt(f, 'no clipping')!);
    expect(epochs.every((e) => e !== undefined)).toBe(true);
    expect(row).toContain(`overflows at epoch ${Math.min(...epochs)} to ${Math.max(...epochs)} on each of seeds 1–100`);
  });
});

describe('exploding-gradients findings and README row (defaults, seed 1)', () => {
  const records = run({}, 1);
  const final = finalOf(records);

  it('the README row states the run’s first gradient norm and how each of the three runs ended', () => {
    expect(row).toContain(`first gradient's norm is ${normText(initialNorm(final))} (the clipping threshold is ${defaults.clipNorm})`);
    expect(row).toContain(`without clipping ${plain(ending(final, 'no clipping'))}`);
    expect(row).toContain(`clipped by global norm ${plain(ending(final, 'clip by norm'))}`);
    expect(row).toContain(`clipped by value ${plain(ending(final, 'clip by value'))}`);
  });

  it('the findings the CLI, page and report show say the same', () => {
    const findings = findingsOf('exploding-gradients', defaults, final)!;
    for (const run of ['no clipping', 'clip by norm', 'clip by value']) expect(findings).toContain(ending(final, run));
  });

  it('what the explanation teaches holds in this run: unclipped overflows, clipping by norm keeps the direction and solves OR, by value turns it', () => {
    expect(divergedAt(final, 'no clipping')).toBeDefined();
    expect(divergedAt(final, 'clip by norm')).toBeUndefined();
    expect(divergedAt(final, 'clip by value')).toBeUndefined();
    expect(keptDirection(final, 'clip by norm')).toBe(true);
    expect(keptDirection(final, 'clip by value')).toBe(false);
    // The main curve is the run clipped by norm: the verdict judges its predictions with the lab's one rule.
    expect(verdictOf(records)!.solved).toBe(true);
  });

  it('"the raw norm zig-zags": clipped by norm, the gradient norm before clipping turns (up after down, or down after up) on most steps', () => {
    const gradientNorms = records.filter((r): r is FigureRecord => r.kind === 'figure' && r.name === 'gradient-norms').at(-1)!;
    const before = gradientNorms.panels.find((p) => p.title === 'clip by norm')!.series.find((s) => s.label === 'before clipping')!.y;
    const turns = before.filter((y, i) => i >= 2 && (y - before[i - 1]) * (before[i - 1] - before[i - 2]) < 0).length;
    expect(turns).toBeGreaterThan((before.length - 2) / 2);
    expect(experiment.explanation).toContain('the raw norm zig-zags');
  });

  it('"a linear fit can reach MSE 0.0625": the least-squares plane through OR’s corners leaves that error', () => {
    // OR: t = 1 except at (0, 0). Least squares for t ≈ a + b·x0 + c·x1 over the 4 corners gives a = 0.25, b = c = 0.5.
    const corners = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]];
    const mse = corners.reduce((s, [x0, x1, t]) => s + (0.25 + 0.5 * x0 + 0.5 * x1 - t) ** 2, 0) / 4;
    // It is the least-squares fit: the residuals are orthogonal to 1, x0 and x1.
    const residual = corners.map(([x0, x1, t]) => 0.25 + 0.5 * x0 + 0.5 * x1 - t);
    for (const feature of [() => 1, (c: number[]) => c[0], (c: number[]) => c[1]]) {
      expect(corners.reduce((s, c, i) => s + feature(c) * residual[i], 0)).toBeCloseTo(0, 12);
    }
    expect(experiment.explanation).toContain(`a linear fit can reach MSE ${mse}`);
    expect([defaults.depth, defaults.initGain, defaults.activation]).toEqual([12, 1.3, 'linear']);
    expect(experiment.explanation).toContain('twelve linear layers, each scaling a signal by about 1.3');
  });
});
