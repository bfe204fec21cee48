/**
 * Builders for a final record's typed items (`FinalItem`), and their plain values for programs
 * and tests that read one by key. Runs anywhere (no DOM, no Node).
 */
import type { Cell, FinalItem, FinalRecord, Prediction } from './types.js';

export const numberItem = (value: number | null, unit?: string): FinalItem => ({ kind: 'number', value, ...(unit === undefined ? {} : { unit }) });
export const textItem = (text: string): FinalItem => ({ kind: 'text', text });
export const verdictItem = (holds: boolean): FinalItem => ({ kind: 'verdict', holds });
export const tableItem = (rows: Record<string, Cell>[], note?: string, columns?: Readonly<Record<string, string>>): FinalItem => ({
  kind: 'table',
  rows,
  ...(note === undefined ? {} : { note }),
  ...(columns === undefined ? {} : { columns }),
});
export const predictionsItem = (predictions: Prediction[]): FinalItem => ({ kind: 'predictions', predictions });
/** The item under a label in words, for a key that does not read as one ('lossAtAlpha0' → 'loss at α = 0'). */
export const labelled = (label: string, item: FinalItem): FinalItem => ({ ...item, label });

/** An item's value: the number, text, verdict, rows or predictions it holds. */
export function itemValue(item: FinalItem): number | null | string | boolean | Record<string, Cell>[] | Prediction[] {
  switch (item.kind) {
    case 'number':
      return item.value;
    case 'text':
      return item.text;
    case 'verdict':
      return item.holds;
    case 'table':
      return item.rows;
    case 'predictions':
      return item.predictions;
  }
}

/** A final record's items as plain values by key: `extraValues(final).largestDifference` is a number. */
export function extraValues(final: Pick<FinalRecord, 'extra'>): Record<string, ReturnType<typeof itemValue>> {
  return Object.fromEntries(Object.entries(final.extra ?? {}).map(([key, item]) => [key, itemValue(item)]));
}
