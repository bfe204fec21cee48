/**
 * Writing a run's files into `--out <dir>` all at once: checked before the run starts, written
 * into a temporary directory beside the target, then renamed into place, so a failed or
 * interrupted run never leaves a half-written directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
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


/**
 * Checks that `dir` can be created (or written, if it exists) by creating and removing a probe
 * directory in it or in its nearest existing ancestor. Creates nothing that outlives the check.
 */
export async function checkOutput(dir: string): Promise<void> {
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
  } catch (error) {
    if (error instanceof OutputError) throw error;
    fail(systemReason(error, 'a directory'));
  }
}

/**
 * Writes `files` into `dir`. A new `dir` appears whole, in one rename; into an existing one each
 * file is renamed into place (replacing a file of the same name; other files are kept).
 */
export async function writeOutput(dir: string, files: readonly OutputFile[]): Promise<void> {
  const target = resolve(dir);
  let createdParent: string | undefined;
  let staging: string | undefined;
  try {
    const exists = (await statOf(target))?.isDirectory() ?? false;
    if (!exists) createdParent = await mkdir(dirname(target), { recursive: true });
    staging = await makeTemporary(exists ? join(target, '.nnlab-tmp-') : join(dirname(target), `.${basename(target)}.tmp-`));
    for (const file of files) await writeFile(join(staging, file.name), file.data);
    if (exists) {
      for (const file of files) await rename(join(staging, file.name), join(target, file.name));
      await rm(staging, { recursive: true, force: true });
    } else {
      await rename(staging, target);
    }
  } catch (error) {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
    if (createdParent !== undefined) await rm(createdParent, { recursive: true, force: true });
    throw new OutputError(`cannot write to --out ${dir}: ${systemReason(error, 'a directory')}`, 1);
  }
}
