/**
 * Every number and verdict in the README's extra-theory table is what the experiment's own run
 * gives (defaults, seed 1), and every "of seeds" count is what those seeds give: each row's
 * sentences are rebuilt here from the records and must appear in the README verbatim. A kernel or
 * default change that makes one false fails this test. (The rows of vanishing-gradients,
 * exploding-gradients, skip-connections and annealing-vs-descent are checked in their own files
 * here, with the findings the CLI, page and report show.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { verdictOf } from '../../../lab/experiments/verdict.js';
import type { VariantVerdict } from '../../../lab/experiments/verdict.js';
import { extraValues } from '../../../lab/experiments/items.js';
import type { Cell } from '../../../lab/experiments/types.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

function rowOf(name: string): string {
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  if (row === undefined) throw new Error(`README: no extra-theory row for ${name}`);
  return row;
}

function recordsOf(name: string, given: Record<string, unknown> = {}, seed = 1): LabRecord[] {
  const experiment = findExperiment(name);
  return [...experiment.run(resolveConfig(experiment, given), seed)];
}

function finalOf(name: string, given: Record<string, unknown> = {}, seed = 1): FinalRecord {
  const final = recordsOf(name, given, seed).find((r) => r.kind === 'final');
  if (final === undefined || final.kind !== 'final') throw new Error(`${name}: no final record`);
  return final;
}

/** A variant's verdict (deep nets: solved with every point on the right side, stuck predicting one value everywhere, else not solved). */
function verdictOfVariant(records: readonly LabRecord[], variant: string): VariantVerdict {
  return verdictOf(records)!.variants.find((v) => v.variant === variant)!;
}

/** The verdict's hint for a net stuck predicting one value for every point. */
const ONE_OUTPUT = /^it predicts [\d.]+ for every point$/;

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** `value` as the README writes it: 1.8×10⁻⁴ (digits significant; "5×10⁴" for 1 digit). */
function powerOfTen(value: number, digits: number): string {
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  return `${mantissa}×10${[...String(Number(exponent))].map((c) => SUPERSCRIPT[c]).join('')}`;
}

const rows = (final: FinalRecord, key: string): Record<string, Cell>[] => extraValues(final)[key] as Record<string, Cell>[];
const byVariant = (final: FinalRecord, key: string, variant: string): Record<string, Cell> => rows(final, key).find((r) => r.variant === variant)!;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('README extra-theory table', () => {
  it('backprop: the largest relative error of the gradient check', () => {
    const { largestRelativeError } = extraValues(finalOf('backprop'));
    expect(rowOf('backprop')).toContain(`(largest relative error ${(largestRelativeError as number).toExponential(1)})`);
  });

  it('leaky-relu: ReLU’s dead units and stalled error, the learned errors, and the seeds ReLU stalls on', () => {
    const row = rowOf('leaky-relu');
    const records = recordsOf('leaky-relu');
    const final = records.find((r): r is FinalRecord => r.kind === 'final')!;
    const { hiddenUnits } = extraValues(final) as Record<string, number>;
    const relu = byVariant(final, 'units', 'relu');
    const learned = ['leaky relu', 'prelu'].map((v) => byVariant(final, 'units', v).finalError as number);
    expect(row).toContain(`${relu.deadAtEnd} of ReLU's ${hiddenUnits} units are dead at every report`);
    expect(relu.offAtStart).toBe(relu.deadAtEnd);
    // The explanation: leaky ReLU and PReLU "start from the same weights with about as many units switched off" (within 15%).
    for (const variant of ['leaky relu', 'prelu']) {
      const off = byVariant(final, 'units', variant).offAtStart as number;
      expect(Math.abs(off - (relu.offAtStart as number)) / (relu.offAtStart as number), variant).toBeLessThan(0.15);
    }
    expect(findExperiment('leaky-relu').explanation).toContain('start from the same weights with about as many units switched off');
    expect(row).toContain(`it stalls at ${(relu.finalError as number).toFixed(2)}`);
    expect(row).toContain(`learn (${powerOfTen(Math.max(...learned), 2)})`);
    // "stalls" and "learn" are the verdicts: ReLU stuck (one output for every point), leaky ReLU and PReLU solved.
    expect(verdictOfVariant(records, 'relu').hint).toMatch(ONE_OUTPUT);
    for (const variant of ['leaky relu', 'prelu']) expect(verdictOfVariant(records, variant).solved, variant).toBe(true);
    // "ReLU stalls on all of seeds 1–20": its verdict is not solved on each.
    const m = /ReLU stalls on all of seeds (\d+)–(\d+)/.exec(row);
    expect(m).not.toBeNull();
    const stalled = range(Number(m![1]), Number(m![2])).filter((seed) => !verdictOfVariant(recordsOf('leaky-relu', { reportEvery: 1500 }, seed), 'relu').solved);
    expect(stalled).toEqual(range(Number(m![1]), Number(m![2])));
    // "With the chapter's slope 0.01 leaky ReLU stalls too": stuck beside ReLU, one output for every point.
    expect(row).toContain('`--leaky-slope 0.01`');
    expect(verdictOfVariant(recordsOf('leaky-relu', { leakySlope: 0.01 }), 'leaky relu').hint).toMatch(ONE_OUTPUT);
  }, 120_000);

  it('interpolation: the losses at α = 0 and 1, the rise and where, and how many of seeds 1–50 fall strictly', () => {
    const row = rowOf('interpolation');
    const values = extraValues(finalOf('interpolation')) as Record<string, number | boolean>;
    expect(row).toContain(`it falls from ${(values.lossAtAlpha0 as number).toFixed(2)} to ${powerOfTen(values.lossAtAlpha1 as number, 1)}`);
    expect(row).toContain(`first rises by ${(values.largestIncrease as number).toFixed(3)} near α = ${values.largestIncreaseAt}`);
    const m = /only (\d+) of seeds (\d+)–(\d+) give a strictly falling path/.exec(row);
    expect(m).not.toBeNull();
    const falling = range(Number(m![2]), Number(m![3])).filter((seed) => extraValues(finalOf('interpolation', {}, seed)).monotonic === true);
    expect(falling.length).toBe(Number(m![1]));
  }, 120_000);
});
