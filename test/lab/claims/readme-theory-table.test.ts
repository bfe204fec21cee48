/**
 * Every number and verdict in the README's extra-theory table is what the experiment's own run
 * gives (defaults, seed 1), and every "of seeds" count is what those seeds give: each row's
 * sentences are rebuilt here from the records and must appear in the README verbatim. A kernel or
 * default change that makes one false fails this test. (vanishing-gradients' row is checked in
 * vanishing-gradients.test.ts, with the findings the CLI and page show.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import type { FinalRecord } from '../../../lab/experiments/index.js';
import { extraValues } from '../../../lab/experiments/items.js';
import type { Cell } from '../../../lab/experiments/types.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

function rowOf(name: string): string {
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  if (row === undefined) throw new Error(`README: no extra-theory row for ${name}`);
  return row;
}

function finalOf(name: string, given: Record<string, unknown> = {}, seed = 1): FinalRecord {
  const experiment = findExperiment(name);
  const final = [...experiment.run(resolveConfig(experiment, given), seed)].find((r) => r.kind === 'final');
  if (final === undefined || final.kind !== 'final') throw new Error(`${name}: no final record`);
  return final;
}

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

  it('exploding-gradients: the epoch the unclipped loss overflows to NaN, and both clipped runs finish', () => {
    const final = finalOf('exploding-gradients');
    const unclipped = byVariantRun(final, 'no clipping');
    expect(rowOf('exploding-gradients')).toContain(`the loss overflows to ${unclipped.firstNonFiniteLoss} by epoch ${unclipped.divergedAtEpoch}`);
    for (const run of ['clip by norm', 'clip by value']) expect(Number.isFinite(byVariantRun(final, run).finalLoss)).toBe(true);
    // "keeping the gradient's direction" / "turns the direction": the smallest cosine between the raw and the clipped gradient.
    expect(byVariantRun(final, 'clip by norm').smallestCosine as number).toBeGreaterThan(1 - 1e-9);
    expect(byVariantRun(final, 'clip by value').smallestCosine as number).toBeLessThan(0.99);
  });

  it('skip-connections: the spread of layer norms, residual within 10×, plain about 5×10⁴; residual learns, plain does not', () => {
    const final = finalOf('skip-connections');
    const { plainSpreadAtStart, residualSpreadAtStart } = extraValues(final) as Record<string, number>;
    expect(residualSpreadAtStart).toBeLessThan(10);
    expect(rowOf('skip-connections')).toContain(`stay within 10× of each other (plain: ${powerOfTen(plainSpreadAtStart, 1)})`);
    const plain = byVariant(final, 'connections', 'plain');
    const residual = byVariant(final, 'connections', 'residual');
    // Learns: its error falls by more than half of where it started; the plain net's stays within 0.01 of it.
    expect(residual.finalError as number).toBeLessThan((residual.startError as number) / 2);
    expect((plain.startError as number) - (plain.finalError as number)).toBeLessThan(0.01);
  });

  it('leaky-relu: ReLU’s dead units and stalled error, the learned errors, and the seeds ReLU stalls on', () => {
    const row = rowOf('leaky-relu');
    const final = finalOf('leaky-relu');
    const { hiddenUnits } = extraValues(final) as Record<string, number>;
    const relu = byVariant(final, 'units', 'relu');
    const learned = ['leaky relu', 'prelu'].map((v) => byVariant(final, 'units', v).finalError as number);
    expect(row).toContain(`${relu.deadAtEnd} of ReLU's ${hiddenUnits} units are dead at every report`);
    expect(relu.offAtStart).toBe(relu.deadAtEnd);
    expect(row).toContain(`it stalls at ${(relu.finalError as number).toFixed(2)}`);
    expect(row).toContain(`learn (${powerOfTen(Math.max(...learned), 2)})`);
    // "ReLU stalls on all of seeds 1–20": its cross entropy ends above 0.5 (ln 2 ≈ 0.69 is guessing; the learning nets end near 0).
    const m = /ReLU stalls on all of seeds (\d+)–(\d+)/.exec(row);
    expect(m).not.toBeNull();
    const stalled = range(Number(m![1]), Number(m![2])).filter((seed) => (byVariant(finalOf('leaky-relu', {}, seed), 'units', 'relu').finalError as number) > 0.5);
    expect(stalled).toEqual(range(Number(m![1]), Number(m![2])));
    // "With the chapter's slope 0.01 leaky ReLU stalls too".
    expect(row).toContain('`--leaky-slope 0.01`');
    expect(byVariant(finalOf('leaky-relu', { leakySlope: 0.01 }), 'units', 'leaky relu').finalError as number).toBeGreaterThan(0.5);
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

function byVariantRun(final: FinalRecord, run: string): Record<string, Cell> {
  return rows(final, 'runs').find((r) => r.run === run)!;
}
