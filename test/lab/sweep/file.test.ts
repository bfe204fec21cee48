/**
 * A sweep's results file, read back: a file that is not a sweep's is never overwritten, every row
 * is checked against the header's schema (the line number and what is wrong when it is not), blank
 * lines are skipped, and rows are appended at the file's end, whoever else wrote there.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lab/experiments/index.js';
import { headerOf, openResults } from '../../../lab/sweep/file.js';
import { rowLine } from '../../../lab/sweep/lines.js';
import { makePlan } from '../../../lab/sweep/plan.js';
import type { SweepRow } from '../../../lab/sweep/run.js';

const dir = mkdtempSync(join(tmpdir(), 'nnlab-sweep-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = makePlan({ experiment: 'two-layer', options: { epochs: 30 }, count: 3 });
const header = JSON.stringify(headerOf(plan)) + '\n';
const rows: SweepRow[] = [
  { seed: 1, finalError: 0.25, solved: false },
  { seed: 2, finalError: 0.01, solved: true },
];

let files = 0;
function fileWith(text: string): string {
  const path = join(dir, `f${++files}.jsonl`);
  writeFileSync(path, text);
  return path;
}

/** openResults(path) refuses the file with `message`, leaves it byte for byte, and no lock behind. */
function expectRefused(text: string, message: string | RegExp): void {
  const path = fileWith(text);
  expect(() => openResults(path, plan)).toThrow(ConfigError);
  expect(() => openResults(path, plan)).toThrow(message);
  expect(readFileSync(path, 'utf8')).toBe(text);
  expect(existsSync(`${path}.lock`)).toBe(false);
}

function rowsRead(text: string): readonly SweepRow[] {
  const results = openResults(fileWith(text), plan);
  results.close();
  return results.rows;
}

describe('openResults(path, plan) on a file that is not a sweep of this plan', () => {
  it("a file whose first line is not a sweep header is refused, with or without a newline: 'my notes'", () => {
    expectRefused('my notes', /is not an nnlab sweep results file \(line 1 is not a sweep header: "my notes"\)/);
    expectRefused('my notes\nmore notes\n', /is not an nnlab sweep results file \(line 1 is not a sweep header: "my notes"\)/);
    expectRefused('\n \n', 'line 1 is blank, as is every line: it has no nnlab sweep header');
    expectRefused('{"seed":1,"finalError":0.2,"solved":false}\n', 'line 1 is an object, not a sweep header {"nnlabSweep": 1, …}');
  });

  it('a sweep file whose newlines were stripped is refused, not recomputed', () => {
    const stripped = (header + rows.map(rowLine).join('')).replace(/\n/g, '');
    expectRefused(stripped, /line 1 holds several JSON values: were the file's newlines stripped\?/);
    expectRefused(stripped + '\n', /line 1 holds several JSON values: were the file's newlines stripped\?/);
    expectRefused(header + rowLine(rows[0]).trim() + rowLine(rows[1]).trim(), /line 2 holds several JSON values/);
  });

  it('null as the header or as a row is refused with its line number', () => {
    expectRefused('null\n', 'line 1 is null, not a sweep header');
    expectRefused(header + 'null\n', 'line 2 is null, not a row {"seed", "finalError", "solved", …}');
  });
});

describe('openResults(path, plan): every row checked', () => {
  const cases: [string, string][] = [
    ['{"seed":4}', 'line 3: "finalError" must be a number or null, got nothing'],
    ['{"seed":4,"finalError":"abc","solved":"yes"}', 'line 3: "finalError" must be a number or null, got "abc"'],
    ['{"seed":4,"finalError":0.1,"solved":"yes"}', 'line 3: "solved" must be true or false, got "yes"'],
    ['{"seed":"4","finalError":0.1,"solved":true}', 'line 3: "seed" must be an integer, got "4"'],
    ['{"seed":4,"value":2,"finalError":0.1,"solved":true}', 'line 3 has a grid "value", but the sweep has no grid'],
    ['{"seed":4,"finalError":0.1,"solved":true,"extra":1}', 'line 3 has an unknown field "extra"'],
    ['{"seed":4,"finalError":0.1,"solved":true,"diverged":"NaN"}', 'line 3: a "diverged" row has the reason as text, "finalError": null and "solved": false'],
    ['[1,2]', 'line 3 is an array, not a row'],
    [header.trim(), 'line 3 is a second header: only line 1 may be one'],
    [rowLine(rows[1]).replace('0.01', '0.02').trim(), 'line 3 was changed after nnlab wrote it (its "check" does not match)'],
  ];
  for (const [line, message] of cases) {
    it(`a row ${line.length > 50 ? line.slice(0, 50) + '…' : line} is refused: ${message}`, () => {
      expectRefused(header + rowLine(rows[0]) + line + '\n', message);
    });
  }

  it('a row against the grid: a value the grid does not list is refused', () => {
    const gridded = makePlan({ experiment: 'two-layer', options: { epochs: 30 }, count: 3, grid: 'hidden=2,3' });
    const path = fileWith(JSON.stringify(headerOf(gridded)) + '\n{"seed":1,"value":4,"finalError":0.1,"solved":true}\n');
    expect(() => openResults(path, gridded)).toThrow('line 2: "value" must be one of the grid\'s values 2, 3 (--grid hidden), got 4');
  });

  it('blank lines anywhere, a trailing one too, are skipped: the file resumes', () => {
    expect(rowsRead(header + '\n' + rowLine(rows[0]) + '\n\n' + rowLine(rows[1]) + '\n')).toEqual(rows);
  });

  it('rows written before rows had a check are still read', () => {
    expect(rowsRead(header + rows.map((r) => JSON.stringify(r) + '\n').join(''))).toEqual(rows);
  });

  it('an empty file, or a header torn while written, is taken and gets a fresh header', () => {
    for (const text of ['', header.slice(0, 20)]) {
      const path = fileWith(text);
      openResults(path, plan).close();
      expect(readFileSync(path, 'utf8')).toBe(header);
    }
  });
});

describe('ResultsFile.append', () => {
  it('appends at the end of the file (O_APPEND), after a line written since it was opened', () => {
    const path = fileWith(header);
    const results = openResults(path, plan);
    appendFileSync(path, rowLine(rows[0]));
    results.append(rows[1]);
    results.close();
    expect(readFileSync(path, 'utf8')).toBe(header + rowLine(rows[0]) + rowLine(rows[1]));
  });
});
