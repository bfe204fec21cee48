/**
 * `nnlab sweep --workers n`, spawned as a user runs it: n is capped at 4 per core (each worker
 * holds a thread and a network, and past the cores they only take turns); the cap is in the
 * error and in --help, computed from this machine's cores.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../lab/bin/nnlab.js', import.meta.url));
const CAP = 4 * availableParallelism();
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-workers-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function nnlab(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: scratch, env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** A one-run sweep: whatever --workers says, it starts one worker. */
const oneRun = (workers: string) => ['sweep', 'two-layer', '--epochs', '5', '--seeds', '1', '--workers', workers, '--file', join(scratch, `w${workers}.jsonl`)];

describe('nnlab sweep --workers', () => {
  it.each([String(CAP + 1), '1000', '0', '1.5'])('--workers %s is a usage error naming the range [1, 4 × cores] and the cores', async (workers) => {
    const { code, stdout, stderr } = await nnlab(oneRun(workers));
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `nnlab: option --workers must be an integer in [1, ${CAP}] (at most 4 per core, ${availableParallelism()} cores here), got "${workers}"\n`,
    });
  });

  it('--workers 4 × cores, the cap itself, runs', async () => {
    const { code, stdout } = await nnlab(oneRun(String(CAP)));
    expect(code).toBe(0);
    expect(stdout).toContain(`on up to ${CAP} workers`);
  });

  it('nnlab sweep --help states the cap', async () => {
    const { stdout } = await nnlab(['sweep', 'two-layer', '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain(`worker threads (default: one per core; at most ${CAP}: 4 per core)`);
  });
});
