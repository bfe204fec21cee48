/**
 * Runs once before any test file: builds the lab's page when it is missing or stale. Every
 * browser test file (and lab/server/serve.test.ts) starts its own `nnlab serve`, which builds a
 * stale page itself; started in parallel on a fresh clone, those builds swap dist/web under each
 * other's servers, and a page loading at that moment misses its assets. Built here first, every
 * server finds the page up to date. Skipped when the test files named on the command line
 * (paths, as in `vitest run src/kernels`) start no server.
 */
import { buildPage, buildReason } from '../lab/server/build.js';

/** Where the test files that start `nnlab serve` live. */
const SERVING = ['test/e2e/', 'lab/server/'];

/** The path filters on the command line (words that look like paths); none: every file runs. */
function pathFilters(argv: readonly string[]): string[] {
  return argv.slice(2).filter((arg) => !arg.startsWith('-') && (arg.includes('/') || arg.endsWith('.ts')));
}

export default async function setup(): Promise<void> {
  const filters = pathFilters(process.argv);
  const serves = filters.map((f) => f.replace(/^\.\//, '')).some((f) => SERVING.some((dir) => dir.startsWith(f) || f.startsWith(dir)));
  if (filters.length > 0 && !serves) return;
  if ((await buildReason()) !== undefined) await buildPage();
}
