/**
 * Nothing the user owns is lost (issue #14): `--out` never writes over a directory of the user's
 * files without --force, never reads "" as the current directory, never replaces a read-only
 * file, and a failed write leaves the target as it was; `sweep --file` never takes over a file
 * that is not a sweep's; saveModel through a dangling symlink writes the link's target.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator, loadModel, nn, saveModel } from '../packages/nnlab/src/index.js';

const BIN = fileURLToPath(new URL('../lab/bin/nnlab.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-data-loss-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function nnlab(args: readonly string[], cwd = scratch): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

let dirs = 0;
function freshDir(files: Record<string, string> = {}): string {
  const dir = join(scratch, `d${++dirs}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Every entry of `dir` (recursively): name, inode and content, to tell "as it was" from "rewritten the same". */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((name) => {
    const path = join(dir, name);
    const info = lstatSync(path);
    return `${name} ${info.ino} ${info.mode} ${info.isFile() ? readFileSync(path, 'base64') : 'dir'}`;
  });
}

function expectOneLine(result: { code: number; stderr: string }, code: number, message: string | RegExp): void {
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message instanceof RegExp ? message : new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n$`));
  expect(result.code).toBe(code);
}

const quickRun = ['run', 'logistic-regression', '--epochs', '10'];

describe('--out', () => {
  it('run --out "" (an unset variable) is a usage error; the current directory is untouched', async () => {
    const cwd = freshDir({ 'index.html': 'mine' });
    for (const args of [[...quickRun, '--out', ''], ['report', '--out', '']]) {
      const result = await nnlab(args, cwd);
      expectOneLine(result, 2, 'nnlab: --out is empty (an unset shell variable?): give the directory to write into; "." is the current one');
    }
    expect(readdirSync(cwd)).toEqual(['index.html']);
    expect(readFileSync(join(cwd, 'index.html'), 'utf8')).toBe('mine');
  });

  it('run --out <a directory of the user\'s files> asks for --force and writes nothing; with --force it writes beside them', async () => {
    const out = freshDir({ 'index.html': 'mine', 'notes.txt': 'notes' });
    const before = snapshot(out);
    const refused = await nnlab([...quickRun, '--out', out]);
    expectOneLine(refused, 2, `nnlab: --out ${out} holds files nnlab did not write (index.html, notes.txt); give --force to write beside them (nnlab's files replace any of the same name), or another --out`);
    expect(snapshot(out)).toEqual(before);
    const forced = await nnlab([...quickRun, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('notes');
    expect(readdirSync(out)).toContain('records.json');
    // What nnlab wrote is its own from now on: the next run needs no --force, the user's files still count.
    expect((await nnlab([...quickRun, '--seed', '2', '--out', out, '--force'])).code).toBe(0);
    const list = JSON.parse(readFileSync(join(out, '.nnlab-output.json'), 'utf8')) as { files: string[] };
    expect(list.files).toContain('records.json');
    expect(list.files).not.toContain('notes.txt');
  });

  it('run --out <a directory nnlab wrote> replaces its files without --force', async () => {
    const out = join(scratch, `nnlab-wrote-${++dirs}`);
    expect((await nnlab([...quickRun, '--out', out])).code).toBe(0);
    const first = readFileSync(join(out, 'records.json'), 'utf8');
    expect((await nnlab([...quickRun, '--seed', '2', '--out', out])).code).toBe(0);
    expect(readFileSync(join(out, 'records.json'), 'utf8')).not.toBe(first);
  });

  it('a write that cannot finish (records.json is now a directory) leaves every file as it was', async () => {
    const out = join(scratch, `fails-part-way-${++dirs}`);
    expect((await nnlab(['run', 'two-layer', '--epochs', '10', '--out', out])).code).toBe(0);
    rmSync(join(out, 'records.json'));
    mkdirSync(join(out, 'records.json'));
    const before = snapshot(out);
    const result = await nnlab(['run', 'two-layer', '--epochs', '20', '--out', out, '--force']);
    expectOneLine(result, 2, `nnlab: cannot write to --out ${out}: records.json there is not a regular file (nnlab would replace it)`);
    expect(snapshot(out)).toEqual(before);
  });

  it('a read-only records.json is never replaced: refused with its name', async () => {
    const out = join(scratch, `read-only-${++dirs}`);
    expect((await nnlab([...quickRun, '--out', out])).code).toBe(0);
    chmodSync(join(out, 'records.json'), 0o444);
    const before = snapshot(out);
    const result = await nnlab([...quickRun, '--seed', '2', '--out', out]);
    expectOneLine(result, 2, `nnlab: cannot write to --out ${out}: records.json there is read-only; nnlab does not replace a file you protected (make it writable, or remove it)`);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('sweep --file', () => {
  it("sweep --file notes.txt (not a sweep's file, no newline) is refused and the notes are kept", async () => {
    const dir = freshDir({ 'notes.txt': 'my notes' });
    const result = await nnlab(['sweep', 'two-layer', '--epochs', '10', '--seeds', '1', '--workers', '1', '--file', 'notes.txt'], dir);
    expectOneLine(result, 2, /^nnlab: sweep: notes\.txt is not an nnlab sweep results file \(line 1 is not a sweep header: "my notes"\)/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes');
  });
});

describe('saveModel', () => {
  it('saveModel(path) through a dangling symlink writes the link\'s target and keeps the link', async () => {
    const dir = freshDir();
    const link = join(dir, 'model.json');
    symlinkSync('saved/target.json', link);
    mkdirSync(join(dir, 'saved'));
    const model = new nn.Dense(2, 1, { rng: new Generator(1) });
    await saveModel(link, model);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('saved/target.json');
    expect(statSync(join(dir, 'saved', 'target.json')).isFile()).toBe(true);
    expect((await loadModel(link)).model).toBeDefined();
    expect(existsSync(join(dir, 'saved', 'target.json'))).toBe(true);
  });
});
