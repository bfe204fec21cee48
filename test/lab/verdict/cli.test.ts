/** The verdict as `nnlab run` shows it: the terminal's last line, and a field of --json. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig, verdictOf } from '../../../lab/experiments/index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'lab', 'bin', 'nnlab.js');

function nnlab(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout });
    });
  });
}

describe('nnlab run <training experiment>', () => {
  it('ends with the verdict line: two-layer --seed 10 is stuck, and says why', async () => {
    const { code, stdout } = await nnlab(['run', 'two-layer', '--seed', '10']);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      'verdict: stuck at 0.126: (0, 1) and (1, 1) fall on the same side of every hidden line, so the output cannot tell them apart — try another seed or `--hidden 3`',
    );
  }, 60_000);
  it('--json carries the same verdict as a field, and no verdict line', async () => {
    const { stdout } = await nnlab(['run', 'two-layer', '--json']);
    const summary = JSON.parse(stdout) as { verdict: { solved: boolean; text: string } };
    expect(summary.verdict).toMatchObject({ solved: true, text: 'solved' });
    expect(stdout).not.toContain('verdict: ');
  }, 60_000);
  it('prints no verdict for an experiment that does not train', async () => {
    const { stdout } = await nnlab(['run', 'activations', '--json']);
    expect(JSON.parse(stdout)).not.toHaveProperty('verdict');
  }, 60_000);
  it('a deep comparison (skip-connections) ends with each net judged by its points on the right side, in the line and in --json alike', async () => {
    const experiment = findExperiment('skip-connections');
    const expected = verdictOf([...experiment.run(resolveConfig(experiment, { resolution: 2 }), 1)])!;
    expect(expected.text).toContain('of 50 points on the right side');
    const [line, json] = await Promise.all([nnlab(['run', 'skip-connections', '--resolution', '2']), nnlab(['run', 'skip-connections', '--resolution', '2', '--json'])]);
    expect(line.stdout.trimEnd().split('\n').at(-1)).toBe(`verdict: ${expected.text}`);
    expect((JSON.parse(json.stdout) as { verdict: unknown }).verdict).toEqual(JSON.parse(JSON.stringify(expected)));
  }, 120_000);
});
