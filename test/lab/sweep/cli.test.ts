/**
 * `nnlab sweep`, spawned as a user runs it: the JSON equals the library's rows, Ctrl-C keeps the
 * finished runs and prints the command that resumes, and mistakes are one line with exit code 2.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makePlan, sweepable, taskKey, tasksOf } from '../../../lab/sweep/plan.js';
import { runOne } from '../../../lab/sweep/run.js';
import type { SweepRow } from '../../../lab/sweep/run.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'lab', 'bin', 'nnlab.js');
const dir = mkdtempSync(join(tmpdir(), 'nnlab-sweep-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function nnlab(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** `line` run by sh in the project's root, as a user pastes it into a terminal there. */
function shell(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', line], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** The rows computed here, in this thread, one run after another. */
function expectedRows(options: Record<string, unknown>, count: number, grid?: string): SweepRow[] {
  const plan = makePlan({ experiment: 'two-layer', options, count, grid });
  return tasksOf(plan).map((task) => runOne(plan, task));
}

describe('nnlab sweep', () => {
  it('nnlab sweep two-layer --grid hidden=1,2 --json prints the summary and rows the library computes', async () => {
    const file = join(dir, 'json.jsonl');
    const { code, stdout, stderr } = await nnlab(['sweep', 'two-layer', '--epochs', '100', '--seeds', '3', '--grid', 'hidden=1,2', '--workers', '2', '--json', '--file', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { runs: number; complete: boolean; workers: number; rows: SweepRow[]; groups: { value: number; runs: number }[] };
    expect(result).toMatchObject({ runs: 6, complete: true, workers: 2 });
    expect(result.groups.map((g) => [g.value, g.runs])).toEqual([[1, 3], [2, 3]]);
    expect(result.rows).toEqual(expectedRows({ epochs: 100 }, 3, 'hidden=1,2'));
  });

  it('Ctrl-C stops the sweep with its finished runs kept and prints the command that resumes it; that command finishes the rest', async () => {
    const file = join(dir, 'interrupted.jsonl');
    const args = ['sweep', 'two-layer', '--epochs', '300', '--seeds', '24', '--workers', '2', '--file', file];
    // The test hook holds the sweep after 5 runs with none in flight, so Ctrl-C lands at a known point.
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NNLAB_TEST_SWEEP_HOLD: '5' } });
    let stderr = '';
    const held = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('holding after 5 runs')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await Promise.race([held, exited]);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const rowsInFile = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line) as SweepRow);
    expect(rowsInFile.map((row) => row.seed).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(stderr).toContain(`stopped: 5 of 24 runs done and kept in ${file}; resume with:`);
    const resume = stderr.trim().split('\n').pop()!.trim();
    expect(resume.startsWith('npx nnlab sweep two-layer ')).toBe(true);

    // Pasted into a shell in the project, as a user after `npm install` would.
    const again = await shell(`${resume} --json`);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as { complete: boolean; rows: SweepRow[] };
    expect(result.complete).toBe(true);
    expect(result.rows).toEqual(expectedRows({ epochs: 300 }, 24));
    const inFile = readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => taskKey(JSON.parse(line) as SweepRow));
    expect(inFile).toHaveLength(24);
    expect(new Set(inFile).size).toBe(24);
  });

  it.each([
    [['sweep', 'two-layer', '--grid', 'hiden=2,3'], 'nnlab: sweep: --grid names unknown option "hiden" of two-layer (options: dataset, hidden, epochs, learning-rate, init-std, report-every, resolution)'],
    [['sweep', 'two-layer', '--seeds', '0'], 'nnlab: option --seeds must be an integer ≥ 1, got "0"'],
    [['sweep', 'two-layer', '--hidden', '0'], 'nnlab: two-layer: option --hidden must be an integer in [1, 64], got "0"'],
    [['sweep', 'activations', '--seeds', '2', '--workers', '1', '--file', 'a.jsonl'], `nnlab: sweep: activations cannot be swept: its runs make no predictions with targets to judge as solved or not; these can: ${sweepable().join(', ')}`],
  ])('nnlab %j fails with one line and exit code 2, before printing a header or creating a results file', async (args, line) => {
    const { code, stdout, stderr } = await nnlab(args);
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 'a.jsonl'))).toBe(false);
    expect(existsSync(join(dir, 'nnlab-sweeps'))).toBe(false);
    expect(stderr).toBe(`${line}\n`);
    expect(code).toBe(2);
  });
});
