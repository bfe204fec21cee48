/**
 * The chapter experiments' explanations and one-line descriptions (the `--help` text) say what
 * their runs do: each claim here is re-run and compared, "solved" and "stuck" are the verdict
 * (verdictOf), and a number in the prose is compared with the number the run gives.
 */
import { describe, expect, it } from 'vitest';
import { sigmoid, tensor } from 'nnlab';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { EpochRecord, LabRecord } from '../../../lab/experiments/index.js';
import { verdictOf } from '../../../lab/experiments/verdict.js';
import type { Verdict } from '../../../lab/experiments/verdict.js';

/** A run's records, its heat maps coarse and drawn once (they do not touch training). */
function run(name: string, given: Record<string, unknown> = {}, seed = 1): LabRecord[] {
  const experiment = findExperiment(name);
  return [...experiment.run(resolveConfig(experiment, { resolution: 2, reportEvery: 1_000_000, ...given }), seed)];
}
const verdict = (records: readonly LabRecord[]): Verdict => verdictOf(records)!;
const near = (error: number | null, level: number): boolean => error !== null && Math.abs(error - level) < 0.01;

describe('logistic-regression: "OR, AND, NAND and NOR … the unit learns them; XOR … the error stays near 0.25"', () => {
  it.each(['or', 'and', 'nand', 'nor'])('--gate %s: solved', (gate) => {
    expect(verdict(run('logistic-regression', { gate })).text).toBe('solved');
  });

  it('--gate xor: stuck near 0.25, and the verdict says why (one line)', () => {
    const v = verdict(run('logistic-regression', { gate: 'xor' }));
    expect(v.solved).toBe(false);
    expect(near(v.variants[0].stalledAt, 0.25), v.text).toBe(true);
    expect(v.text).toContain('one unit draws one line; XOR needs two');
    expect(findExperiment('logistic-regression').explanation).toContain('OR, AND, NAND and NOR each put their 1s on one side');
  });
});

describe('two-layer: the stalls near 0.25 and 0.125 and what gets out of them (seeds 1–40, defaults)', () => {
  const stuck = Array.from({ length: 40 }, (_, i) => i + 1)
    .map((seed) => ({ seed, verdict: verdict(run('two-layer', {}, seed)).variants[0] }))
    .filter((r) => !r.verdict.solved);
  const explanation = findExperiment('two-layer').explanation;

  it('"from some seeds": some are stuck, each near 0.25 with the output 0.5 everywhere, or near 0.125 with two corners the hidden lines cannot tell apart', () => {
    expect(stuck.length).toBeGreaterThan(0);
    for (const { seed, verdict: v } of stuck) {
      if (near(v.stalledAt, 0.25)) expect(v.hint, `seed ${seed}`).toMatch(/^it predicts 0\.5 for every point/);
      else expect([seed, near(v.stalledAt, 0.125), v.hint]).toEqual([seed, true, expect.stringMatching(/fall on the same side of every hidden line/)]);
    }
    expect(explanation).toContain('stalls near 0.25 (the output stays near 0.5 everywhere) or near 0.125 (two corners fall on the same side of every hidden line)');
  });

  it('"more hidden units get out of either": each stuck seed is solved with --hidden 3', () => {
    for (const { seed } of stuck) expect(verdict(run('two-layer', { hidden: 3 }, seed)).solved, `seed ${seed}`).toBe(true);
    expect(explanation).toContain('Another seed or more hidden units get out of either');
  });

  it('"more epochs get out of most 0.25 stalls": ten times the epochs solves more than half of them', () => {
    const epochs = 10 * Number(resolveConfig(findExperiment('two-layer')).epochs);
    const quarter = stuck.filter((r) => near(r.verdict.stalledAt, 0.25));
    const solved = quarter.filter(({ seed }) => verdict(run('two-layer', { epochs }, seed)).solved);
    expect(solved.length).toBeGreaterThan(quarter.length / 2);
    expect(explanation).toContain('more epochs get out of most 0.25 stalls');
  }, 60_000);
});

describe('dropout: "dropout on 8 hidden units learns XOR with a noisier error curve than the same net without it"', () => {
  const records = run('dropout');
  const config = resolveConfig(findExperiment('dropout'));
  const curve = (series: string) => records.filter((r): r is EpochRecord => r.kind === 'epoch' && (r.series ?? 'train') === series).map((r) => r.error);
  /** Epochs whose error rose over the previous one: 0 for a curve that only falls. */
  const rises = (errors: number[]) => errors.filter((e, i) => i > 0 && e > errors[i - 1]).length;

  it('learns XOR (its verdict), with 8 hidden units and rate 0.5 by default', () => {
    expect(verdict(records).solved).toBe(true);
    expect([config.hidden, config.rate]).toEqual([8, 0.5]);
    expect(findExperiment('dropout').description).toContain('dropout on 8 hidden units learns XOR');
    expect(findExperiment('dropout').explanation).toContain('(0.5 here)');
  });

  it('its error curve rises on many epochs; the twin without dropout only falls', () => {
    const withDropout = curve('train');
    const without = curve('no dropout');
    expect(without).toHaveLength(withDropout.length);
    expect(rises(withDropout)).toBeGreaterThan(withDropout.length / 10);
    expect(rises(without)).toBe(0);
  });
});

describe('bce-logits: "a float32 sigmoid rounds to exactly 1 once the logit passes about 17 (and to exactly 0 below about −104)"', () => {
  it('the first logit (step 0.01) whose float32 sigmoid is 1, and the last whose sigmoid is 0, round to those numbers', () => {
    const zs = Array.from({ length: 24_001 }, (_, i) => Math.round((-120 + i * 0.01) * 100) / 100);
    const s = Array.from(sigmoid(tensor(zs)).data);
    const firstOne = zs[s.findIndex((v) => v === 1)];
    const lastZero = zs[s.length - 1 - [...s].reverse().findIndex((v) => v === 0)];
    const explanation = findExperiment('bce-logits').explanation;
    expect(explanation).toContain(`passes about ${Math.round(firstOne)} (and to exactly 0 below about −${Math.round(-lastZero)})`);
  });

  it('"the XOR net trained with cross entropy on logits": solved', () => {
    expect(verdict(run('bce-logits')).solved).toBe(true);
  });
});

describe('categorical: "decodes two bits into one of four classes"', () => {
  it('solved: every input’s most likely class is its target', () => {
    expect(verdict(run('categorical')).solved).toBe(true);
  });
});
