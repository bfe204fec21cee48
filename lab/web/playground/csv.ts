/**
 * Points from CSV text: one point per line, `x0,x1,label` and optionally a fourth column
 * `train`/`test` (or 0/1 for test). A header line naming the columns is optional; commas,
 * semicolons, tabs or spaces separate fields; blank lines and lines starting with # are skipped.
 * Coordinates must lie in the unit square, labels be whole numbers 0..K−1 (−1/1 labels are read
 * as 0/1). Without a split column, the test share is chosen with the seed.
 *
 *     parseCsv('x0,x1,label\n0.1,0.2,0\n0.9,0.8,1', { seed: 1, testFraction: 0 })
 *       → { points: [{ x0: 0.1, x1: 0.2, label: 0, test: false }, …], classes: 2, notes: [] }
 */
import { Generator } from 'nnlab';
import { MAX_CLASSES, splitPoints } from './datasets.js';
import type { Point } from './datasets.js';
import { MAX_POINTS, quantise } from './points-codec.js';

export interface CsvOptions {
  seed: number;
  testFraction: number;
}

export type CsvResult = { points: Point[]; classes: number; notes: string[] } | { error: string };

interface Row {
  line: number;
  x0: number;
  x1: number;
  label: number;
  test: boolean | null;
}

const HEADER_NAMES = {
  x0: ['x0', 'x'],
  x1: ['x1', 'y'],
  label: ['label', 'class', 'target'],
  split: ['split', 'set', 'test', 'subset'],
};

export function parseCsv(text: string, options: CsvOptions): CsvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const content = lines.map((raw, i) => ({ raw: raw.trim(), line: i + 1 })).filter((l) => l.raw !== '' && !l.raw.startsWith('#'));
  if (content.length === 0) return { error: 'the CSV is empty: expected lines of x0,x1,label' };

  let columns = { x0: 0, x1: 1, label: 2, split: 3 as number | null };
  let body = content;
  const first = splitFields(content[0].raw);
  if (first.every((f) => !isNumeric(f))) {
    const header = readHeader(first);
    if (typeof header === 'string') return { error: `line ${content[0].line}: ${header}` };
    columns = header;
    body = content.slice(1);
  }
  if (body.length === 0) return { error: 'the CSV has a header but no data lines' };
  if (body.length > MAX_POINTS) {
    return { error: `the CSV has ${body.length} points; the playground keeps at most ${MAX_POINTS}, so that a link can hold them all` };
  }

  const problems: string[] = [];
  const rows: Row[] = [];
  for (const { raw, line } of body) {
    const row = readRow(splitFields(raw), columns, line);
    if (typeof row === 'string') problems.push(`line ${line}: ${row}`);
    else rows.push(row);
  }
  if (problems.length > 0) return { error: problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` (and ${problems.length - 3} more lines with problems)` : '') };

  const notes: string[] = [];
  const labels = new Set(rows.map((r) => r.label));
  if (labels.has(-1)) {
    if ([...labels].some((l) => l !== -1 && l !== 1)) return { error: 'labels mix −1 with classes other than 1: use 0..K−1' };
    for (const r of rows) r.label = r.label === -1 ? 0 : 1;
    notes.push('labels −1/1 were read as classes 0/1');
  }
  const badLabel = rows.find((r) => r.label < 0 || r.label >= MAX_CLASSES);
  if (badLabel !== undefined) return { error: `line ${badLabel.line}: class ${badLabel.label} is out of range (classes are 0–${MAX_CLASSES - 1})` };

  const hasSplit = rows.every((r) => r.test !== null);
  const raw = rows.map((r) => ({ x0: quantise(r.x0), x1: quantise(r.x1), label: r.label }));
  const points = hasSplit
    ? raw.map((p, i) => ({ ...p, test: rows[i].test === true }))
    : splitPoints(raw, options.testFraction, new Generator(options.seed).fork('csv-split'));
  if (!points.some((p) => !p.test)) return { error: 'every point is marked test: at least one training point is needed' };
  const classes = Math.max(2, ...points.map((p) => p.label + 1));
  return { points, classes, notes };
}

function splitFields(line: string): string[] {
  const separator = line.includes(',') ? ',' : line.includes(';') ? ';' : line.includes('\t') ? '\t' : /\s+/;
  return line.split(separator).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

function isNumeric(field: string): boolean {
  return field.trim() !== '' && Number.isFinite(Number(field));
}

function readHeader(fields: string[]): { x0: number; x1: number; label: number; split: number | null } | string {
  const names = fields.map((f) => f.toLowerCase());
  const find = (candidates: string[]) => names.findIndex((n) => candidates.includes(n));
  const x0 = find(HEADER_NAMES.x0);
  const x1 = find(HEADER_NAMES.x1);
  const label = find(HEADER_NAMES.label);
  const split = find(HEADER_NAMES.split);
  if (x0 < 0 || x1 < 0 || label < 0) {
    if (fields.length >= 3 && x0 < 0 && x1 < 0 && label < 0) {
      return `'${fields.join(',')}' is not numbers, nor a header naming x0, x1 and label`;
    }
    const missing = [x0 < 0 ? 'x0' : '', x1 < 0 ? 'x1' : '', label < 0 ? 'label' : ''].filter((s) => s !== '');
    return `the header '${fields.join(',')}' has no column ${missing.join(', ')} (name them x0, x1, label, and optionally split)`;
  }
  return { x0, x1, label, split: split < 0 ? null : split };
}

function readRow(fields: string[], columns: { x0: number; x1: number; label: number; split: number | null }, line: number): Row | string {
  const needed = Math.max(columns.x0, columns.x1, columns.label) + 1;
  if (fields.length < needed) return `expected ${needed} fields (x0, x1, label), found ${fields.length}: '${fields.join(',')}'`;
  const value = (name: 'x0' | 'x1' | 'label'): number | string => {
    const field = fields[columns[name]];
    return isNumeric(field) ? Number(field) : `${name} '${field}' is not a number`;
  };
  const x0 = value('x0');
  const x1 = value('x1');
  const label = value('label');
  for (const v of [x0, x1, label]) if (typeof v === 'string') return v;
  const [a, b, c] = [x0, x1, label] as number[];
  for (const [name, v] of [['x0', a], ['x1', b]] as const) {
    if (v < 0 || v > 1) return `${name} = ${v} is outside [0, 1]: scale the data into the unit square first`;
  }
  if (!Number.isInteger(c)) return `label ${c} is not a whole number (classes are 0, 1, 2, …)`;
  let test: boolean | null = null;
  if (columns.split !== null && fields[columns.split] !== undefined && fields[columns.split] !== '') {
    const s = fields[columns.split].toLowerCase();
    if (s === 'test' || s === '1' || s === 'true') test = true;
    else if (s === 'train' || s === '0' || s === 'false') test = false;
    else return `split '${fields[columns.split]}' should be train or test`;
  }
  return { line, x0: a, x1: b, label: c, test };
}
