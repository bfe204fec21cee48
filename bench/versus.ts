/**
 * (a) and (d) against another tree of nnlab, taking turns in one process:
 *
 *     npm run bench:versus -- /tmp/base5d          that tree (a checkout: git archive <rev> | tar -x)
 *     npm run bench:versus -- /tmp/base5d --quick  few repetitions: a smoke test
 *     npm run --silent bench:versus -- /tmp/base5d --json   the rows as JSON (npm run bench -- --versus reads it)
 *
 * `npm run bench -- --baseline` compares with a run timed on another day, on a machine whose
 * speed has moved since (this VM's by 0.5–1.0× within a day), so its "not slower" verdicts divide
 * by the other libraries' change and still move by several per cent. Here both sides run in
 * one process, a sample of each in turn (measureInterleaved), so the machine's drift reaches
 * both. Each side is versus/entry.ts bundled by esbuild against that tree's sources (its
 * `packages/nnlab/src` for 'nnlab' and its `lab/web/playground`): bundles, since two copies of
 * the sources loaded through tsx do not run alike. The first values must agree, and a row
 * passes at after/before ≤ GOALS.notSlower.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GOALS } from './goals.js';
import { relativeDifference } from './first-values.js';
import { formatRatio, formatTable } from './table.js';
import { FULL_TIMING, QUICK_TIMING, formatDuration, measureInterleaved } from './timing.js';
import type { Timing, TimingOptions } from './timing.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const THIS_TREE = path.resolve(HERE, '..');
const ENTRY = path.join(HERE, 'versus', 'entry.ts');
const USAGE = 'usage: npm run bench:versus -- <tree> [--quick] [--json]   (<tree>: another checkout of nnlab, e.g. git archive <rev> | tar -x -C <tree>)';

type Makers = Record<string, () => () => number>;

export interface VersusRow {
  name: string;
  before?: Timing;
  after?: Timing;
  /** after/before of the medians. */
  ratio?: number;
  firstValues: { before: number; after: number };
  error?: string;
}

/** The tree's nnlab entry (packages/nnlab/src/index.ts); throws when the tree has none. */
export function nnlabSources(tree: string): string {
  const nnlab = path.join(tree, 'packages', 'nnlab', 'src', 'index.ts');
  if (!existsSync(nnlab)) throw new Error(`bench:versus: ${tree} is not a tree of nnlab (no packages/nnlab/src/index.ts)`);
  return nnlab;
}

/** The entry bundled against `tree`'s sources, as an ES module file in `dir`; returns its path. */
export async function bundleFor(tree: string, dir: string, name: string): Promise<string> {
  const nnlab = nnlabSources(tree);
  const outfile = path.join(dir, `${name}.mjs`);
  // Loaded here, not at the top: `npm run bench` imports this file without --versus too.
  const { build } = await import('esbuild');
  await build({
    // The same entry for both sides, its imports resolved from the tree's root (esbuild
    // resolves stdin's imports from an existing directory; the other tree may lack bench/versus/).
    stdin: { contents: (await readFile(ENTRY, 'utf8')).replaceAll("from '../../", "from './"), resolveDir: tree, sourcefile: 'entry.ts', loader: 'ts' },
    alias: { nnlab },
    nodePaths: [path.join(THIS_TREE, 'node_modules')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/**
 * Whether two first values come from the same computation: equal within the bench's relative
 * tolerance (1e-4), since the trees' float32 kernels may round differently in the last bits.
 */
export function sameComputation(before: number, after: number): boolean {
  return Object.is(before, after) || relativeDifference(after, before) <= FIRST_VALUE_TOLERANCE;
}
const FIRST_VALUE_TOLERANCE = 1e-4;

/** Times each maker of `before` and `after` taking turns, after checking their first values agree. */
export function versus(before: Makers, after: Makers, timing: TimingOptions): VersusRow[] {
  return Object.keys(after).map((name): VersusRow => {
    const make = before[name];
    if (make === undefined) return { name, firstValues: { before: NaN, after: NaN }, error: 'the other tree has no such workload' };
    const stepBefore = make();
    const stepAfter = after[name]();
    const firstValues = { before: stepBefore(), after: stepAfter() };
    if (!sameComputation(firstValues.before, firstValues.after)) {
      return { name, firstValues, error: `the first values differ (${firstValues.before} before, ${firstValues.after} after): not the same computation` };
    }
    const timed = measureInterleaved({ before: stepBefore, after: stepAfter }, timing);
    if ('error' in timed.before || 'error' in timed.after) {
      const error = 'error' in timed.before ? `before: ${timed.before.error}` : `after: ${(timed.after as { error: string }).error}`;
      return { name, firstValues, error };
    }
    return { name, firstValues, before: timed.before, after: timed.after, ratio: timed.after.medianMs / timed.before.medianMs };
  });
}

export function formatVersus(rows: readonly VersusRow[], tree: string): string[] {
  const table = rows.map((r) => [
    r.name,
    Object.is(r.firstValues.before, r.firstValues.after) ? String(r.firstValues.after) : `${r.firstValues.before} → ${r.firstValues.after}`,
    r.before === undefined ? '—' : formatDuration(r.before.medianMs),
    r.after === undefined ? '—' : formatDuration(r.after.medianMs),
    r.ratio === undefined ? '—' : formatRatio(r.ratio),
    r.error !== undefined ? `ERROR: ${r.error}` : r.ratio! <= GOALS.notSlower ? 'PASS' : 'FAIL',
  ]);
  return [
    `this tree (after) against ${tree} (before), taking turns in one process; after/before of the medians,`,
    `a row passes at ≤ ${GOALS.notSlower}; the first values agree to 1e-4 (the trees' float32 kernels may round differently):`,
    formatTable(['workload', 'first value', 'before', 'after', 'after/before', 'verdict'], table),
  ];
}

/** This tree against `tree` (see the header): both bundled into a temporary folder, then timed. */
export async function runVersus(tree: string, timing: TimingOptions): Promise<VersusRow[]> {
  nnlabSources(tree);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nnlab-versus-'));
  try {
    const [beforeFile, afterFile] = [await bundleFor(tree, dir, 'before'), await bundleFor(THIS_TREE, dir, 'after')];
    const before = ((await import(pathToFileURL(beforeFile).href)) as { makers: Makers }).makers;
    const after = ((await import(pathToFileURL(afterFile).href)) as { makers: Makers }).makers;
    return versus(before, after, timing);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The after/before ratios of workload `id`'s rows ('(a) …'), by name, for the not-slower
 * verdicts: NaN for a row that could not be timed, which no verdict passes.
 */
export function versusRatios(rows: readonly VersusRow[], id: 'a' | 'd'): Record<string, number> {
  return Object.fromEntries(rows.filter((r) => r.name.startsWith(`(${id}) `)).map((r) => [r.name, r.ratio ?? NaN]));
}

/**
 * runVersus in a child process (`bench/versus.ts <tree> --json`), for `npm run bench -- --versus`:
 * the bench's process already has a copy of nnlab, and with three loaded the last runs slower.
 * Its progress goes to `log`; a failure to run at all throws, naming the child's error.
 */
export function runVersusChild(tree: string, quick: boolean, log: (line: string) => void): { tree: string; rows: VersusRow[] } {
  log(`  (a), (d) against ${tree}, taking turns in a child process…`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), tree, '--json', ...(quick ? ['--quick'] : [])], {
    cwd: THIS_TREE, encoding: 'utf8', maxBuffer: 1 << 24,
  });
  if (child.status !== 0 && child.status !== 1) throw new Error(child.stderr.trim().split('\n').pop() || `bench:versus exited with ${child.status}`);
  return JSON.parse(child.stdout) as { tree: string; rows: VersusRow[] };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new Error(`bench:versus: expected one tree, got ${positionals.length}\n${USAGE}`);
  const tree = path.resolve(positionals[0]);
  nnlabSources(tree);
  process.stderr.write(`bundling versus/entry.ts against ${tree} and this tree, then timing them in turns…\n`);
  const rows = await runVersus(tree, values.quick ? QUICK_TIMING : FULL_TIMING);
  process.stdout.write(values.json ? `${JSON.stringify({ tree, rows }, null, 2)}\n` : `${formatVersus(rows, tree).join('\n')}\n`);
  if (rows.some((r) => r.error !== undefined || r.ratio! > GOALS.notSlower)) process.exitCode = 1;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
