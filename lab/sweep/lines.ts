/**
 * Reading a sweep's results file: every line is checked, and a damaged one is refused with its
 * line number and what is wrong, so a resumed sweep never counts a run it did not do. Rows carry
 * a check (8 hex digits of a SHA-256 of the row), so a changed digit is found too. Pure but for
 * node:crypto (Node only, as the file itself).
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../experiments/index.js';
import type { SweepGrid } from './plan.js';
import type { SweepRow } from './run.js';

/** The first line: what the rows are results of. */
export interface SweepHeader {
  nnlabSweep: 1;
  experiment: string;
  config: Record<string, number | string | boolean>;
  grid: SweepGrid | null;
}

/** A row as written: its fields, then `check` (rows of nnlab before the check are read without one). */
export function rowLine(row: SweepRow): string {
  return JSON.stringify({ ...row, check: checkOf(JSON.stringify(row)) }) + '\n';
}

function checkOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

export interface ReadResults {
  /** The header, or undefined when the file holds none yet (empty, or a header torn while written). */
  header: SweepHeader | undefined;
  rows: SweepRow[];
  /** Bytes to keep: up to the last whole line (a torn last line is cut off). */
  keep: number;
}

/**
 * readResults(path, bytes, headerText) reads a results file; `headerText` is the line the
 * sweep would write (without newline), to tell a header torn while written from a foreign file.
 * Blank lines are skipped; a last line without its newline is torn (a killed writer) and dropped.
 */
export function readResults(path: string, bytes: Buffer, headerText: string): ReadResults {
  const text = bytes.toString('utf8');
  const fail = (why: string): never => {
    throw new ConfigError(`sweep: ${path} ${why}; nnlab leaves it as it is: fix that line, or give another --file`);
  };
  const end = text.lastIndexOf('\n') + 1;
  const torn = text.slice(end);
  if (looksJoined(torn)) fail(`line ${text.slice(0, end).split('\n').length} holds several JSON values: were the file's newlines stripped?`);
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0) {
    if (text.trim() === '' && text !== '') fail('line 1 is blank, as is every line: it has no nnlab sweep header');
    if (text !== '' && !headerText.startsWith(text)) fail(`is not an nnlab sweep results file (line 1 is not a sweep header: ${excerpt(text)})`);
    return { header: undefined, rows: [], keep: 0 };
  }
  const header = headerOf(parse(lines[first], first + 1, fail, `is not an nnlab sweep results file (line ${first + 1} is not a sweep header`), first + 1, fail);
  const rows: SweepRow[] = [];
  lines.forEach((line, i) => {
    if (i <= first || line.trim() === '') return;
    rows.push(rowOf(parse(line, i + 1, fail), header.grid, i + 1, fail));
  });
  // In bytes of the file as it is (a damaged byte decodes to a character of another length).
  return { header, rows, keep: bytes.lastIndexOf(0x0a) + 1 };
}

/** Two JSON values run together: `}{`, as when the newlines between lines were removed. */
function looksJoined(line: string): boolean {
  return /\}\s*\{/.test(line);
}

function excerpt(line: string): string {
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}

type Fail = (why: string) => never;

function parse(line: string, number: number, fail: Fail, notJson?: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    if (looksJoined(line)) fail(`line ${number} holds several JSON values: were the file's newlines stripped?`);
    return fail(notJson !== undefined ? `${notJson}: ${excerpt(line)})` : `line ${number} is not JSON: ${excerpt(line)}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function headerOf(value: unknown, number: number, fail: Fail): SweepHeader {
  if (!isRecord(value) || value.nnlabSweep !== 1) {
    fail(`is not an nnlab sweep results file (line ${number} is ${describeValue(value)}, not a sweep header {"nnlabSweep": 1, …})`);
  }
  const header = value as Record<string, unknown>;
  const config = header.config;
  const grid = header.grid;
  const scalars = (o: unknown) => isRecord(o) && Object.values(o).every((v) => ['number', 'string', 'boolean'].includes(typeof v));
  const gridOk = grid === null || (isRecord(grid) && typeof grid.option === 'string' && Array.isArray(grid.values) && grid.values.every((v) => ['number', 'string', 'boolean'].includes(typeof v)));
  if (typeof header.experiment !== 'string' || !scalars(config) || !gridOk) {
    fail(`line ${number} is a damaged sweep header: it needs "experiment" (a name), "config" (option values) and "grid" (null or {"option", "values"})`);
  }
  return header as unknown as SweepHeader;
}

const ROW_FIELDS = new Set(['seed', 'value', 'finalError', 'solved', 'diverged', 'check']);

/** The row on line `number`, checked against the header's grid; a broken rule is refused. */
function rowOf(value: unknown, grid: SweepGrid | null, number: number, fail: Fail): SweepRow {
  const at = `line ${number}`;
  if (!isRecord(value)) fail(`${at} is ${describeValue(value)}, not a row {"seed", "finalError", "solved", …}`);
  const row = value as Record<string, unknown>;
  if (row.nnlabSweep !== undefined) fail(`${at} is a second header: only line 1 may be one`);
  const unknown = Object.keys(row).find((key) => !ROW_FIELDS.has(key));
  if (unknown !== undefined) fail(`${at} has an unknown field ${JSON.stringify(unknown)} (a row has seed, value, finalError, solved, diverged, check)`);
  if (!Number.isSafeInteger(row.seed)) fail(`${at}: "seed" must be an integer, got ${describeValue(row.seed)}`);
  if (grid === null && Object.hasOwn(row, 'value')) fail(`${at} has a grid "value", but the sweep has no grid`);
  if (grid !== null && !grid.values.includes(row.value as never)) {
    fail(`${at}: "value" must be one of the grid's values ${grid.values.join(', ')} (--grid ${grid.option}), got ${describeValue(row.value)}`);
  }
  if (!(row.finalError === null || (typeof row.finalError === 'number' && Number.isFinite(row.finalError)))) {
    fail(`${at}: "finalError" must be a number or null, got ${describeValue(row.finalError)}`);
  }
  if (typeof row.solved !== 'boolean') fail(`${at}: "solved" must be true or false, got ${describeValue(row.solved)}`);
  if (Object.hasOwn(row, 'diverged') && (typeof row.diverged !== 'string' || row.finalError !== null || row.solved !== false)) {
    fail(`${at}: a "diverged" row has the reason as text, "finalError": null and "solved": false`);
  }
  const { check, ...fields } = row;
  if (check !== undefined && check !== checkOf(JSON.stringify(fields))) fail(`${at} was changed after nnlab wrote it (its "check" does not match)`);
  return fields as unknown as SweepRow;
}
