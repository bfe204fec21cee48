/**
 * Building the page when it is missing or older than its sources. The check is cheap: one
 * stat per source file (a few hundred), against the time the last build started. The page is
 * written into the lab package (lab/dist/web), so a packed lab carries it prebuilt; an
 * installed lab has no sources and serves the page it came with (see FROM_SOURCES).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LAB_ROOT } from '../location.js';

/** The repository root, when the lab runs from its sources (the lab package is its lab/). */
export const PROJECT_ROOT = dirname(LAB_ROOT);
export const WEB_OUT = join(LAB_ROOT, 'dist', 'web');
/** Written after each build, beside (not inside) what is served. */
const STAMP = join(LAB_ROOT, 'dist', 'web-build.json');

/**
 * What the page is built from: the library, the lab but its CLI, server and command-line
 * builds, and the build's own files. Never what is built (lab/dist).
 */
const SOURCE_DIRS = ['packages/nnlab/src', 'lab'];
const SKIPPED_DIRS = new Set(['lab/cli', 'lab/server', 'lab/bin', 'lab/dev', 'lab/dist', 'node_modules']);
const SOURCE_FILES = ['vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** The newest modification time (ms) of the files under `dir` (relative to `root`), tests left out. */
async function newestIn(root: string, dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(relative)) newest = Math.max(newest, await newestIn(root, relative));
    } else if (!entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, (await stat(join(root, relative))).mtimeMs);
    }
  }
  return newest;
}

/** newestSource(root) is the modification time of the newest file the page is built from. */
export async function newestSource(root = PROJECT_ROOT): Promise<number> {
  let newest = 0;
  for (const dir of SOURCE_DIRS) newest = Math.max(newest, await newestIn(root, dir));
  for (const file of SOURCE_FILES) newest = Math.max(newest, await stat(join(root, file)).then((s) => s.mtimeMs, () => 0));
  return newest;
}

/**
 * Why the page needs building ('missing', 'outdated'), or undefined when it is up to date: when
 * no source changed since the last build started.
 */
export async function buildReason(paths = { root: PROJECT_ROOT, out: WEB_OUT, stamp: STAMP }): Promise<'missing' | 'outdated' | undefined> {
  if (!existsSync(join(paths.out, 'index.html'))) return 'missing';
  let started: number;
  try {
    started = (JSON.parse(await readFile(paths.stamp, 'utf8')) as { started: number }).started;
  } catch {
    return 'outdated';
  }
  return (await newestSource(paths.root)) > started ? 'outdated' : undefined;
}

const VITE_BUILD = join(LAB_ROOT, 'server', 'vite-build.mjs');

/** Runs Vite in a child process (vite-build.mjs says why); its warnings and errors show as they come. */
function viteBuildInChild(configFile: string, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE_BUILD, configFile, outDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`the page's build (vite, in ${VITE_BUILD}) failed: ${signal === null ? `exit code ${code}` : `killed by ${signal}`}`));
    });
  });
}

/** Builds started by this process, for unique scratch names. */
let builds = 0;

/**
 * Builds the page with Vite (in a child process) into lab/dist/web, then records when the build
 * started. The build goes to a directory of its own that then takes lab/dist/web's place, so a
 * server never sees half a build, and two builds at once (two `nnlab serve`s starting together)
 * do not mix their files.
 */
export async function buildPage(): Promise<void> {
  const started = Date.now();
  // Names need only be unique, not random: the pid and a per-process counter make them so.
  const unique = `${process.pid}-${started}-${++builds}`;
  const parent = dirname(WEB_OUT);
  const fresh = join(parent, `.web-new-${unique}`);
  const old = join(parent, `.web-old-${unique}`);
  await mkdir(parent, { recursive: true });
  try {
    await viteBuildInChild(join(PROJECT_ROOT, 'vite.config.ts'), fresh);
    await rename(WEB_OUT, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    // Another build may have put its own output in place meanwhile: it is as good as this one.
    await rename(fresh, WEB_OUT).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    await writeFile(STAMP, JSON.stringify({ started }) + '\n');
  } finally {
    await rm(fresh, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}
