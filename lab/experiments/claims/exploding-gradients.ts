/**
 * What an exploding-gradients run showed, filled from its final record (the first gradient's
 * norm, where the unclipped loss overflowed, how each clipped run ended and whether it kept the
 * gradient's direction), and the explanation's sentence over seeds, computed from their finals
 * (test/lab/claims/exploding-gradients.test.ts re-runs the seeds and compares). Runs anywhere.
 */
import type { Cell, FinalRecord } from '../types.js';
import { extraValues } from '../items.js';
import { claimNumber } from './vanishing-gradients.js';

type Final = Pick<FinalRecord, 'extra'>;

/** A cosine this close to 1 is the same direction up to rounding (clipping by norm only scales). */
const SAME_DIRECTION = 1 - 1e-9;

/** The final record's row of the run labelled `run` ('no clipping', 'clip by norm', 'clip by value'). */
export function runRow(final: Final, run: string): Record<string, Cell> {
  const rows = extraValues(final).runs;
  const row = Array.isArray(rows) ? (rows as Record<string, Cell>[]).find((r) => r.run === run) : undefined;
  if (row === undefined) throw new Error(`exploding-gradients claims: the final record's runs table has no '${run}' row`);
  return row;
}

/** The epoch the run's loss stopped being finite, or undefined when it never did. */
export function divergedAt(final: Final, run: string): number | undefined {
  const at = runRow(final, run).divergedAtEpoch;
  return typeof at === 'number' ? at : undefined;
}

/** Whether the run kept the raw gradient's direction at every step (smallest cosine 1 up to rounding). */
export function keptDirection(final: Final, run: string): boolean {
  const cosine = runRow(final, run).smallestCosine;
  return typeof cosine === 'number' && cosine > SAME_DIRECTION;
}

/** A gradient norm in words: 3 significant digits, and large ones to 2 in full (16000, not 1.6e+4). */
export const normText = (norm: number): string => (norm >= 1000 ? String(Number(norm.toPrecision(2))) : claimNumber(norm));

export function initialNorm(final: Final): number {
  const norm = extraValues(final).initialGradientNorm;
  if (typeof norm !== 'number') throw new Error('exploding-gradients claims: the final record has no initialGradientNorm');
  return norm;
}

/** How one run ended, e.g. "its loss became NaN at epoch 3" or "it ended at MSE 0.0725 and kept the gradient's direction". */
export function ending(final: Final, run: string): string {
  const row = runRow(final, run);
  const at = divergedAt(final, run);
  if (at !== undefined) return `its loss became ${row.firstNonFiniteLoss} at epoch ${at}`;
  const loss = `it ended at MSE ${claimNumber(Number(row.finalLoss))}`;
  if (typeof row.smallestCosine !== 'number') return loss;
  return keptDirection(final, run)
    ? `${loss} and kept the gradient’s direction at every step (smallest cosine 1)`
    : `${loss} but turned the gradient (smallest cosine ${claimNumber(row.smallestCosine)})`;
}

/** The run's findings as one paragraph. */
export function explodingGradientsFindings(config: { clipNorm: number }, final: Final): string {
  return (
    `In this run the first gradient’s norm was ${normText(initialNorm(final))} (the clipping threshold is ${config.clipNorm}). ` +
    `Without clipping ${ending(final, 'no clipping')}; clipped by global norm ${ending(final, 'clip by norm')}; ` +
    `clipped by value ${ending(final, 'clip by value')}.`
  );
}

/** The explanation's sentence over seeds `from` … from + n − 1 (one final per seed, defaults). */
export function explodingSeedSentence(from: number, finals: readonly Final[], clipNorm: number): string {
  const n = finals.length;
  const norms = finals.map(initialNorm);
  const epochs = finals.map((f) => divergedAt(f, 'no clipping')).filter((e): e is number => e !== undefined);
  const where = epochs.length === 0 ? 'on none' : `at epoch ${Math.min(...epochs)} to ${Math.max(...epochs)} on ${epochs.length === n ? 'each' : `${epochs.length} of them`}`;
  return (
    `Over seeds ${from}–${from + n - 1} the first gradient’s norm was ${normText(Math.min(...norms))} to ${normText(Math.max(...norms))} ` +
    `(the clipping threshold is ${clipNorm}) and the unclipped loss overflowed ${where}.`
  );
}
