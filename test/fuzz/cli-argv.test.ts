/**
 * The CLI's option parsing under random command lines (fast-check, fixed seed): each ends as a
 * valid run (exit 0; with --json, one JSON document) or with exactly one `nnlab: …` line on stderr
 * and exit 2 (a usage error) or 1 (a run that failed, e.g. diverged), never a stack trace, never a
 * hang. The words come from the real commands, experiments and options, misspelt and given wrong
 * values (empty, negative, fractional, huge, NaN, hex, Object's inherited names). `serve` and
 * `report` are left out (one never ends, the other runs every experiment); a sweep always gets
 * `--seeds 2 --workers 1` and files go to a scratch folder, so every valid line stays short.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { experiments } from '../../lab/experiments/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'lab/bin/nnlab.js');
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-argv-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const OPTIONS = [...new Set(experiments.flatMap((e) => Object.keys(e.schema).map((key) => `--${kebab(key)}`)))];
const GLOBAL = ['--seed', '--palette', '--json', '--no-live', '--out', '--force', '--grid', '--from', '--file', '--workers', '--seeds', '--onnx'];
const WORDS = ['', ' ', '__proto__', 'toString', 'constructor', 'TWO-LAYER', 'two-layer ', '../x', '-', '--', '=', 'xor', 'square', 'sigmoid', 'relu', 'bwr'];
const VALUES = ['0', '1', '2', '3', '-1', '1.5', '0.5', '1e309', '-0', 'NaN', 'Infinity', '0x10', '1e-7', 'abc', '', '  ', 'hidden=2,3', 'hidden=', '=1', 'toString=1'];

/** Paths stay in the scratch folder; epochs and seeds stay small enough for any valid line to finish quickly. */
function tame(option: string, value: string | undefined): string | undefined {
  if (['--out', '--file', '--onnx'].includes(option)) return join(scratch, value ?? 'x');
  if (['--epochs', '--report-every', '--points', '--depth', '--width', '--race-seeds', '--resolution'].includes(option) && value !== undefined && Number(value) > 3) return '3';
  return value;
}

/** A wild command line: any command, any word, any option with any value. */
const wild = fc.tuple(
  fc.constantFrom('run', 'sweep', 'export', 'list', 'runn', ''),
  fc.oneof(fc.constantFrom(...experiments.map((e) => e.name)), fc.constantFrom(...WORDS)),
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...OPTIONS), fc.constantFrom(...GLOBAL), fc.constantFrom('--epoch', '--hiden', '-x', '--learning_rate')), fc.option(fc.constantFrom(...VALUES), { nil: undefined }), fc.boolean()), { maxLength: 4 }),
);

/** A likely command line: run or sweep a real experiment with a few of its own options, small values. */
const likely = fc.constantFrom(...experiments).chain((experiment) =>
  fc.tuple(
    fc.constantFrom('run', 'sweep'),
    fc.constant(experiment.name),
    fc.array(fc.tuple(fc.constantFrom(...Object.keys(experiment.schema).map((key) => `--${kebab(key)}`)), fc.constantFrom('1', '2', '3', '0.5', 'xor', 'relu'), fc.boolean()), { maxLength: 2 }),
  ),
);

/** A random command line, built from one of the two. */
const argvArbitrary = fc.oneof(wild, likely).map(([command, experiment, options]) => {
  const argv = [command, experiment].filter((word) => word !== '');
  for (const [option, value, joined] of options) {
    const safe = tame(option, value);
    if (safe === undefined) argv.push(option);
    else if (joined) argv.push(`${option}=${safe}`);
    else argv.push(option, safe);
  }
  if (command === 'run') argv.push('--no-live');
  if (command === 'sweep') argv.push('--seeds', '2', '--workers', '1');
  return argv;
});

function run(argv: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: scratch, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('nnlab under random command lines', () => {
  it('each is a valid run or one nnlab: line with exit 2 (or 1 for a run that failed); no stack trace, no hang', async () => {
    const lines = fc.sample(argvArbitrary, { seed: 1, numRuns: 50 });
    const tally = { valid: 0, usage: 0, failed: 0 };
    const wrong: string[] = [];
    for (const argv of lines) {
      const { code, stdout, stderr } = await run(argv);
      const shown = JSON.stringify(argv);
      if (code === 0) {
        tally.valid++;
        if (argv.includes('--json') && argv[0] === 'run') {
          try {
            JSON.parse(stdout);
          } catch {
            wrong.push(`${shown}: exit 0 but --json printed no JSON document`);
          }
        }
      } else if (code === 2 || code === 1) {
        if (code === 2) tally.usage++;
        else tally.failed++;
        const errorLines = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('\r'));
        const last = errorLines.at(-1) ?? '';
        if (!last.startsWith('nnlab: ') || /\n\s+at /.test(stderr)) wrong.push(`${shown}: exit ${code}, stderr ${JSON.stringify(stderr.slice(-300))}`);
      } else {
        wrong.push(`${shown}: exit ${code}`);
      }
    }
    expect(wrong).toEqual([]);
    // Both outcomes are exercised (the words are chosen so that some lines are valid).
    expect(tally.usage).toBeGreaterThan(10);
    expect(tally.valid).toBeGreaterThan(3);
    console.log(`random command lines: ${lines.length} (${tally.valid} valid runs, ${tally.usage} usage errors, ${tally.failed} failed runs)`);
  });
});
