/**
 * leaky-relu's explanation states what seeds 1–20 do (defaults, --leaky-slope 0.01, --bias-init 0);
 * this re-runs those 60 runs and compares the sentence the runs give with the explanation's.
 * On a mismatch the failure shows the sentence to paste.
 */
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FinalRecord } from '../../../lab/experiments/index.js';
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
});
