/**
 * The nnlab command, spawned as a user runs it (`node lab/bin/nnlab.js …`, stdout and stderr piped,
 * so no progress bar and no live heat maps): its tables, JSON, files, report and error lines.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { DivergedError, experiments } from '../lab/experiments/index.js';
import type { Experiment, LabRecord, RunSummary } from '../lab/experiments/index.js';
import { runCommand } from '../lab/cli/commands/run.js';
import { errorLine } from '../lab/cli/errors.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'lab', 'bin', 'nnlab.js');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function nnlab(args: readonly string[], options: { cwd?: string; bin?: string } = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.bin ?? BIN, ...args],
      { cwd: options.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NNLAB_DEBUG: '' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'nnlab-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh directory under the scratch directory. */
function freshDir(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  return dir;
}

/** The rows of the epoch table: [epoch, train error]. */
function epochRows(stdout: string): [number, number][] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^\s+epoch\s+train error/.test(line));
  expect(header).toBeGreaterThan(-1);
  const rows: [number, number][] = [];
  for (const line of lines.slice(header + 2)) {
    const match = /^\s+(\d+)\s+(\S+)/.exec(line);
    if (match === null) break;
    rows.push([Number(match[1]), Number(match[2])]);
  }
  return rows;
}

/** The predictions table's rows as cells. */
function predictionRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const title = lines.findIndex((line) => line.startsWith('predictions'));
  expect(title).toBeGreaterThan(-1);
  expect(lines[title + 1]).toMatch(/input\s+target\s+output/);
  const rows: string[][] = [];
  for (const line of lines.slice(title + 3)) {
    if (line.trim() === '') break;
    rows.push(line.trim().split(/\s{3,}/));
  }
  return rows;
}

function expectOneErrorLine(result: Result, message: string | RegExp, code = 2): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nnlab: /);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('nnlab list', () => {
  it('nnlab list names every experiment with its one-line description', async () => {
    const result = await nnlab(['list']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const experiment of experiments) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${experiment.name}\\s+${experiment.description.slice(0, 20).replace(/[()[\].*+?^$|\\]/g, '\\$&')}`, 'm'));
    }
  });

  it('nnlab works through a symlink (as node_modules/.bin/nnlab) from another directory', async () => {
    const dir = freshDir('bin-link');
    const link = join(dir, 'nnlab');
    symlinkSync(BIN, link);
    const result = await nnlab(['list'], { bin: link, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('logistic-regression');
  });
});

describe('nnlab run', () => {
  it('run logistic-regression prints the header, the epoch table every 20 epochs from 0 to 500, and the predictions', async () => {
    const result = await nnlab(['run', 'logistic-regression']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.stdout.split('\n')[0]).toMatch(/^logistic-regression \(seed 1\)/);
    expect(result.stdout).toContain('nnlab run logistic-regression --gate or --epochs 500 --learning-rate 1 --report-every 20 --resolution 50 --seed 1');
    const rows = epochRows(result.stdout);
    expect(rows.map(([epoch]) => epoch)).toEqual(Array.from({ length: 26 }, (_, i) => i * 20));
    expect(rows[0][1]).toBeCloseTo(0.25, 6);
    expect(rows.at(-1)![1]).toBeLessThan(0.01);
    expect(result.stdout).toMatch(/final train error \(MSE\): 0\.00\d+/);
    const predictions = predictionRows(result.stdout);
    expect(predictions.map(([input, target]) => [input, target])).toEqual([['[0, 0]', '0'], ['[0, 1]', '1'], ['[1, 0]', '1'], ['[1, 1]', '1']]);
    for (const [, target, output] of predictions) expect(Math.abs(Number(output) - Number(target))).toBeLessThan(0.2);
  });

  it('run logistic-regression --gate and --epochs=50 uses the overrides (both spellings)', async () => {
    const result = await nnlab(['run', 'logistic-regression', '--gate', 'and', '--epochs=50']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--gate and --epochs 50');
    expect(epochRows(result.stdout).map(([epoch]) => epoch)).toEqual([0, 20, 40, 50]);
    expect(predictionRows(result.stdout).map(([, target]) => target)).toEqual(['0', '0', '0', '1']);
  });

  it('run categorical prints class vectors with index 0 first and says so', async () => {
    const result = await nnlab(['run', 'categorical', '--epochs', '200']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/predictions \(vectors list index 0 first\):/);
    const rows = predictionRows(result.stdout);
    expect(rows).toHaveLength(4);
    expect(rows[0][2]).toMatch(/^\[\d\.\d{4}, \d\.\d{4}, \d\.\d{4}, \d\.\d{4}\]$/);
  });

  it('run <training-free experiment> prints no epoch table', async () => {
    const result = await nnlab(['run', 'activations']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/train error/);
  });

  it('run two-layer --json prints only the summary: history, final predictions and parameters by dotted name', async () => {
    const result = await nnlab(['run', 'two-layer', '--epochs', '50', '--seed', '7', '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as RunSummary;
    expect(summary.experiment).toBe('two-layer');
    expect(summary.seed).toBe(7);
    expect(summary.config).toMatchObject({ epochs: 50, hidden: 2, dataset: 'xor' });
    expect(summary.history).toHaveLength(51);
    expect(summary.history[0]).toEqual({ epoch: 0, error: expect.any(Number) });
    expect(summary.final.error).toBeCloseTo(summary.history[50].error, 12);
    expect(summary.final.predictions).toHaveLength(4);
    expect(Object.keys(summary.final.parameters).sort()).toEqual(['hidden.bias', 'hidden.weight', 'output.bias', 'output.weight']);
    expect(summary.final.parameters['hidden.weight']).toEqual([[expect.any(Number), expect.any(Number)], [expect.any(Number), expect.any(Number)]]);
  });

  it('run <experiment> --seed n repeats the same run', async () => {
    const [a, b] = await Promise.all([
      nnlab(['run', 'two-layer', '--epochs', '20', '--seed', '3', '--json']),
      nnlab(['run', 'two-layer', '--epochs', '20', '--seed', '3', '--json']),
    ]);
    expect(a.stdout).toBe(b.stdout);
  });

  it('run <experiment> prints a repeat: line that, pasted into sh in the project, repeats the run (npx nnlab …)', async () => {
    const first = await nnlab(['run', 'two-layer', '--epochs', '30', '--hidden', '3', '--seed', '4']);
    expect(first.code).toBe(0);
    const repeat = /^ {2}repeat: (.+)$/m.exec(first.stdout)?.[1];
    expect(repeat).toMatch(/^npx nnlab run two-layer .*--seed 4$/);
    const again = await new Promise<Result>((done) => {
      execFile('sh', ['-c', repeat!], { cwd: ROOT, env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      });
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });

  it('Ctrl-C during run (SIGINT once an epoch row has printed) prints "stopped at epoch N" (the last epoch trained) and exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'run', 'two-layer', '--epochs', '1000000', '--report-every', '1000'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NNLAB_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/^\s+1000\s+\S+/m.test(stdout)) resolve();
      });
      void exited.then(() => resolve());
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const stopped = /stopped at epoch (\d+) \(Ctrl-C\)/.exec(stderr);
    expect(stopped).not.toBeNull();
    // Epoch records come every epoch (the table prints every 1000th): the last one trained is named.
    expect(Number(stopped![1])).toBeGreaterThanOrEqual(1000);
    expect(Number(stopped![1])).toBeLessThan(1_000_000);
  });

  it('run two-layer --out dir writes each figure as SVG (well-formed XML) and PNG, and records.json', async () => {
    const out = join(scratch, 'run-out', 'nested');
    const result = await nnlab(['run', 'two-layer', '--epochs', '100', '--palette', 'colorblind', '--out', out]);
    expect(result.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['.nnlab-output.json', 'error.png', 'error.svg', 'hidden.png', 'hidden.svg', 'output.png', 'output.svg', 'records.json']);
    for (const file of files.filter((f) => f.endsWith('.svg'))) {
      const svg = readFileSync(join(out, file), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(() => new Resvg(svg)).not.toThrow(); // resvg's parser is strict XML
    }
    for (const file of files.filter((f) => f.endsWith('.png'))) {
      expect([...readFileSync(join(out, file)).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    }
    const records = JSON.parse(readFileSync(join(out, 'records.json'), 'utf8')) as LabRecord[];
    expect(records[0].kind).toBe('start');
    expect(records.at(-1)!.kind).toBe('final');
    expect(records.filter((r) => r.kind === 'epoch')).toHaveLength(101);
    expect(readdirSync(join(scratch, 'run-out'))).toEqual(['nested']);
  });

  it('run --out into an existing directory with --force replaces its files and keeps the others', async () => {
    const out = freshDir('existing-out');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeFileSync(join(out, 'records.json'), 'old');
    const result = await nnlab(['run', 'logistic-regression', '--epochs', '10', '--out', out, '--force']);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(out, 'records.json'), 'utf8')).not.toBe('old');
    // No temporary directory is left; the one hidden file lists what nnlab wrote.
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual(['.nnlab-output.json']);
  });

  it('run <experiment> --help lists its options with defaults and ranges', async () => {
    const result = await nnlab(['run', 'logistic-regression', '--help']);
    expect(result.code).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' '); // unwrapped
    expect(help).toContain('--gate <name> the gate to learn: one of or, and, nand, nor, xor (default: or)');
    expect(help).toContain('--epochs <n> full-batch training steps: an integer in [0, 1000000] (default: 500)');
    expect(help).toContain('--learning-rate <x> gradient-descent learning rate: a number in [0.000001, 100] (default: 1)');
    expect(help).toMatch(/--seed <n> .* \(default: 1\)/);
    for (const flag of ['--palette', '--out', '--json', '--no-live']) expect(result.stdout).toContain(flag);
  });
});

describe.concurrent('nnlab errors: one line on stderr, no stack trace, no partial output', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown experiment', ['run', 'no-such-thing'], /unknown experiment 'no-such-thing' \(experiments: activations, /],
    ['an unknown option', ['run', 'logistic-regression', '--colour', 'red'], /logistic-regression: unknown option '--colour'/],
    ['a misspelt option, with a suggestion', ['run', 'logistic-regression', '--epoch', '5'], /unknown option '--epoch' \(did you mean --epochs\?\)/],
    ['a value out of range', ['run', 'two-layer', '--hidden', '0'], /two-layer: option --hidden must be an integer in \[1, 64\], got "0"/],
    ['a non-numeric value', ['run', 'two-layer', '--learning-rate', 'fast'], /option --learning-rate must be a number in \[0\.000001, 100\], got "fast"/],
    ['a choice not offered', ['run', 'logistic-regression', '--gate', 'xnor'], /option --gate must be one of or, and, nand, nor, xor, got "xnor"/],
    ['a bad seed', ['run', 'two-layer', '--seed', '1.5'], /option --seed must be an integer, got "1.5"/],
    ['a bad palette', ['run', 'two-layer', '--palette', 'rainbow'], /option --palette must be one of bwr, colorblind/],
    ['an unknown command', ['train'], /unknown command 'train'/],
  ];
  for (const [what, args, message] of cases) {
    it(`nnlab ${args.join(' ')} fails with exit code 2 on ${what}`, async () => {
      const out = join(scratch, `error-out-${args.join('-')}`);
      const result = await nnlab([...args, '--out', out]);
      expectOneErrorLine(result, message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('run --out <path under a regular file> fails before the run and creates nothing', async () => {
    const dir = freshDir('under-a-file');
    writeFileSync(join(dir, 'file'), 'x');
    const result = await nnlab(['run', 'two-layer', '--out', join(dir, 'file', 'out')]);
    expectOneErrorLine(result, /cannot write to --out .*file\/out: .*file is a file, not a directory/);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('run --out <a place where no directory can be made> names the path the user gave, never an internal probe directory', async () => {
    // /proc refuses new directories even to root (a chmod-ed directory would not stop root).
    const out = '/proc/nnlab-cannot-be-here';
    const result = await nnlab(['run', 'two-layer', '--epochs', '5', '--out', out]);
    expectOneErrorLine(result, /^nnlab: cannot write to --out \/proc\/nnlab-cannot-be-here: a directory cannot be created there$/);
    expect(result.stderr).not.toContain('.nnlab-');
  });

  it('run --out <existing regular file> fails before the run', async () => {
    const dir = freshDir('is-a-file');
    writeFileSync(join(dir, 'out'), 'x');
    const result = await nnlab(['report', '--out', join(dir, 'out')]);
    expectOneErrorLine(result, /cannot write to --out .*out: it exists and is not a directory/);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('x');
  });
});

describe('a run that diverges', () => {
  const diverging: Experiment = {
    name: 'diverging',
    kind: 'training',
    sweepable: true,
    description: 'a run whose error becomes NaN',
    explanation: '',
    schema: {},
    *run(config, seed) {
      yield { kind: 'start', experiment: 'diverging', config, seed, epochs: 10, reportEvery: 1 };
      yield { kind: 'epoch', epoch: 0, error: 1, series: 'train' };
      throw new DivergedError('diverging: the error became NaN at epoch 1; try a smaller --learning-rate');
    },
  };

  it('runCommand rejects with the DivergedError and writes no --out directory; it prints as one line with exit code 1', async () => {
    const out = join(scratch, 'diverged-out');
    const error = await runCommand(diverging, {}, { seed: 1, palette: 'bwr', json: true, live: false, out }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DivergedError);
    expect(existsSync(out)).toBe(false);
    expect(errorLine(error)).toEqual({ line: 'nnlab: diverging: the error became NaN at epoch 1; try a smaller --learning-rate', code: 1 });
  });
});

describe('nnlab report', () => {
  it('report --out dir writes one self-contained index.html with every experiment, its figures inline and its command', async () => {
    const out = join(scratch, 'report');
    const result = await nnlab(['report', '--out', out]);
    expect(result.code).toBe(0);
    expect(readdirSync(out)).toEqual(['.nnlab-output.json', 'index.html']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const experiment of experiments) {
      expect(html).toContain(`<section id="${experiment.name}">`);
      expect(html).toContain(`nnlab run ${experiment.name} `);
      const section = html.slice(html.indexOf(`<section id="${experiment.name}">`));
      expect(section.slice(0, section.indexOf('</section>'))).toContain('<svg');
    }
    expect(html).toMatch(/final train error \(MSE\): <strong>0\.\d+<\/strong>/);
    // No external resources: no scripts, stylesheets, or links/images outside the page.
    expect(html).not.toMatch(/<script|<link|<img|src=|url\((?!#)|href="(?!#|data:)/);
    // Ids are unique across the inline figures.
    const ids = Array.from(html.matchAll(/\sid="([^"]+)"/g), (m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // The sweep closes the report, with its figures and its command.
    const sweep = html.slice(html.indexOf('<section id="sweep">'));
    expect(sweep).toContain('nnlab sweep two-layer --seeds 100 --grid hidden=2,4');
    expect(sweep).toMatch(/hidden 2: \d+ of 100 solved/);
    // Every training section ends with its verdict line; findings (where an experiment has them) just before it.
    const sectionOf = (name: string) => html.slice(html.indexOf(`<section id="${name}">`), html.indexOf('</section>', html.indexOf(`<section id="${name}">`)));
    for (const experiment of experiments.filter((e) => e.kind === 'training')) {
      expect(sectionOf(experiment.name), experiment.name).toMatch(/<p class="verdict">verdict: [^<]+<\/p>\n$/);
    }
    expect(sectionOf('exploding-gradients')).toMatch(/<p class="findings">In this run the first gradient’s norm was [^<]+<\/p>\n<p class="verdict">/);
    // The sweep's sentence is computed from its runs: its count of unsolved runs is the figure's.
    const solvedWith2 = Number(/hidden 2: (\d+) of 100 solved/.exec(sweep)![1]);
    expect(sweep).toContain(solvedWith2 === 100 ? 'with --hidden 2, every one of the 100 runs was solved' : `with --hidden 2, ${100 - solvedWith2} of the 100 runs`);
    // Its progress bar is for a terminal: piped, stderr stays empty.
    expect(result.stderr).toBe('');
  }, 600_000);
});
