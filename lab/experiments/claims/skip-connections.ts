/**
 * What a skip-connections run showed, filled from its final record: how far the gradient norms
 * of the layers a skip connection goes around spread at the start, where each net's error
 * started and ended, and how far training moved the highway gates. Runs anywhere.
 */
import type { Cell, FinalRecord } from '../types.js';
import { extraValues } from '../items.js';
import { claimNumber } from './vanishing-gradients.js';

type Final = Pick<FinalRecord, 'extra'>;

interface ConnectionRow {
  variant: string;
  startError: number;
  finalError: number;
  spreadAtStart: number;
}

/** The rows of the final record's `connections` table, checked to hold what is read. */
export function connectionRows(final: Final): ConnectionRow[] {
  const rows = extraValues(final).connections;
  if (!Array.isArray(rows)) throw new Error('skip-connections claims: the final record has no connections table');
  return (rows as Record<string, Cell>[]).map((row) => {
    const { variant, startError, finalError, spreadAtStart } = row;
    if (typeof variant !== 'string' || typeof startError !== 'number' || typeof finalError !== 'number' || typeof spreadAtStart !== 'number') {
      throw new Error(`skip-connections claims: a connections row lacks variant, startError, finalError or spreadAtStart: ${JSON.stringify(row)}`);
    }
    return { variant, startError, finalError, spreadAtStart };
  });
}

interface GateRow {
  layer: number;
  atStart: number;
  atEnd: number;
}

/** The rows of the final record's `highwayGates` table (each highway layer's mean gate at the start and the end). */
export function gateRows(final: Final): GateRow[] {
  const rows = extraValues(final).highwayGates;
  if (!Array.isArray(rows)) throw new Error('skip-connections claims: the final record has no highwayGates table');
  return (rows as Record<string, Cell>[]).map((row) => {
    const { layer, atStart, atEnd } = row;
    if (typeof layer !== 'number' || typeof atStart !== 'number' || typeof atEnd !== 'number') {
      throw new Error(`skip-connections claims: a highwayGates row lacks layer, atStart or atEnd: ${JSON.stringify(row)}`);
    }
    return { layer, atStart, atEnd };
  });
}

/** A gate value in words: 2 decimals, as the explanation writes sigmoid(−1) ≈ 0.27. */
const gateText = (value: number): string => value.toFixed(2);

/**
 * What training did to the highway gates: the range of the layers' mean gates before and after,
 * the largest move, and which layers ended past 0.5 (mostly transforming rather than carrying).
 */
export function gateSentence(config: { epochs: number }, final: Final): string {
  const rows = gateRows(final);
  const range = (values: number[]) => `${gateText(Math.min(...values))}–${gateText(Math.max(...values))}`;
  const moved = rows.reduce((most, r) => (Math.abs(r.atEnd - r.atStart) > Math.abs(most.atEnd - most.atStart) ? r : most));
  const opened = rows.filter((r) => r.atEnd > 0.5).map((r) => r.layer);
  const layers = `layers ${rows[0].layer}–${rows.at(-1)!.layer}`;
  return (
    `The highway net's mean gates (${layers}) went from ${range(rows.map((r) => r.atStart))} at the start to ` +
    `${range(rows.map((r) => r.atEnd))} after ${config.epochs} epochs; the largest move was ${gateText(Math.abs(moved.atEnd - moved.atStart))} ` +
    `(layer ${moved.layer}, ${moved.atEnd > moved.atStart ? 'opening' : 'closing'}), and ` +
    (opened.length === 0 ? 'none ended above 0.5: every highway layer still mostly carries x.' : `${list(opened.map(String))} ended above 0.5, mostly transforming.`)
  );
}

/** A spread in words: 3 significant digits, large ones to 2 in full (53000, not 5.3e+4). */
export const spreadText = (spread: number): string => (spread >= 1000 ? String(Number(spread.toPrecision(2))) : claimNumber(spread));

const list = (parts: readonly string[]): string => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

/** The run's findings as one paragraph. */
export function skipConnectionsFindings(config: { depth: number; epochs: number }, final: Final): string {
  const rows = connectionRows(final);
  const spreads = list(rows.map((r) => `${spreadText(r.spreadAtStart)} in the ${r.variant} net`));
  // spreadAtStart: the largest of those layers' norms over the smallest.
  const errors = list(rows.map((r) => `from ${claimNumber(r.startError)} to ${claimNumber(r.finalError)} in the ${r.variant} net`));
  return (
    `In this run, at the start, the gradient norms of layers 2–${config.depth - 1} (the ones a skip connection goes around) ` +
    `spread over a factor of ${spreads} (largest over smallest). Over ${config.epochs} epochs the cross entropy went ${errors} ` +
    `(ln 2 ≈ 0.693 is what guessing 0.5 everywhere gives). ${gateSentence(config, final)}`
  );
}

/** The explanation's sentence over seeds `from` … from + n − 1 (one final per seed, defaults; epochs do not matter). */
export function skipSeedSentence(from: number, finals: readonly Final[]): string {
  const spreads = (variant: string) =>
    finals.map((f) => {
      const row = connectionRows(f).find((r) => r.variant === variant);
      if (row === undefined) throw new Error(`skip-connections claims: no ${variant} row in the connections table`);
      return row.spreadAtStart;
    });
  const range = (values: number[]) => `${spreadText(Math.min(...values))} to ${spreadText(Math.max(...values))}`;
  return (
    `Over seeds ${from}–${from + finals.length - 1} those norms spread at the start over a factor of ${range(spreads('residual'))} ` +
    `in the residual net and ${range(spreads('plain'))} in the plain one.`
  );
}
