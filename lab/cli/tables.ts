/** The run's tables as aligned text: the epoch / train-error table, row by row, and the predictions. */
import { formatError, predictionTable } from '../report/format.js';
import type { Prediction } from '../experiments/index.js';

/** Cells padded to their column's width; numeric-looking columns align right. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((row) => /^[-+\d.e]+$|^(—|null|NaN|-?Infinity)?$/.test(row[c])));
  const line = (cells: readonly string[]) =>
    indent + cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('   ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

/** A titled table (the note, if any, in parentheses after the title). */
export function titledTable(table: { title: string; header: readonly string[]; rows: readonly (readonly string[])[]; note?: string }): string[] {
  const heading = table.note === undefined ? `${table.title}:` : `${table.title} (${table.note}):`;
  return [heading, ...textTable(table.header, table.rows)];
}

/** The predictions table, with a note on vector order when there are vectors. */
export function predictionLines(title: string, predictions: readonly Prediction[]): string[] {
  return titledTable({ title, ...predictionTable(predictions) });
}

/**
 * The epoch table, printed while training runs, so its column widths are fixed up front:
 * `epoch` wide enough for the last epoch, one error column per series ('train error' first).
 */
export class EpochTable {
  private readonly epochWidth: number;
  private readonly errorWidths: number[];

  /** `label` names a series in the header (the main 'train' series may have a run-given name). */
  constructor(lastEpoch: number, private readonly series: readonly string[], private readonly label: (series: string) => string = (s) => s) {
    this.epochWidth = Math.max('epoch'.length, String(lastEpoch).length);
    this.errorWidths = series.map((name) => Math.max(this.heading(name).length, 12));
  }

  private heading(series: string): string {
    return `${this.label(series)} error`;
  }

  header(): string[] {
    const titles = this.series.map((name, i) => this.heading(name).padStart(this.errorWidths[i]));
    const rules = this.errorWidths.map((w) => '─'.repeat(w));
    return [
      `  ${'epoch'.padStart(this.epochWidth)}   ${titles.join('   ')}`,
      `  ${'─'.repeat(this.epochWidth)}   ${rules.join('   ')}`,
    ];
  }

  /** One row: the errors by series (a series without a value this epoch shows blank). */
  row(epoch: number, errors: ReadonlyMap<string, number>): string {
    const cells = this.series.map((name, i) => {
      const error = errors.get(name);
      return (error === undefined ? '' : formatError(error)).padStart(this.errorWidths[i]);
    });
    return `  ${String(epoch).padStart(this.epochWidth)}   ${cells.join('   ')}`;
  }
}
