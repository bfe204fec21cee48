/** The run's tables as aligned text: the epoch / train-error table, row by row, and the predictions. */
import { formatError, predictionTable } from '../report/format.js';
import type { Prediction } from '../experiments/index.js';

/** The columns tables may fill: the terminal's width, or no limit when stdout is a pipe or a file. */
export function terminalColumns(): number {
  return process.stdout.isTTY === true && (process.stdout.columns ?? 0) > 0 ? process.stdout.columns : Infinity;
}

/**
 * Cells padded to their column's width; numeric-looking columns align right. A table wider than
 * `columns` is cut into several narrower tables one under another, each repeating the first
 * column (the row's name), so no line wraps in the terminal.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  ', columns = terminalColumns()): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((row) => /^[-+\d.e]+$|^(—|null|NaN|-?Infinity)?$/.test(row[c])));
  const render = (picked: readonly number[]) => {
    const line = (cells: readonly string[]) =>
      indent + picked.map((c) => (numeric[c] ? cells[c].padStart(widths[c]) : cells[c].padEnd(widths[c]))).join('   ').trimEnd();
    return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
  };
  const all = header.map((_, c) => c);
  const widthOf = (picked: readonly number[]) => indent.length + picked.reduce((sum, c) => sum + widths[c], 0) + 3 * (picked.length - 1);
  if (widthOf(all) <= columns || header.length <= 2) return render(all);
  // Greedy groups of the other columns beside the first; a column too wide even alone gets its own group.
  const groups: number[][] = [];
  for (let c = 1; c < header.length; c++) {
    const last = groups[groups.length - 1];
    if (last !== undefined && widthOf([0, ...last, c]) <= columns) last.push(c);
    else groups.push([c]);
  }
  return groups.flatMap((group, i) => [...(i === 0 ? [] : ['']), ...render([0, ...group])]);
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
