/**
 * How the CLI and the HTML report write numbers, vectors, prediction rows and the command that
 * repeats a run. Pure functions, so the terminal table and the page always agree.
 */
import { kebab } from '../experiments/index.js';
import type { Cell, Config, Experiment, FinalItem, Prediction } from '../experiments/index.js';

/**
 * How a value that is not a finite number reads: '∞', '−∞' or 'NaN'. Records spell such values
 * as the strings 'Infinity', '-Infinity' and 'NaN' where JSON must carry them (JSON has no such
 * numbers: `--json` and records.json keep these strings, which Number() and Python's float()
 * read back); the CLI, the page and the report show both forms alike.
 */
export function formatNonFinite(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
}

/** Whether a table cell is a number that is not finite, spelled out for JSON ('Infinity', '-Infinity', 'NaN'). */
const SPELLED_NON_FINITE = new Set(['Infinity', '-Infinity', 'NaN']);

/** An error value: 6 decimals in the usual range, exponent form when tiny or huge. */
export function formatError(value: number): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  if (value === 0) return '0';
  const size = Math.abs(value);
  return size >= 1e-4 && size < 1e6 ? value.toFixed(6) : value.toExponential(3);
}

/**
 * A prediction, input or table value: at most `digits` decimals, trailing zeros dropped (0.5,
 * not 0.5000); exponent form below 0.001 (where decimals would hide the digits) and from 10⁶.
 */
export function formatValue(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  const size = Math.abs(value);
  if (size !== 0 && (size < 1e-3 || size >= 1e6)) return value.toExponential(2);
  const text = value.toFixed(digits).replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/**
 * A vector as `[a, b, c]`, a one-element vector as its value, an empty one as '—'. Values have
 * at most `digits` decimals, or exactly that many when `fixed` (so a column of outputs lines up).
 */
export function formatVector(values: readonly number[], digits = 4, fixed = false): string {
  const one = (v: number) => (fixed && Number.isFinite(v) ? v.toFixed(digits) : formatValue(v, digits));
  if (values.length === 0) return '—';
  if (values.length === 1) return one(values[0]);
  return `[${values.map(one).join(', ')}]`;
}

export interface PredictionTable {
  header: string[];
  rows: string[][];
  /** Set when a target or output is a vector: which end index 0 is. */
  note?: string;
}

/**
 * The final predictions as table cells: input, target, output, plus the predicted class
 * (the output's largest entry) when outputs are class vectors.
 */
export function predictionTable(predictions: readonly Prediction[]): PredictionTable {
  const vectors = predictions.some((p) => p.output.length > 1 || p.target.length > 1);
  const classes = predictions.some((p) => p.output.length > 1);
  const header = ['input', 'target', 'output', ...(classes ? ['class'] : [])];
  const rows = predictions.map((p) => [
    formatVector(p.input, 3),
    formatVector(p.target),
    formatVector(p.output, 4, true),
    ...(classes ? [String(argmax(p.output))] : []),
  ]);
  const table: PredictionTable = { header, rows };
  if (vectors) table.note = 'vectors list index 0 first';
  return table;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * The line for a series' final error: `final train error (MSE): 0.0123`, or, for a series that
 * stopped before the last epoch (a run that diverged), `last clip error (MSE), at epoch 2: …`.
 */
export function finalErrorText(label: string, errorLabel: string | undefined, stoppedAt?: number): string {
  const what = errorLabel === undefined ? '' : ` (${errorLabel})`;
  return stoppedAt === undefined ? `final ${label} error${what}` : `last ${label} error${what}, at epoch ${stoppedAt} (the series stopped there)`;
}

/** `noDropoutPredictions` → 'no dropout predictions'. */
export function words(name: string): string {
  return kebab(name).replace(/-/g, ' ');
}

type Scalar = Cell;

/**
 * A scalar as table or list text: numbers with up to 6 decimals, a non-finite number (or its
 * JSON spelling 'Infinity', '-Infinity', 'NaN') as ∞, −∞, NaN, other strings as they are.
 */
export function formatScalar(value: Scalar): string {
  if (typeof value === 'string' && SPELLED_NON_FINITE.has(value)) return formatNonFinite(Number(value));
  return typeof value === 'number' ? formatValue(value, 6) : String(value);
}

/** One entry of a final record's `extra`, ready to print: a labelled value, or a table. */
export type ExtraItem =
  | { kind: 'value'; label: string; text: string }
  | { kind: 'table'; title: string; header: string[]; rows: string[][]; note?: string };

/** A final record's typed items as labelled values and tables, each by its kind. */
export function extraItems(extra: Readonly<Record<string, FinalItem>> = {}): ExtraItem[] {
  return Object.entries(extra).map(([key, item]): ExtraItem => {
    const label = item.label ?? words(key);
    switch (item.kind) {
      case 'number':
        return { kind: 'value', label, text: item.value === null ? '—' : formatScalar(item.value) + (item.unit === undefined ? '' : ` ${item.unit}`) };
      case 'text':
        return { kind: 'value', label, text: item.text };
      case 'verdict':
        return { kind: 'value', label, text: item.holds ? 'yes' : 'no' };
      case 'predictions':
        return { kind: 'table', title: label, ...predictionTable(item.predictions) };
      case 'table': {
        const keys = [...new Set(item.rows.flatMap((row) => Object.keys(row)))];
        const rows = item.rows.map((row) => keys.map((k) => (Object.hasOwn(row, k) ? formatScalar(row[k]) : '')));
        return { kind: 'table', title: label, header: keys.map((k) => item.columns?.[k] ?? words(k)), rows, ...(item.note === undefined ? {} : { note: item.note }) };
      }
    }
  });
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that repeats a run, every option spelled out so that changed defaults do not
 * change what it does: `nnlab run two-layer --dataset xor … --seed 1`.
 */
export function commandLine(experiment: Pick<Experiment, 'name' | 'schema'>, config: Config, seed: number): string {
  const words = ['nnlab', 'run', experiment.name];
  for (const name of Object.keys(experiment.schema)) {
    if (config[name] !== undefined) words.push(`--${kebab(name)}`, shellWord(String(config[name])));
  }
  words.push('--seed', String(seed));
  return words.join(' ');
}
