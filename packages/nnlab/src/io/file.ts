/**
 * Model files on disk (Node only; in a browser saveModel and loadModel reject with an error that
 * points to serializeModel / deserializeModel). Node's modules are reached when a function runs,
 * through kernels/platform.ts (the one place that tells Node from a browser, by
 * process.getBuiltinModule): no import of 'node:…' anywhere, so a browser bundle of nnlab has
 * nothing to leave out and bundlers have nothing to warn about.
 *
 *     await saveModel('xor.json', model, { config, metadata: { epochs: 2000 } });
 *     const { model } = await loadModel('xor.json');
 */
import type { FileHandle } from 'node:fs/promises';
import type { Module } from '../nn/module.js';
import { serializeModel } from './write.js';
import { deserializeModel } from './read.js';
import type { DeserializeOptions, LoadedModel, SerializeOptions } from './format.js';
import { nodeBuiltin, requireNode } from '../kernels/platform.js';

type FileSystem = typeof import('node:fs/promises');
type Paths = typeof import('node:path');

/** Node's file system and path modules, or an error naming `op` and what to use instead. */
function nodeFiles(op: string, alternative: string): { pid: number; fs: FileSystem; paths: Paths } {
  const { pid, versions } = requireNode(op, 'a file system (node:fs)', alternative);
  const fs = nodeBuiltin<FileSystem>('node:fs/promises');
  const paths = nodeBuiltin<Paths>('node:path');
  if (fs === undefined || paths === undefined) throw new Error(`${op}: needs Node 20.16 or later (process.getBuiltinModule); this is Node ${versions.node}`);
  return { pid, fs, paths };
}

/** Options of {@link saveModel}: those of {@link serializeModel}. */
export type SaveOptions = SerializeOptions;
/** Options of {@link loadModel}: those of {@link deserializeModel}, the source being the path. */
export type LoadOptions = Omit<DeserializeOptions, 'source'>;

/** Makes temp-file names unique within this process; the pid separates processes. */
let saves = 0;

/**
 * saveModel(path, model, { config, metadata }) writes the model file atomically: the text goes
 * to a new temp file beside `path`, is flushed to disk, and is then renamed over `path`. A crash
 * or error at any point leaves either the previous file or the complete new one, never a part;
 * on error the temp file is removed and the error names the path.
 */
export async function saveModel(path: string, model: Module, options: SaveOptions = {}): Promise<void> {
  let text: string;
  try {
    text = serializeModel(model, options);
  } catch (error) {
    throw new Error(`save: nothing was written to ${path}: ${errorMessage(error)}`, { cause: error });
  }
  const { pid, fs, paths } = nodeFiles('save', 'serializeModel(model) gives the file\'s text to store elsewhere');
  const { basename, dirname, join } = paths;

  // Replace what a symlink points to, not the link (a dangling one too); keep an existing file's permissions.
  const target = await linkTarget(fs, paths, path);
  const mode = await fs.stat(target).then((s) => s.mode & 0o777, () => 0o666);
  const directory = dirname(target);
  const temp = join(directory, `.${basename(target)}.${pid}-${++saves}-${Date.now()}.tmp`);
  let handle: FileHandle | undefined;
  let created = false;
  try {
    handle = await fs.open(temp, 'wx', mode); // 'wx': never reuse a file another writer owns
    created = true;
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (created) await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`save: could not write ${path} (any previous file there is unchanged): ${errorMessage(error)}`, { cause: error });
  }
  await syncDirectory(fs, directory);
}

/** Symlinks followed before a save gives up (as the system's own limit on a chain, ELOOP). */
const MAX_LINKS = 40;

/**
 * The file a save to `path` writes: `path` itself, or, through symlinks, the file they end at,
 * whether or not it exists yet (realpath fails on a dangling link).
 */
async function linkTarget(fs: FileSystem, paths: Paths, path: string): Promise<string> {
  let current = path;
  for (let links = 0; links < MAX_LINKS; links++) {
    const info = await fs.lstat(current).catch(() => undefined);
    if (info === undefined || !info.isSymbolicLink()) return current;
    current = paths.resolve(paths.dirname(current), await fs.readlink(current));
  }
  throw new Error(`save: nothing was written to ${path}: more than ${MAX_LINKS} symlinks in a chain (a loop?)`);
}

/** Flushes the directory entry of the rename, so the new file survives a power loss. */
async function syncDirectory(fs: FileSystem, directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a directory. The file is already complete and in place.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * loadModel(path, { into, rng }) → { model, config, metadata }: reads a file saveModel wrote.
 * Every problem with the file is reported in one ModelFileError that names the path.
 */
export async function loadModel<M extends Module>(path: string, options: LoadOptions & { into: M }): Promise<LoadedModel<M>>;
export async function loadModel(path: string, options?: LoadOptions): Promise<LoadedModel>;
export async function loadModel(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const { fs } = nodeFiles('load', 'deserializeModel(text) reads a model file\'s text');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') throw new Error(`load: no model file at ${path}`, { cause: error });
    if (code === 'EISDIR') throw new Error(`load: ${path} is a directory, not a model file`, { cause: error });
    throw new Error(`load: cannot read ${path}: ${errorMessage(error)}`, { cause: error });
  }
  return deserializeModel(text, { ...options, source: path });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
