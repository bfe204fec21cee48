/**
 * `nnlab report` shows its progress on stderr only when stderr is a terminal. The real command
 * runs twice, to the end (it has no smaller configuration): once under a pseudo-terminal made by
 * util-linux `script`, once with plain pipes. Each bar draws its first frame the moment it starts
 * (no delay), so what the terminal shows depends on the program's steps, not on the clock.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { experiments } from '../lab/experiments/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'lab', 'bin', 'nnlab.js');
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-report-progress-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to its end and collects what it wrote. */
function collect(command: string, args: readonly string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NNLAB_DEBUG: '' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

const quoted = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * `nnlab report --out <out>` with stdout and stderr on one pseudo-terminal of 120 columns
 * (`script` gives the child a terminal of its own; a terminal without a size would leave the bar
 * no room for its status). What the terminal showed comes back as `stdout`.
 */
function reportOnTerminal(out: string): Promise<Result> {
  const command = ['stty cols 120 rows 40;', 'exec', ...[process.execPath, BIN, 'report', '--out', out].map(quoted)].join(' ');
  return collect('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null']);
}

/**
 * What the terminal showed, frame by frame: the bar redraws its line from column 1 (ESC [1G), so
 * that and line breaks split it; the other escape sequences (colours, cursor saves) are left out.
 */
function screenLines(text: string): string[] {
  const frames = text.replace(/\x1b\[\d*G/g, '\n');
  const plain = frames.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
  return plain.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
}

describe.skipIf(!hasScript)('nnlab report: progress on a terminal only', () => {
  const terminalOut = join(scratch, 'terminal');
  const pipedOut = join(scratch, 'piped');
  // Both at once, started by the first test that needs them: two whole reports side by side rather than one after the other.
  let started: Promise<[Result, Result]> | undefined;
  const runs = () => (started ??= Promise.all([reportOnTerminal(terminalOut), collect(process.execPath, [BIN, 'report', '--out', pipedOut])]));

  it('on a terminal, a bar follows the experiments (from its first frame, before the renderer loads), then the sweep’s runs, and is cleared before the last line', async () => {
    const [terminal] = await runs();
    expect(terminal.code).toBe(0);
    const lines = screenLines(terminal.stdout);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^report .* 0% \\| 0/${experiments.length} experiments \\| loading the renderer`)));
    expect(lines).toContainEqual(expect.stringMatching(/^report: sweep .* \d+% \| \d+\/\d+ runs \| \d+(\.\d+)?% solved/));
    expect(lines.at(-1)).toBe(`wrote ${join(terminalOut, 'index.html')}`);
    // The bar's line is erased (ESC [2K) before that line is written on it.
    expect(terminal.stdout).toContain(`\x1b[2Kwrote ${join(terminalOut, 'index.html')}`);
  });

  it('through a pipe, stderr stays empty and stdout has only the line that names the file', async () => {
    const [, piped] = await runs();
    expect(piped).toEqual({ code: 0, stdout: `wrote ${join(pipedOut, 'index.html')}\n`, stderr: '' });
  });
});
