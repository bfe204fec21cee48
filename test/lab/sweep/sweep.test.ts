/**
 * Sweeps on worker threads: the rows do not depend on how many workers ran them, a stopped or
 * torn sweep resumes to the same result with no run repeated or lost, a file of another sweep
 * is refused; and the claim: XOR with 2 hidden units gets stuck from some seeds, more units less often.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lab/experiments/index.js';
import { figuresOf } from '../../../lab/render/index.js';
import { makePlan, taskKey } from '../../../lab/sweep/plan.js';
import { summarizeSweep, sweepFigures, sweepRecords } from '../../../lab/sweep/summary.js';
import { extraItems } from '../../../lab/report/format.js';
import { runSweep } from '../../../lab/sweep/sweep.js';
import { normaliseSvg as normalise, rounded } from '../golden.js';

const dir = mkdtempSync(join(tmpdir(), 'nnlab-sweep-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Small: 12 seeds × 200 epochs, a second each on one worker. */
const plan = makePlan({ experiment: 'two-layer', options: { epochs: 200 }, count: 12 });

/** The file's lines after the header, parsed. */
function fileRows(path: string): { seed: number; value?: number }[] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line));
}

const reference = runSweep(plan, { workers: 1 });

describe('runSweep on worker threads', () => {
  it('runSweep(plan, { workers: 1 }) and { workers: 2 } give identical rows, in seed order', async () => {
    const one = await reference;
    const two = await runSweep(plan, { workers: 2 });
    expect(one.complete).toBe(true);
    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    expect(two.rows).toEqual(one.rows);
    expect(one.rows.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('a sweep stopped midway keeps its finished runs; rerunning does only the rest, to the same rows', async () => {
    const file = join(dir, 'stopped.jsonl');
    const controller = new AbortController();
    const first = await runSweep(plan, { workers: 2, file, signal: controller.signal, onRow: (_row, done) => done >= 4 && controller.abort() });
    expect(first.complete).toBe(false);
    const kept = fileRows(file).length;
    expect(kept).toBeGreaterThanOrEqual(4);
    expect(kept).toBeLessThan(12);
    const second = await runSweep(plan, { workers: 2, file });
    expect(second).toMatchObject({ complete: true, resumed: kept, ran: 12 - kept });
    expect(second.rows).toEqual((await reference).rows);
    const keys = fileRows(file).map((row) => taskKey(row));
    expect(new Set(keys).size).toBe(12);
    expect(keys).toHaveLength(12);
  });

  it('a file torn mid-line (a killed sweep) resumes: the torn line is dropped and its run redone, nothing repeated', async () => {
    const file = join(dir, 'torn.jsonl');
    await runSweep(plan, { workers: 2, file });
    const text = readFileSync(file, 'utf8');
    // Keep the header and 5 rows whole, and half of the 6th.
    const lines = text.split('\n');
    const cut = lines.slice(0, 6).join('\n').length + 1 + Math.floor(lines[6].length / 2);
    truncateSync(file, cut);
    const resumed = await runSweep(plan, { workers: 2, file });
    expect(resumed).toMatchObject({ complete: true, resumed: 5, ran: 7 });
    expect(resumed.rows).toEqual((await reference).rows);
    expect(fileRows(file).map(taskKey).sort()).toEqual((await reference).rows.map(taskKey).sort());
  });

  it('a longer sweep reuses the runs of a shorter one in the same file', async () => {
    const file = join(dir, 'extend.jsonl');
    const short = makePlan({ experiment: 'two-layer', options: { epochs: 200 }, count: 6 });
    await runSweep(short, { workers: 2, file });
    const long = await runSweep(plan, { workers: 2, file });
    expect(long).toMatchObject({ resumed: 6, ran: 6 });
    expect(long.rows).toEqual((await reference).rows);
  });

  it('options that only change drawings (--resolution, --report-every) resume the same file', async () => {
    const file = join(dir, 'drawing.jsonl');
    await runSweep(makePlan({ experiment: 'two-layer', options: { epochs: 200 }, count: 2 }), { workers: 1, file });
    const redrawn = makePlan({ experiment: 'two-layer', options: { epochs: 200, resolution: 10, reportEvery: 7 }, count: 2 });
    expect(await runSweep(redrawn, { workers: 1, file })).toMatchObject({ resumed: 2, ran: 0 });
  });

  it('a results file of another sweep is refused, naming what differs', async () => {
    const file = join(dir, 'other.jsonl');
    await runSweep(makePlan({ experiment: 'two-layer', options: { epochs: 200 }, count: 1 }), { workers: 1, file });
    const other = makePlan({ experiment: 'two-layer', options: { epochs: 300, hidden: 3 }, count: 1 });
    await expect(runSweep(other, { workers: 1, file })).rejects.toThrow(ConfigError);
    await expect(runSweep(other, { workers: 1, file })).rejects.toThrow(`sweep: ${file} holds another sweep (line 1: --hidden 2, not 3; --epochs 200, not 300); give another --file, or delete it to start over`);
    const gridded = makePlan({ experiment: 'two-layer', options: { epochs: 200 }, count: 1, grid: 'hidden=2,3' });
    await expect(runSweep(gridded, { workers: 1, file })).rejects.toThrow('(line 1: no grid, not --grid hidden=2,3)');
    writeFileSync(join(dir, 'junk.jsonl'), '{"seed":1}\n');
    await expect(runSweep(plan, { workers: 1, file: join(dir, 'junk.jsonl') })).rejects.toThrow('is not an nnlab sweep results file');
  });

  it('a file another running sweep is writing to is refused; the lock of a killed sweep is taken over', async () => {
    const file = join(dir, 'locked.jsonl');
    const small = makePlan({ experiment: 'two-layer', options: { epochs: 50 }, count: 1 });
    writeFileSync(`${file}.lock`, String(process.pid));
    await expect(runSweep(small, { workers: 1, file })).rejects.toThrow(`sweep: another sweep (process ${process.pid}) is writing to ${file}; wait for it, stop it, or give another --file`);
    writeFileSync(`${file}.lock`, String(spawnSync('true').pid));
    expect((await runSweep(small, { workers: 1, file })).complete).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('an experiment that cannot be swept fails with its one-line reason from the worker', async () => {
    const activations = makePlan({ experiment: 'activations', count: 2 });
    await expect(runSweep(activations, { workers: 2 })).rejects.toThrow(ConfigError);
    await expect(runSweep(activations, { workers: 2 })).rejects.toThrow('sweep: activations cannot be swept');
  });

  it('two-layer on XOR: 2 hidden units get stuck from some seeds, 4 hidden units less often (12 seeds, 1000 epochs)', async () => {
    const grid = makePlan({ experiment: 'two-layer', options: { epochs: 1000 }, count: 12, grid: 'hidden=2,4' });
    const result = await runSweep(grid, { workers: 2 });
    const summary = summarizeSweep(grid, result.rows);
    const [two, four] = summary.groups;
    expect(two.failedSeeds.length).toBeGreaterThan(0);
    // A stuck run sits on a plateau (one corner wrong), far above the solved runs' errors.
    for (const row of result.rows.filter((r) => !r.solved)) expect(row.finalError!).toBeGreaterThan(0.05);
    expect(four.rate).toBeGreaterThan(two.rate);
    expect(rounded(summary)).toMatchSnapshot();
    // The figures are figure records: figuresOf draws them as it draws any experiment's.
    const figures = figuresOf(sweepFigures(summary));
    expect(figures.map((f) => f.name)).toEqual(['sweep-errors', 'sweep-success']);
    for (const figure of figures) expect(normalise(figure.svg)).toMatchSnapshot(figure.name);
    // As records, the success rates are a table wherever extras are shown (CLI, report, page).
    const final = sweepRecords(summary).at(-1)!;
    expect(final.kind === 'final' && extraItems(final.extra).find((item) => item.kind === 'table')).toMatchObject({
      kind: 'table',
      header: ['hidden', 'runs', 'solved', 'success rate', 'median final error', 'failed seeds'],
      rows: summary.groups.map((g) => [String(g.value), '12', String(g.solved), expect.stringMatching(/%$/), expect.any(String), g.failedSeeds.join(', ')]),
    });
  });
});
