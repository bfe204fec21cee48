/**
 * leaky-relu's explanation states what seeds 1–20 do (defaults, --leaky-slope 0.01, --bias-init 0);
 * this re-runs those 60 runs and compares the sentence the runs give with the explanation's.
 * On a mismatch the failure shows the sentence to paste. Also what a whole dead layer does to the
 * ReLU net of the default run.
 */
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FinalRecord, SnapshotRecord } from '../../../lab/experiments/index.js';
import { findingsOf } from '../../../lab/experiments/claims/index.js';
import { leakyReluSeedSentence } from '../../../lab/experiments/claims/leaky-relu.js';
import type { SeedRuns } from '../../../lab/experiments/claims/leaky-relu.js';

const experiment = findExperiment('leaky-relu');
const FROM = 1;
const SEEDS = 20;

function runs(given: Record<string, unknown>): SeedRuns {
  // One report at the end: reports read the nets without touching training (the same sentence as with the default 100), they only cost time.
  const config = resolveConfig(experiment, { ...given, reportEvery: 1500 });
  const finals = Array.from({ length: SEEDS }, (_, i) => {
    const final = [...experiment.run(config, FROM + i)].find((r) => r.kind === 'final');
    if (final === undefined || final.kind !== 'final') throw new Error('no final record');
    return final as FinalRecord;
  });
  return { from: FROM, finals };
}

describe('leaky-relu explanation', () => {
  it(`states what seeds ${FROM}–${FROM + SEEDS - 1} give (defaults, slope 0.01, biases from 0)`, () => {
    const sentence = leakyReluSeedSentence(runs({}), runs({ leakySlope: 0.01 }), runs({ biasInit: 0 }));
    expect(experiment.explanation).toContain(sentence);
  }, 180_000);

  it("the findings count PReLU's slopes below 0 from the run's own parameters (the explanation no longer says 'many')", () => {
    const config = resolveConfig(experiment, { reportEvery: 1500 });
    const final = [...experiment.run(config, 1)].find((r): r is FinalRecord => r.kind === 'final')!;
    const slopes = Object.entries(final.parameters)
      .filter(([name]) => name.startsWith('prelu: ') && name.endsWith('.prelu.alpha'))
      .flatMap(([, values]) => (values as number[]).flat());
    expect(slopes).toHaveLength(60);
    const negative = slopes.filter((a) => a < 0).length;
    const text = findingsOf('leaky-relu', config, final)!;
    expect(text).toContain(`${negative === 0 ? 'none' : negative} of them below 0 (V-shaped units)`);
    expect(text).toContain(`between ${Math.min(...slopes).toFixed(2).replace('-', '−')} and ${Math.max(...slopes).toFixed(2)}`);
    expect(experiment.explanation).not.toMatch(/many of them\s+negative/);
  }, 60_000);

  it('"where a whole layer of the ReLU net is dead from the start, its output is the same for every input and only the output bias learns" (defaults, seed 1)', () => {
    const runOf = (epochs: number) => [...experiment.run(resolveConfig(experiment, { epochs, reportEvery: 1500, resolution: 8 }), 1)];
    const start = runOf(0).find((r): r is FinalRecord => r.kind === 'final')!.parameters;
    const records = runOf(Number(resolveConfig(experiment).epochs));
    const end = records.find((r): r is FinalRecord => r.kind === 'final')!.parameters;
    const moved = Object.keys(end).filter((name) => name.startsWith('relu: ') && JSON.stringify(end[name]) !== JSON.stringify(start[name]));
    expect(moved).toEqual(['relu: output.bias']);
    const map = records.filter((r): r is SnapshotRecord => r.kind === 'snapshot').at(-1)!.maps.find((m) => m.name === 'Output relu')!;
    expect(Math.max(...map.values) - Math.min(...map.values)).toBe(0);
    expect(experiment.explanation).toContain('its output is the same for every input and only the output bias learns');
  }, 60_000);
});
