/**
 * Random corruptions of a valid results file (truncation, bit flips, deleted, duplicated, swapped
 * and blank lines, stripped newlines, injected JSON values): each file is either refused, with a
 * line number, a ConfigError and the file left byte for byte, or read to rows that are all the
 * clean run's (so the resumed sweep, which runs only the missing tasks, equals a clean run).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lab/experiments/index.js';
import { openResults } from '../../../lab/sweep/file.js';
import { makePlan, taskKey, tasksOf } from '../../../lab/sweep/plan.js';
import { runOne } from '../../../lab/sweep/run.js';
import type { SweepRow } from '../../../lab/sweep/run.js';

const dir = mkdtempSync(join(tmpdir(), 'nnlab-sweep-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = makePlan({ experiment: 'two-layer', options: { epochs: 20 }, count: 4, grid: 'hidden=1,2' });
const cleanRows = new Map(tasksOf(plan).map((task) => [taskKey(task), runOne(plan, task)] as const));
const cleanPath = join(dir, 'clean.jsonl');
const clean = (() => {
  const results = openResults(cleanPath, plan);
  for (const row of cleanRows.values()) results.append(row);
  results.close();
  return readFileSync(cleanPath);
})();

type Corruption = (bytes: Buffer) => Buffer;

const lines = (bytes: Buffer) => bytes.toString('latin1').split('\n');
const joined = (parts: string[]) => Buffer.from(parts.join('\n'), 'latin1');
const at = (n: number, length: number) => n % Math.max(1, length);

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.nat().map((n): Corruption => (b) => b.subarray(0, at(n, b.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([n, bit]): Corruption => (b) => {
    const copy = Buffer.from(b);
    if (copy.length > 0) copy[at(n, copy.length)] ^= 1 << bit;
    return copy;
  }),
  fc.nat().map((n): Corruption => (b) => { const l = lines(b); l.splice(at(n, l.length), 1); return joined(l); }),
  fc.nat().map((n): Corruption => (b) => { const l = lines(b); const i = at(n, l.length); l.splice(i, 0, l[i]); return joined(l); }),
  fc.tuple(fc.nat(), fc.nat()).map(([n, m]): Corruption => (b) => {
    const l = lines(b);
    const [i, j] = [at(n, l.length), at(m, l.length)];
    [l[i], l[j]] = [l[j], l[i]];
    return joined(l);
  }),
  fc.constant<Corruption>((b) => Buffer.from(b.toString('latin1').replace(/\n/g, ''), 'latin1')),
  fc.nat().map((n): Corruption => (b) => { const l = lines(b); const i = at(n, l.length - 1); l[i] += l.splice(i + 1, 1)[0] ?? ''; return joined(l); }),
  fc.tuple(fc.nat(), fc.jsonValue()).map(([n, value]): Corruption => (b) => { const l = lines(b); l.splice(at(n, l.length), 0, JSON.stringify(value) ?? 'null'); return joined(l); }),
  fc.nat().map((n): Corruption => (b) => { const l = lines(b); l.splice(at(n, l.length), 0, ''); return joined(l); }),
);

describe('sweep results files under random corruption', () => {
  it('each corrupted file is refused with a line number (and left as it was) or read to rows of the clean run only', () => {
    let refused = 0;
    let resumed = 0;
    let file = 0;
    fc.assert(
      fc.property(fc.array(corruption, { minLength: 1, maxLength: 3 }), (corruptions) => {
        const bytes = corruptions.reduce<Buffer>((b, corrupt) => corrupt(b), clean);
        const path = join(dir, `fuzz-${++file}.jsonl`);
        writeFileSync(path, bytes);
        let rows: readonly SweepRow[];
        try {
          const results = openResults(path, plan);
          rows = results.rows;
          results.close();
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message).toMatch(/line \d+/);
          expect(readFileSync(path).equals(bytes)).toBe(true);
          refused++;
          return;
        }
        resumed++;
        for (const row of rows) expect(row).toEqual(cleanRows.get(taskKey(row)));
        // What was kept is the file as it was, up to its last whole line (a torn line is cut).
        const after = readFileSync(path);
        const kept = bytes.lastIndexOf(0x0a) + 1;
        expect(after.subarray(0, kept).equals(bytes.subarray(0, kept)) || kept === 0).toBe(true);
      }),
      { seed: 1, numRuns: 400 },
    );
    // Both outcomes occur: the corruptions reach the reader's every branch, not only refusals.
    expect(refused).toBeGreaterThan(50);
    expect(resumed).toBeGreaterThan(50);
    console.log(`sweep file fuzz: ${refused + resumed} corrupted files, ${refused} refused with a line number, ${resumed} resumed with clean rows only`);
  });
});
