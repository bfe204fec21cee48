/**
 * The nnlab command when its standard streams fail, spawned as a user runs it: stdout on a full
 * device (`> /dev/full`) is one `nnlab:` line on stderr and exit 1; a reader that stopped
 * reading (`| head`, EPIPE) ends it quietly with 0; stderr on a full device is no crash: the
 * command ends with its own exit code (stderr carries only errors, which exit non-zero already,
 * and a terminal's progress). Never a stack trace.
 *
 * A closed pipe is made without a race: a FIFO opened for reading, then for writing, then its
 * reading end closed before the command starts, so its first write meets EPIPE.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, nn, saveModel } from '../packages/nnlab/src/index.js';

const BIN = fileURLToPath(new URL('../lab/bin/nnlab.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-streams-test-'));
/** Each sweep writes a results file of its own (a resumed sweep would print nothing to fail on). */
let sweepFiles = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the command wrote on the stream that still works ('' when it is the failing one). */
  text: string;
}

/** Runs nnlab with `stream` (1: stdout, 2: stderr) on file descriptor `fd`, the other on a pipe. */
function nnlabWith(stream: 1 | 2, fd: number, args: readonly string[]): Promise<Ended> {
  const stdio: ['ignore', number | 'pipe', number | 'pipe'] = ['ignore', stream === 1 ? fd : 'pipe', stream === 2 ? fd : 'pipe'];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: scratch, stdio, env: { ...process.env, NNLAB_DEBUG: '' } });
  let text = '';
  const other = stream === 1 ? child.stderr : child.stdout;
  other?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, text })));
}

function onFullDevice(stream: 1 | 2, args: readonly string[]): Promise<Ended> {
  const fd = openSync('/dev/full', 'w');
  return nnlabWith(stream, fd, args).finally(() => closeSync(fd));
}

let fifos = 0;
/** A pipe whose reader has gone: its write end, for the command's stdout. */
function closedPipe(): number {
  const fifo = join(scratch, `fifo-${++fifos}`);
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, constants.O_WRONLY);
  closeSync(reader);
  return writer;
}

let modelFile = '';
beforeAll(async () => {
  modelFile = join(scratch, 'model.json');
  await saveModel(modelFile, new nn.Sequential([new nn.Dense(2, 2, { activation: 'tanh', rng: new Generator(1) }), new nn.Dense(2, 1, { rng: new Generator(2) })]));
});

/** Commands that write their result on stdout, each small enough to run in well under a second. */
const COMMANDS: Record<string, () => string[]> = {
  list: () => ['list'],
  'run two-layer': () => ['run', 'two-layer', '--epochs', '10', '--no-live'],
  'run --json': () => ['run', 'two-layer', '--epochs', '10', '--json'],
  'run --help': () => ['run', 'two-layer', '--help'],
  sweep: () => ['sweep', 'two-layer', '--epochs', '10', '--seeds', '2', '--workers', '1', '--file', join(scratch, `sweep-${++sweepFiles}.jsonl`)],
  export: () => ['export', modelFile, '--onnx', join(scratch, 'model.onnx')],
};

describe('nnlab with a failing stdout', () => {
  it.each(Object.keys(COMMANDS))('nnlab %s > /dev/full: one nnlab: line on stderr naming standard output and the reason, exit 1', async (name) => {
    const ended = await onFullDevice(1, COMMANDS[name]());
    expect(ended.text).toBe('nnlab: cannot write to standard output: no space left on device (ENOSPC)\n');
    expect(ended).toMatchObject({ code: 1, signal: null });
  });

  it.each(Object.keys(COMMANDS))('nnlab %s | (a reader that has stopped): exits 0 with nothing on stderr, as Unix filters end under head', async (name) => {
    const fd = closedPipe();
    const ended = await nnlabWith(1, fd, COMMANDS[name]()).finally(() => closeSync(fd));
    expect(ended).toEqual({ code: 0, signal: null, text: '' });
  });
});

describe('nnlab with a failing stderr', () => {
  it('nnlab run <unknown> 2> /dev/full: exits with its usage error 2, not a crash', async () => {
    expect(await onFullDevice(2, ['run', 'no-such-experiment'])).toEqual({ code: 2, signal: null, text: '' });
  });

  it('nnlab list 2> /dev/full (nothing to say on stderr) exits 0 with its list on stdout', async () => {
    const ended = await onFullDevice(2, ['list']);
    expect(ended).toMatchObject({ code: 0, signal: null });
    expect(ended.text).toContain('two-layer');
  });
});
