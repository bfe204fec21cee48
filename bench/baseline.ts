/**
 * Before and after: this run against a previous `--json` output (`--baseline <file.json>`),
 * row by row and library by library, as after/before ratios of the medians (< 1: faster now).
 * Rows match by their letter and title, so a baseline taken at an older commit compares with
 * every row both runs have; the scale table (e) matches by batch × width. Apart from reading
 * the file, pure functions of the two documents.
 */
import { readFileSync } from 'node:fs';
import { formatDuration, percentile } from './timing.js';
import { formatRatio, formatTable } from './table.js';

/** The parts of a timing the comparison reads (timing.ts's Timing has them). */
export interface TimingLike {
  medianMs: number;
  p10Ms: number;
  cpuMedianMs: number;
}

type Timed = { timing?: TimingLike };

/** A `--json` document, as far as the comparison reads it (older runs lack the later sections). */
export interface BenchDocument {
  schema: string;
  machine: { date: string; loadAverage?: { start: number; end?: number } };
  workloads: { id: string; title: string; results: Record<string, Timed | undefined> }[];
  scale?: { results: Record<string, Record<string, Timed> | undefined> };
  fit?: { epochsPerCall: number; results: Record<string, Timed | undefined> };
  limits?: { products: Record<'oneThread' | 'stepThreads' | 'copied', (Timed & { threads: number; operands?: string }) | undefined> };
}

export interface Change {
  /** "(a) XOR 2-2-1 sigmoid, train step (4 rows)", "(f) fit", … */
  row: string;
  library: string;
  before: TimingLike;
  after: TimingLike;
  /** after/before of the medians on the clock asked for. */
  ratio: number;
}

export type Clock = 'wall' | 'cpu';

const SCHEMA = /^nnlab-bench\/\d+$/;

/** Reads a previous `--json` output; throws a message naming the file and what is wrong. */
export function loadBaseline(file: string): BenchDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`--baseline: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const d = doc as Partial<BenchDocument> | null;
  if (d === null || typeof d !== 'object' || typeof d.schema !== 'string' || !SCHEMA.test(d.schema) || !Array.isArray(d.workloads)) {
    throw new Error(`--baseline: ${file} is not the output of npm run --silent bench -- --json (no nnlab-bench schema and workloads)`);
  }
  return d as BenchDocument;
}

const median = (t: TimingLike, clock: Clock): number => (clock === 'wall' ? t.medianMs : t.cpuMedianMs);

/** Scales a timing (a fit call's, to one epoch). */
const scaled = (t: TimingLike, by: number): TimingLike => ({ medianMs: t.medianMs / by, p10Ms: t.p10Ms / by, cpuMedianMs: t.cpuMedianMs / by });

function change(row: string, library: string, before: TimingLike | undefined, after: TimingLike | undefined, clock: Clock): Change[] {
  if (before === undefined || after === undefined) return [];
  return [{ row, library, before, after, ratio: median(after, clock) / median(before, clock) }];
}

/** Every row and library both runs timed: the workloads, fit per epoch, the products alone. */
export function compareRuns(before: BenchDocument, after: BenchDocument, clock: Clock): Change[] {
  const changes: Change[] = [];
  for (const row of after.workloads) {
    const old = before.workloads.find((w) => w.id === row.id && w.title === row.title);
    if (old === undefined) continue;
    for (const [library, result] of Object.entries(row.results)) {
      changes.push(...change(`(${row.id}) ${row.title}`, library, old.results[library]?.timing, result?.timing, clock));
    }
  }
  if (before.fit !== undefined && after.fit !== undefined) {
    for (const [variant, result] of Object.entries(after.fit.results)) {
      const old = before.fit.results[variant]?.timing;
      const now = result?.timing;
      if (old === undefined || now === undefined) continue;
      changes.push(...change('(f) per epoch', variant, scaled(old, before.fit.epochsPerCall), scaled(now, after.fit.epochsPerCall), clock));
    }
  }
  if (before.limits !== undefined && after.limits !== undefined) {
    for (const which of ['oneThread', 'stepThreads', 'copied'] as const) {
      const [old, now] = [before.limits.products[which], after.limits.products[which]];
      if (old === undefined || now === undefined || old.threads !== now.threads || old.operands !== now.operands) continue;
      changes.push(...change('(b) the eight products alone', `${now.operands ?? ''}, ${now.threads} thread${now.threads === 1 ? '' : 's'}`, old.timing, now.timing, clock));
    }
  }
  return changes;
}

/**
 * How much faster or slower the machine itself ran between the two runs, as workload `id`'s
 * other libraries saw it: the median of their after/before ratios (tfjs, NumPy, PyTorch; not
 * nnlab, and not the hand loop, which is this repository's code). Undefined without any. This
 * VM's speed drifts by tens of percent between runs, so a raw ratio of nnlab's mostly says which.
 */
export function machineRatio(changes: readonly Change[], id: string): number | undefined {
  const ratios = changes.filter((c) => c.library !== 'nnlab' && c.library !== 'hand' && c.row.startsWith(`(${id}) `)).map((c) => c.ratio).sort((a, b) => a - b);
  return ratios.length === 0 ? undefined : percentile(ratios, 0.5);
}

/** nnlab's after/before ratio for each row of workload `id`, by title: what the not-slower goals judge. */
export function nnlabRatios(changes: readonly Change[], id: string): Record<string, number> {
  return Object.fromEntries(changes.filter((c) => c.library === 'nnlab' && c.row.startsWith(`(${id}) `)).map((c) => [c.row, c.ratio]));
}

/** The scale table's after/before ratios, library → `${batch}×${width}` → ratio, for the cells both runs timed. */
export function compareScale(before: BenchDocument, after: BenchDocument, clock: Clock): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [library, cells] of Object.entries(after.scale?.results ?? {})) {
    for (const [key, cell] of Object.entries(cells ?? {})) {
      const old = before.scale?.results[library]?.[key]?.timing;
      if (old === undefined || cell.timing === undefined) continue;
      (out[library] ??= {})[key] = median(cell.timing, clock) / median(old, clock);
    }
  }
  return out;
}

/** The before/after section: one line per row and library, then the scale table's ratios. */
export function formatBaseline(file: string, date: string, changes: readonly Change[], scale: Record<string, Record<string, number>>): string[] {
  const out = [`before/after: this run against ${file} (${date}); after/before of the medians, < 1 is faster now:`];
  if (changes.length === 0) out.push('  no row and library in common');
  else {
    out.push(formatTable(
      ['row', 'library', 'before', 'after', 'after/before', 'p10 before → after'],
      changes.map((c) => [c.row, c.library, formatDuration(c.before.medianMs), formatDuration(c.after.medianMs), formatRatio(c.ratio), `${formatDuration(c.before.p10Ms)} → ${formatDuration(c.after.p10Ms)}`]),
    ));
  }
  for (const [library, cells] of Object.entries(scale)) {
    const keys = Object.keys(cells);
    const batches = [...new Set(keys.map((k) => k.split('×')[0]))];
    const widths = [...new Set(keys.map((k) => k.split('×')[1]))];
    out.push(formatTable([`(e) ${library} after/before: batch`, ...widths.map((w) => `width ${w}`)], batches.map((b) => [b, ...widths.map((w) => formatRatio(cells[`${b}×${w}`]))])));
  }
  return out;
}
