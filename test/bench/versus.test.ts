import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFor, formatVersus, runVersusChild, sameComputation, versus, versusRatios } from '../../bench/versus.js';
import type { TimingOptions } from '../../bench/timing.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** As short as timing allows: these tests check what is compared and reported, never how long anything took. */
const BRIEF: TimingOptions = { warmupMs: 0, warmupWindowMs: 0, maxWarmupMs: 0, sampleMs: 0, minTimeMs: 0, minSamples: 3 };

describe('bench:versus', () => {
  it('times the workloads both sides have, taking turns, and refuses to time two computations that differ', () => {
    const calls: string[] = [];
    const step = (side: string, value: number) => () => () => (calls.push(side), value);
    const rows = versus(
      { same: step('b', 0.25), differs: step('b', 1) },
      { same: step('a', 0.25 * (1 + 5e-5)), differs: step('a', 1.01), missing: step('a', 0) },
      BRIEF,
    );
    expect(rows.map((r) => [r.name, r.error ?? 'timed'])).toEqual([
      ['same', 'timed'],
      ['differs', 'the first values differ (1 before, 1.01 after): not the same computation'],
      ['missing', 'the other tree has no such workload'],
    ]);
    expect(rows[0].ratio).toBe(rows[0].after!.medianMs / rows[0].before!.medianMs);
    expect(calls.slice(-2 * BRIEF.minSamples).join('')).toBe('ba'.repeat(BRIEF.minSamples));
  });

  it('agrees on first values within 1e-4 relative, NaN with NaN, and no further', () => {
    expect(sameComputation(0.2504591941833496, 0.250459223985672)).toBe(true);
    expect(sameComputation(NaN, NaN)).toBe(true);
    expect(sameComputation(1, 1.0002)).toBe(false);
    expect(sameComputation(0, 1e-9)).toBe(false);
  });

  it('passes a row at after/before ≤ 1.05 and fails it above', () => {
    const timing = (medianMs: number) => ({ medianMs }) as never;
    const lines = formatVersus([
      { name: 'fine', firstValues: { before: 1, after: 1 }, before: timing(1), after: timing(1.04), ratio: 1.04 },
      { name: 'slower', firstValues: { before: 1, after: 1.00001 }, before: timing(1), after: timing(1.06), ratio: 1.06 },
    ], '/tmp/old').join('\n');
    expect(lines).toMatch(/fine +\| +1 \|.*1\.04× \| +PASS/);
    expect(lines).toMatch(/slower +\| +1 → 1\.00001 \|.*1\.06× \| +FAIL/);
  });

  it("gives the (a) and (d) verdicts each workload's ratios, NaN for a row that could not be timed", () => {
    const rows = [
      { name: '(a) eager', ratio: 0.96, firstValues: { before: 1, after: 1 } },
      { name: '(a) captured', firstValues: { before: 1, after: 2 }, error: 'the first values differ' },
      { name: '(d) maps', ratio: 1.01, firstValues: { before: 1, after: 1 } },
    ];
    expect(versusRatios(rows, 'a')).toEqual({ '(a) eager': 0.96, '(a) captured': NaN });
    expect(versusRatios(rows, 'd')).toEqual({ '(d) maps': 1.01 });
  });

  describe('bundling', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'versus-test-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("bundles versus/entry.ts against a tree's own sources, whose makers give the bench's first values", async () => {
      const file = await bundleFor(ROOT, dir, 'self');
      const { makers } = (await import(pathToFileURL(file).href)) as { makers: Record<string, () => () => number> };
      expect(Object.keys(makers)).toEqual(['(a) XOR 2-2-1 sigmoid, eager step', '(a) XOR 2-2-1 sigmoid, captured step', '(d) 51 heat maps of 100×100']);
      const eager = makers['(a) XOR 2-2-1 sigmoid, eager step']();
      const captured = makers['(a) XOR 2-2-1 sigmoid, captured step']();
      expect(captured()).toBe(eager());
    });

    it('runs in a child process for npm run bench -- --versus: this tree against itself, every row timed, the same first values', () => {
      const lines: string[] = [];
      const { tree, rows } = runVersusChild(ROOT, true, (line) => lines.push(line));
      expect(path.resolve(tree)).toBe(path.resolve(ROOT));
      expect(lines).toEqual([`  (a), (d) against ${ROOT}, taking turns in a child process…`]);
      expect(rows.map((r) => [r.name, r.error, r.firstValues.before === r.firstValues.after, typeof r.ratio])).toEqual([
        ['(a) XOR 2-2-1 sigmoid, eager step', undefined, true, 'number'],
        ['(a) XOR 2-2-1 sigmoid, captured step', undefined, true, 'number'],
        ['(d) 51 heat maps of 100×100', undefined, true, 'number'],
      ]);
    }, 60_000);

    it('says in one line, exit 2, when the tree is not one of nnlab or is missing', () => {
      const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'versus.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
      const notATree = run([dir]);
      expect([notATree.status, notATree.stderr.trim()]).toEqual([2, `bench:versus: ${dir} is not a tree of nnlab (no packages/nnlab/src/index.ts)`]);
      const none = run([]);
      expect(none.status).toBe(2);
      expect(none.stderr).toContain('bench:versus: expected one tree, got 0');
    });
  });
});
