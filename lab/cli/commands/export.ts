/**
 * `nnlab export <model.json> --onnx <out.onnx>`: a model file (saveModel's, or the playground's
 * Save model download) as an ONNX file. The file appears whole or not at all: it is written to a
 * temporary file beside the target, flushed, then renamed over it. An existing file of that name
 * is replaced, as `--out` replaces the files it writes.
 *
 * Exit codes as errors.ts gives them: 2 when a path named on the command line cannot be used
 * (no such model file, not a model file, --onnx not writable), 1 when the model has no ONNX form
 * or the write fails midway.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ModelFileError, ONNX_OPSET, OnnxExportError, deserializeModel, exportOnnx } from 'nnlab';
import type { LoadedModel } from 'nnlab';
import { ConfigError } from '../../experiments/index.js';
import { onnxSignature, playgroundSpecOf } from '../../web/playground/onnx-export.js';
import { OutputError } from '../output.js';
import { systemReason } from '../system-errors.js';

export interface ExportOptions {
  /** The ONNX file to write. */
  onnx: string;
}

/** Writes the ONNX file of the model file at `modelPath`, and says where (and, for a playground model, what its input and output hold). */
export async function exportCommand(modelPath: string, options: ExportOptions): Promise<void> {
  const loaded = loadModelText(modelPath, await readModelFile(modelPath));
  let bytes: Uint8Array;
  try {
    bytes = exportOnnx(loaded.model);
  } catch (error) {
    if (error instanceof OnnxExportError) throw new Error(`cannot export ${modelPath} to ONNX: ${error.problems.join('; ')}`, { cause: error });
    throw error;
  }
  await writeWhole(options.onnx, bytes, modelPath);
  const spec = playgroundSpecOf(loaded.config);
  const lines = [`wrote ${options.onnx} (ONNX opset ${ONNX_OPSET}, ${bytes.length} bytes)`];
  if (spec !== null) lines.push(`  a playground network: ${onnxSignature(spec)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function readModelFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') throw new ConfigError(`no model file at ${path}`);
    if (code === 'EISDIR') throw new ConfigError(`${path} is a directory, not a model file`);
    throw new ConfigError(`cannot read ${path}: ${systemReason(error, 'a file')}`);
  }
}

function loadModelText(path: string, text: string): LoadedModel {
  try {
    return deserializeModel(text, { source: path });
  } catch (error) {
    if (error instanceof ModelFileError) throw new ConfigError(`${path} is not a model file nnlab can read: ${printable(error.problems.join('; '))}`);
    throw error;
  }
}

/** Control characters as \xNN: JSON.parse quotes a binary file's bytes, which would move a terminal's cursor. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Writes `bytes` to `path` through a temporary sibling and a rename. Problems found before any
 * byte is written (a directory, a missing parent, no permission) are usage errors naming the
 * user's path; a failure while writing removes the temporary file and leaves `path` as it was.
 */
async function writeWhole(path: string, bytes: Uint8Array, modelPath: string): Promise<void> {
  const cannot = (why: string, code: 1 | 2): never => {
    throw new OutputError(`cannot write --onnx ${path}: ${why}`, code);
  };
  // Replace what a symlink points to, not the link.
  const target = await realpath(path).catch(() => resolve(path));
  if (target === (await realpath(modelPath))) cannot('it is the model file itself; choose another name', 2);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory() === true) cannot('it is a directory', 2);
  const directory = dirname(target);
  if (!((await stat(directory).catch(() => undefined))?.isDirectory() ?? false)) cannot(`there is no directory ${dirname(path)}`, 2);

  const temporary = join(directory, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', existing === undefined ? 0o666 : existing.mode & 0o777);
  } catch (error) {
    cannot(systemReason(error, 'a file'), 2);
  }
  try {
    await handle!.writeFile(bytes);
    await handle!.sync();
    await handle!.close();
    handle = undefined;
    await rename(temporary, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true });
    cannot(`${systemReason(error, 'a file')} (nothing was written there)`, 1);
  }
}

