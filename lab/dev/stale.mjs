/**
 * Whether what the nnlab command runs is older than its sources: the compiled CLI (lab/dist/cli)
 * and the library build it imports (packages/nnlab/dist). Cheap enough to ask before every
 * command in the repository: one stat per file (a few hundred), no build tool loaded.
 * Node only; repository only (not in the lab package).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_OUT = join(REPO, 'lab', 'dist', 'cli');
/** Written after each CLI build: when it started, the sources it read, the files it wrote. */
export const CLI_STAMP = join(CLI_OUT, 'build.json');
/** What the nnlab command imports first (lab/bin/nnlab.js) and what a sweep's threads start. */
export const CLI_ENTRIES = { nnlab: 'lab/cli/main.ts', 'node-worker': 'lab/sweep/node-worker.ts' };

const LIBRARY = join(REPO, 'packages', 'nnlab');

function mtime(file) {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

/**
 * cliBuildReason() is why lab/dist/cli needs building ('not built yet', '<source> changed'), or
 * undefined when no source it was built from changed since that build started. (A stamp and
 * the root its sources are named from can be given: the tests do.)
 */
export function cliBuildReason(stampFile = CLI_STAMP, root = REPO) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return 'not built yet';
  }
  const out = join(stampFile, '..');
  if (Object.keys(CLI_ENTRIES).some((name) => mtime(join(out, `${name}.js`)) === undefined)) return 'not built yet';
  // A source that is gone counts as changed.
  const changed = stamp.inputs.find((input) => !((mtime(join(root, input)) ?? Infinity) <= stamp.started));
  return changed === undefined ? undefined : `${changed} changed`;
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !/\.(test|fixture|d)\.ts$/.test(entry.name)) yield path;
  }
}

/**
 * libraryBuildReason(root) is why the library's dist needs building ('not built yet',
 * 'src/<file> changed'), or undefined when every source (tests and fixtures aside) is older than
 * the bundle its build writes last, dist/nnlab.js (packages/nnlab/scripts/bundle.mjs, after tsc
 * has written the declarations).
 */
export function libraryBuildReason(root = LIBRARY) {
  const src = join(root, 'src');
  const built = mtime(join(root, 'dist', 'nnlab.js'));
  if (built === undefined) return 'not built yet';
  for (const source of sourceFiles(src)) {
    if (built < mtime(source)) return `${relative(root, source)} changed`;
  }
  return undefined;
}
