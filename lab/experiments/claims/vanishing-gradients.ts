/**
 * What a vanishing-gradients run showed, in words filled from its own final record: the prose
 * explanation says why it happens, these sentences say what this run measured (so a change of
 * kernels or defaults changes the sentence instead of leaving it false). Runs anywhere.
 */
import type { Cell, FinalRecord } from '../types.js';
import { extraValues } from '../items.js';

/** How a ratio or an error is written in these sentences (and in the README row a test compares). */
export function claimNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 0.01 && Math.abs(value) < 1000 ? value.toPrecision(3).replace(/\.?0+$/, '') : value.toExponential(1);
}

interface UnitRow {
  variant: string;
  finalError: number;
  lastOverFirstAtStart: number;
}

/** The per-unit rows of the final record's `gradientsByUnit` table, checked to hold what is read. */
export function unitRows(final: Pick<FinalRecord, 'extra'>): UnitRow[] {
  const rows = extraValues(final).gradientsByUnit;
  if (!Array.isArray(rows)) throw new Error('vanishing-gradients findings: the final record has no gradientsByUnit table');
  return (rows as Record<string, Cell>[]).map((row) => {
    const { variant, finalError, lastOverFirstAtStart } = row;
    if (typeof variant !== 'string' || typeof finalError !== 'number' || typeof lastOverFirstAtStart !== 'number') {
      throw new Error(`vanishing-gradients findings: a gradientsByUnit row lacks variant, finalError or lastOverFirstAtStart: ${JSON.stringify(row)}`);
    }
    return { variant, finalError, lastOverFirstAtStart };
  });
}

/** The measured numbers the sentences state, by name (the README test compares these). */
export function vanishingGradientsNumbers(final: Pick<FinalRecord, 'extra'>) {
  const rows = unitRows(final);
  // first/last: the share of the last layer's gradient norm that reaches layer 1 at initialisation.
  const firstOverLast = (row: UnitRow): number => 1 / row.lastOverFirstAtStart;
  const sigmoid = rows.find((r) => r.variant === 'sigmoid');
  if (sigmoid === undefined) throw new Error('vanishing-gradients findings: no sigmoid row in gradientsByUnit');
  const others = rows.filter((r) => r !== sigmoid).map(firstOverLast);
  return {
    sigmoidFirstOverLast: claimNumber(firstOverLast(sigmoid)),
    othersLowest: claimNumber(Math.min(...others)),
    othersHighest: claimNumber(Math.max(...others)),
    finalErrors: rows.map((r) => `${r.variant} ${claimNumber(r.finalError)}`).join(', '),
  };
}

/** The run's findings as one paragraph, e.g. "At the start sigmoid's first layer gets 1.5e-6 of …". */
export function vanishingGradientsFindings(config: { epochs: number }, final: Pick<FinalRecord, 'extra'>): string {
  const n = vanishingGradientsNumbers(final);
  return (
    `In this run, at the start sigmoid’s first layer gets ${n.sigmoidFirstOverLast} of its last layer’s gradient; ` +
    `the tanh, ReLU and leaky ReLU nets’ first layers get between ${n.othersLowest} and ${n.othersHighest} times theirs. ` +
    `After ${config.epochs} epochs the cross entropy is ${n.finalErrors} (ln 2 ≈ 0.693 is what guessing 0.5 everywhere gives).`
  );
}
