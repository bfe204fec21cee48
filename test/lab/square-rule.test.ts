/**
 * two-layer's rule across options: the square data set needs 3 hidden units or more. `nnlab run`
 * and `nnlab sweep` refuse it up front with one line (nothing printed or written before it), the
 * rule's premise is checked by running what it refuses, and the page shows it next to the
 * controls (test/e2e/square-rule.test.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, findExperiment, isSolved, resolveConfig, resolveValues } from '../../lab/experiments/index.js';
import type { FinalRecord } from '../../lab/experiments/index.js';
import { makePlan } from '../../lab/sweep/plan.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'lab', 'bin', 'nnlab.js');
const dir = mkdtempSync(join(tmpdir(), 'nnlab-square-rule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULE = "the square data set needs --hidden 3 or more (each hidden unit draws one line, and it takes 3 lines to cut the square's 4 interior points out of the 12 around them)";

function nnlab(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('two-layer: the square needs 3 hidden units', () => {
  const experiment = findExperiment('two-layer');

  it('resolveConfig refuses --dataset square with --hidden 1 or 2, naming both options, the rule and the fix', () => {
    for (const hidden of [1, 2]) {
      const attempt = () => resolveConfig(experiment, { dataset: 'square', hidden });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`two-layer: --dataset square with --hidden ${hidden}: ${RULE}; use --hidden 3`);
    }
    // The default hidden is 2: choosing the square alone is refused too.
    expect(() => resolveConfig(experiment, { dataset: 'square' })).toThrow('--dataset square with --hidden 2');
    expect(resolveConfig(experiment, { dataset: 'square', hidden: 3 })).toMatchObject({ dataset: 'square', hidden: 3 });
    expect(resolveConfig(experiment, { hidden: 1 })).toMatchObject({ dataset: 'xor', hidden: 1 });
  });

  it('its premise: with 1 or 2 hidden units none of seeds 1–10 solves the square (run past the rule)', () => {
    for (const hidden of [1, 2]) {
      const config = resolveValues(experiment, { dataset: 'square', hidden, resolution: 2, reportEvery: 2000 });
      const solved = Array.from({ length: 10 }, (_, i) => [...experiment.run(config, i + 1)].find((r): r is FinalRecord => r.kind === 'final')!).filter((f) => isSolved(f.predictions));
      expect(solved.length, `hidden ${hidden}`).toBe(0);
    }
  });

  it('nnlab run two-layer --dataset square --hidden 2: one line on stderr, exit 2, nothing on stdout', async () => {
    const { code, stdout, stderr } = await nnlab(['run', 'two-layer', '--dataset', 'square', '--hidden', '2']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`nnlab: two-layer: --dataset square with --hidden 2: ${RULE}; use --hidden 3\n`);
  });

  it('nnlab sweep with a grid that includes refused runs refuses before its header or results file', async () => {
    const file = join(dir, 'grid.jsonl');
    const { code, stdout, stderr } = await nnlab(['sweep', 'two-layer', '--dataset', 'square', '--grid', 'hidden=1,2,3,4', '--seeds', '2', '--file', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`nnlab: sweep: --grid hidden=1,2,3,4 with --dataset square includes --hidden 1 and --hidden 2, which two-layer refuses: ${RULE}; sweep --grid hidden=3,4\n`);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('makePlan checks the rule per grid value: the other option, a grid of only refused values, a grid the rule does not read', () => {
    expect(makePlan({ experiment: 'two-layer', options: { dataset: 'square' }, grid: 'hidden=3,4' }).grid).toEqual({ option: 'hidden', values: [3, 4] });
    expect(() => makePlan({ experiment: 'two-layer', options: { hidden: 2 }, grid: 'dataset=xor,square' })).toThrow(
      `sweep: --grid dataset=xor,square with --hidden 2 includes --dataset square, which two-layer refuses: ${RULE}; sweep --grid dataset=xor`,
    );
    expect(() => makePlan({ experiment: 'two-layer', options: { dataset: 'square' }, grid: 'hidden=1,2' })).toThrow(
      `includes --hidden 1 and --hidden 2, which two-layer refuses: ${RULE}; sweep values it allows (use --hidden 3)`,
    );
    expect(() => makePlan({ experiment: 'two-layer', options: { dataset: 'square' }, grid: 'epochs=10,20' })).toThrow(`sweep: two-layer: --dataset square with --hidden 2: ${RULE}; use --hidden 3`);
    expect(() => makePlan({ experiment: 'two-layer', options: { dataset: 'square' } })).toThrow(`two-layer: --dataset square with --hidden 2: ${RULE}`);
  });
});
