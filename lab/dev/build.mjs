/**
 * Builds what the nnlab command runs in the repository: the lab's CLI, bundled by esbuild into
 * lab/dist/cli, and the library it imports (packages/nnlab/dist, by the library's own build)
 * when its sources changed. Node only; repository only (esbuild and tsx are dev dependencies).
 *
 *     node lab/dev/build.mjs          the CLI (npm run build:lab)
 *     node lab/dev/build.mjs --pack   the CLI, its older builds removed, and the page if stale:
 *                                     what the lab package ships (its prepack script)
 *
 * Why esbuild, bundling: a few files start faster than the hundred-odd modules tsc would
 * write (Node's loader pays per module), and a build takes well under a second, so the nnlab
 * command can rebuild a stale CLI itself. Type checking stays with `tsc --noEmit -p .`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_ENTRIES, CLI_OUT, CLI_STAMP, REPO, cliBuildReason, libraryBuildReason } from './stale.mjs';

/** Held while a command rebuilds, so commands started together build once. */
const LOCK = join(REPO, 'lab', 'dist', '.build-lock');

/** Writes `data` beside `file`, then renames it into place: a reader sees the old file or the new one. */
function writeWhole(file, data) {
  const scratch = `${file}.${process.pid}.tmp`;
  writeFileSync(scratch, data);
  renameSync(scratch, file);
}

/**
 * buildCli({ keepPrevious }) bundles the CLI and the sweep's worker into lab/dist/cli. 'nnlab'
 * stays an import of the library package (node_modules/nnlab → packages/nnlab/dist), as for any
 * user of it; so do the other packages. Dynamic imports (the renderer, the sweep, Vite) become
 * chunks loaded by the commands that need them.
 *
 * A command may start while this runs: chunks are named by their content and written first,
 * the entries last, each file whole, so it runs one build or the other. The previous build's
 * files are kept (a running command may still load one of its chunks) unless keepPrevious is
 * false; older ones are removed.
 */
export async function buildCli({ keepPrevious = true } = {}) {
  const started = Date.now();
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(CLI_ENTRIES).map(([name, source]) => [name, join(REPO, source)])),
    absWorkingDir: REPO,
    outdir: CLI_OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // tsconfig.json maps 'nnlab' to the library's source (for tsc and tsx): keep it a package import.
    external: ['nnlab'],
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  mkdirSync(CLI_OUT, { recursive: true });
  const entry = (file) => Object.keys(CLI_ENTRIES).some((name) => basename(file).startsWith(`${name}.js`));
  const files = [...result.outputFiles.filter((f) => !entry(f.path)), ...result.outputFiles.filter((f) => entry(f.path))];
  for (const file of files) {
    const exists = statSync(file.path, { throwIfNoEntry: false }) !== undefined;
    if (entry(file.path) || !exists) writeWhole(file.path, file.contents);
  }
  const outputs = files.map((f) => basename(f.path));
  const previous = keepPrevious ? previousOutputs() : [];
  const keep = new Set([...outputs, ...previous, basename(CLI_STAMP)]);
  for (const name of readdirSync(CLI_OUT)) if (!keep.has(name)) rmSync(join(CLI_OUT, name), { force: true });
  // The build's own script decides the output too.
  const inputs = [...Object.keys(result.metafile.inputs), 'lab/dev/build.mjs', 'tsconfig.json'];
  writeWhole(CLI_STAMP, JSON.stringify({ started, inputs, outputs }, null, 1) + '\n');
}

function previousOutputs() {
  try {
    return JSON.parse(readFileSync(CLI_STAMP, 'utf8')).outputs ?? [];
  } catch {
    return [];
  }
}

/** Runs the library's own build (npm run build:lib); its output is shown only if it fails. */
function buildLibrary() {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build:lib'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Whether the process that took the lock is gone (killed mid-build): then the lock is stale. */
function lockAbandoned() {
  let pid;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    // Taken but no pid yet: its owner is between two calls, unless that was long ago.
    const made = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs;
    return made === undefined || Date.now() - made > 10_000;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

async function withLock(work) {
  mkdirSync(dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (lockAbandoned()) rmSync(LOCK, { recursive: true, force: true });
    // NOTE: another command is building (a few seconds at most); waiting on it is the point.
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    writeFileSync(join(LOCK, 'pid'), String(process.pid));
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * buildStale({ say }) brings the library build and the CLI up to date, each only if it is
 * stale, once for commands started together. `say` hears what is built and why. A library
 * build that reports type errors but writes its output still counts, as tsx ran such code
 * before; the command says so.
 */
export async function buildStale({ say = () => {} } = {}) {
  await withLock(async () => {
    const library = libraryBuildReason();
    if (library !== undefined) {
      say(`building the library (${library})…`);
      const { code, output } = await buildLibrary();
      if (code !== 0 && libraryBuildReason() !== undefined) throw new Error(`the library's build (npm run build:lib) failed (exit code ${code}):\n${output}`);
      if (code !== 0) process.stderr.write('nnlab: warning: the library built with errors (npm run build:lib shows them)\n');
    }
    const cli = cliBuildReason();
    if (cli !== undefined) {
      say(`building the CLI (${cli})…`);
      await buildCli();
    }
  });
}

/** The page, as `nnlab serve` builds it (lab/server/build.ts, run through tsx). */
async function buildPageIfStale() {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: join(REPO, 'tsconfig.json') });
  const { buildPage, buildReason } = await import(pathToFileURL(join(REPO, 'lab', 'server', 'build.ts')).href);
  if ((await buildReason()) !== undefined) await buildPage();
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pack = process.argv.includes('--pack');
  await withLock(() => buildCli({ keepPrevious: !pack }));
  if (pack) await buildPageIfStale();
}
