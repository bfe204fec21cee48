/**
 * Writing a run's files into `--out <dir>` all at once: checked before the run starts, written
 * into a temporary directory, then moved into place only when every file is written; if a move
 * fails, the moves already done are undone, so a failed run leaves the target as it was.
 *
 * An existing directory is written into only if it holds nothing but what nnlab wrote there
 * (listed in its `.nnlab-output.json`), or with `--force`; a read-only file is never replaced.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { systemReason } from './system-errors.js';

/** A problem with `--out`: exit code 2 when found before the run (a usage error), 1 when writing. */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}

export interface OutputFile {
  /** A plain file name (no directories). */
  name: string;
  data: string | Uint8Array;
}

/**
 * A new empty directory `<prefix><random>`, with the usual permissions (mkdtemp's are 0700, and
 * this one becomes the output directory).
 */
async function makeTemporary(prefix: string): Promise<string> {
  const path = prefix + randomBytes(6).toString('hex');
  await mkdir(path);
  return path;
}

async function statOf(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}


export interface OutputOptions {
  /** Write into a directory that holds files nnlab did not write (ours replace any of the same name). */
  force?: boolean;
}

/** The list of files nnlab wrote into an output directory. */
export const MANIFEST = '.nnlab-output.json';

/** Names nnlab uses for its own temporary and probe directories inside the target. */
const OWN_TEMPORARY = /^\.nnlab-(probe|tmp|old)-/;

function refuseEmpty(dir: string): void {
  if (dir === '') throw new OutputError('--out is empty (an unset shell variable?): give the directory to write into; "." is the current one', 2);
}

/** The files nnlab listed as its own in `target` (none when the list is missing or unreadable). */
async function listedFiles(target: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(join(target, MANIFEST), 'utf8')) as { files?: unknown };
    return Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

function listed(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, … (${names.length} in all)`;
}

/** Refuses an existing `target` holding files nnlab did not write, unless forced. */
async function refuseForeign(dir: string, target: string, force: boolean, exitCode: 1 | 2): Promise<void> {
  if (force) return;
  const ours = new Set([...(await listedFiles(target)), MANIFEST]);
  const foreign = (await readdir(target)).filter((name) => !ours.has(name) && !OWN_TEMPORARY.test(name)).sort();
  if (foreign.length > 0) {
    throw new OutputError(`--out ${dir} holds files nnlab did not write (${listed(foreign)}); give --force to write beside them (nnlab's files replace any of the same name), or another --out`, exitCode);
  }
}

/** Refuses to replace, in `target`, an entry of one of `names` that is not a writable regular file. */
async function refuseUnreplaceable(dir: string, target: string, names: readonly string[], exitCode: 1 | 2): Promise<void> {
  for (const name of names) {
    const info = await lstat(join(target, name)).catch(() => undefined);
    if (info === undefined) continue;
    if (!info.isFile()) throw new OutputError(`cannot write to --out ${dir}: ${name} there is not a regular file (nnlab would replace it)`, exitCode);
    if ((info.mode & 0o200) === 0) {
      throw new OutputError(`cannot write to --out ${dir}: ${name} there is read-only; nnlab does not replace a file you protected (make it writable, or remove it)`, exitCode);
    }
  }
}

/**
 * Checks that `dir` can be created (or written, if it exists) by creating and removing a probe
 * directory in it or in its nearest existing ancestor. Creates nothing that outlives the check.
 */
export async function checkOutput(dir: string, options: OutputOptions = {}): Promise<void> {
  refuseEmpty(dir);
  const target = resolve(dir);
  const fail = (why: string): never => {
    throw new OutputError(`cannot write to --out ${dir}: ${why}`, 2);
  };
  try {
    let existing = target;
    let info = await statOf(existing);
    if (info !== undefined && !info.isDirectory()) fail('it exists and is not a directory');
    while (info === undefined) {
      existing = dirname(existing);
      info = await statOf(existing);
    }
    if (!info.isDirectory()) fail(`${existing} is a file, not a directory`);
    await rmdir(await makeTemporary(join(existing, '.nnlab-probe-')));
    if (existing === target) {
      await refuseForeign(dir, target, options.force === true, 2);
      // The files an earlier run wrote are the likely names of this one's.
      await refuseUnreplaceable(dir, target, await listedFiles(target), 2);
    }
  } catch (error) {
    if (error instanceof OutputError) throw error;
    fail(systemReason(error, 'a directory'));
  }
}

/**
 * Writes `files` (and the list of them) into `dir`. A new `dir` appears whole, in one rename.
 * Into an existing one, after the checks of checkOutput again, each file is moved into place
 * (a file of the same name is moved aside first; other files are kept); if any move fails, every
 * move is undone.
 */
export async function writeOutput(dir: string, files: readonly OutputFile[], options: OutputOptions = {}): Promise<void> {
  refuseEmpty(dir);
  const target = resolve(dir);
  let createdParent: string | undefined;
  let staging: string | undefined;
  let aside: string | undefined;
  const undo: (() => Promise<void>)[] = [];
  try {
    const exists = (await statOf(target))?.isDirectory() ?? false;
    const names = files.map((file) => file.name);
    if (exists) {
      await refuseForeign(dir, target, options.force === true, 1);
      await refuseUnreplaceable(dir, target, [...names, MANIFEST], 1);
    } else {
      createdParent = await mkdir(dirname(target), { recursive: true });
    }
    const kept = exists ? (await listedFiles(target)).filter((name) => !names.includes(name)) : [];
    const manifest: OutputFile = { name: MANIFEST, data: JSON.stringify({ nnlabOutput: 1, files: [...kept, ...names].sort() }, null, 2) + '\n' };
    staging = await makeTemporary(exists ? join(target, '.nnlab-tmp-') : join(dirname(target), `.${basename(target)}.tmp-`));
    for (const file of [...files, manifest]) await writeFile(join(staging, file.name), file.data);
    if (!exists) {
      await rename(staging, target);
      staging = undefined;
      return;
    }
    aside = await makeTemporary(join(target, '.nnlab-old-'));
    for (const { name } of [...files, manifest]) {
      const [from, to, old] = [join(staging, name), join(target, name), join(aside, name)];
      if ((await statOf(to)) !== undefined) {
        await rename(to, old);
        undo.push(() => rename(old, to));
      }
      await rename(from, to);
      undo.push(() => rm(to, { force: true }));
    }
    undo.length = 0;
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    if (createdParent !== undefined) await rm(createdParent, { recursive: true, force: true });
    if (error instanceof OutputError) throw error;
    throw new OutputError(`cannot write to --out ${dir}: ${systemReason(error, 'a directory')}`, 1);
  } finally {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
    if (aside !== undefined) await rm(aside, { recursive: true, force: true });
  }
}
