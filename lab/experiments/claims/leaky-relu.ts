/**
 * leaky-relu's "how often" sentences, computed from runs over seeds (the explanation states them
 * as measured; test/lab/claims/leaky-relu.test.ts re-runs the seeds and compares the sentence).
 * Runs anywhere.
 */
import type { Cell, FinalRecord } from '../types.js';
import { extraValues } from '../items.js';
import { claimNumber } from './vanishing-gradients.js';

/** The finals of one seed range, one run per seed, with the options they ran with. */
export interface SeedRuns {
  from: number;
  finals: readonly Pick<FinalRecord, 'extra'>[];
}

function unitsRow(final: Pick<FinalRecord, 'extra'>, variant: string): Record<string, Cell> {
  const rows = extraValues(final).units;
  const row = Array.isArray(rows) ? (rows as Record<string, Cell>[]).find((r) => r.variant === variant) : undefined;
  if (row === undefined) throw new Error(`leaky-relu claims: the final record's units table has no ${variant} row`);
  return row;
}

/** The epoch leaky ReLU's error stopped being finite (its stoppedAt reads "epoch 776 (error NaN)"), or undefined ("—"). */
function stoppedAt(final: Pick<FinalRecord, 'extra'>): number | undefined {
  const match = /^epoch (\d+)/.exec(String(unitsRow(final, 'leaky relu').stoppedAt));
  return match === null ? undefined : Number(match[1]);
}

const errorOf = (final: Pick<FinalRecord, 'extra'>, variant: string): number => {
  const error = unitsRow(final, variant).finalError;
  return typeof error === 'number' ? error : Number.NaN;
};
const fixed2 = (value: number): string => value.toFixed(2);
const spread = (values: readonly number[], format: (v: number) => string = fixed2): string => {
  const low = format(Math.min(...values));
  const high = format(Math.max(...values));
  return low === high ? low : `${low}–${high}`;
};
const all = (k: number, n: number): string => (k === n ? `all ${n}` : `${k} of the ${n}`);

/** The sentence over seeds: defaults, the chapter's slope 0.01 and biases starting at 0. */
export function leakyReluSeedSentence(defaults: SeedRuns, slope001: SeedRuns, biasInit0: SeedRuns): string {
  const n = defaults.finals.length;
  const to = defaults.from + n - 1;
  const relu = defaults.finals.map((f) => errorOf(f, 'relu'));
  const deadAtEnd = defaults.finals.map((f) => Number(unitsRow(f, 'relu').deadAtEnd));
  const units = Number(extraValues(defaults.finals[0]).hiddenUnits);
  const prelu = defaults.finals.map((f) => errorOf(f, 'prelu'));
  const preluLow = prelu.filter((e) => e < 0.05);
  const slopeChange = defaults.finals.map((f) => Number(extraValues(f).preluLargestSlopeChange));
  const leaky = defaults.finals.map((f) => errorOf(f, 'leaky relu'));
  const leakyLow = leaky.filter((e) => e < 0.1);
  const leakyRest = leaky.filter((e, i) => e >= 0.1 && stoppedAt(defaults.finals[i]) === undefined);
  const stopped = defaults.finals.flatMap((f, i) => {
    const at = stoppedAt(f);
    return at === undefined ? [] : [{ seed: defaults.from + i, at }];
  });
  const chapterSlope = slope001.finals.map((f) => errorOf(f, 'leaky relu'));
  const chapterStalls = chapterSlope.filter((e) => e > 0.5);
  const reluLearnsFromZero = biasInit0.finals.map((f) => errorOf(f, 'relu')).filter((e) => e < 0.1);
  const stoppedText = stopped.map((s) => `on seed ${s.seed} its steps overshot until the error overflowed at epoch ${s.at}, where its curve stops`).join('; ');
  return (
    `Measured on seeds ${defaults.from}–${to} with these defaults: ReLU had ${spread(deadAtEnd, String)} of its ${units} ` +
    `units dead at the end and ended at error ${spread(relu)} on all ${n}; PReLU ended below 0.05 on ${preluLow.length}` +
    (preluLow.length < n ? ` and at ${spread(prelu.filter((e) => e >= 0.05))} on the other ${n - preluLow.length}` : '') +
    `, its slopes moving by ${spread(slopeChange, (v) => v.toFixed(1))}; leaky ReLU with slope 0.3 ended below 0.1 on ${leakyLow.length}` +
    (leakyRest.length > 0 ? ` and at ${spread(leakyRest)} on ${leakyRest.length}` : '') +
    (stopped.length > 0 ? `, and ${stoppedText}` : '') +
    `. With the chapter’s slope of 0.01 (--leaky-slope 0.01) leaky ReLU stalls beside ReLU (error above 0.5) on ` +
    `${all(chapterStalls.length, slope001.finals.length)} seeds (its lowest error ${fixed2(Math.min(...chapterSlope))}): 1% of the gradient through ` +
    `several switched-off layers is next to nothing. With --bias-init 0 fewer units start dead and ReLU learns the ` +
    `circle (error below 0.1) on ${reluLearnsFromZero.length} of the ${biasInit0.finals.length} seeds.`
  );
}

/**
 * What this run showed, from its final record: each net's final error (ReLU's dead units with it)
 * and PReLU's learned slopes, how many ended below 0 (V-shaped units).
 */
const signed = (value: number): string => value.toFixed(2).replace('-', '−');

export function leakyReluFindings(final: Pick<FinalRecord, 'extra'>): string {
  const values = extraValues(final);
  const units = Number(values.hiddenUnits);
  const range = Array.isArray(values.preluSlopeRange) ? (values.preluSlopeRange as Record<string, Cell>[])[0] : undefined;
  if (range === undefined || typeof range.min !== 'number' || typeof range.max !== 'number') {
    throw new Error('leaky-relu findings: the final record has no preluSlopeRange row with min and max');
  }
  const negative = Number(values.preluNegativeSlopes);
  const error = (variant: string): string => claimNumber(errorOf(final, variant));
  return (
    `In this run ReLU ended at error ${error('relu')} with ${unitsRow(final, 'relu').deadAtEnd} of its ${units} units dead, ` +
    `leaky ReLU at ${error('leaky relu')} and PReLU at ${error('prelu')}; PReLU’s ${units} slopes ended between ` +
    `${signed(range.min)} and ${signed(range.max)}, ${negative === 0 ? 'none' : `${negative}`} of them below 0 (V-shaped units).`
  );
}
