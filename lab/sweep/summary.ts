/**
 * A sweep's rows reduced to what answers "how often does it work?": the success rate (per grid
 * value), the distribution of final errors as a histogram, and the seeds that failed. Pure
 * functions: the CLI, the page, the report and the tests share them (Node and browser).
 */
import { kebab } from '../experiments/index.js';
import type { FigureRecord, LabRecord, Panel } from '../experiments/index.js';
import type { SweepGrid, SweepPlan } from './plan.js';
import type { SweepRow } from './run.js';
import { tableItem, textItem } from '../experiments/items.js';

/** Histogram bins over [0, top]: fine enough to separate XOR's stuck levels 0.125 and 0.25. */
export const BINS = 20;

export interface GroupSummary {
  /** The grid value (absent without a grid). */
  value?: number | string | boolean;
  runs: number;
  solved: number;
  /** solved / runs (0 for no runs). */
  rate: number;
  /** Seeds whose run ended with a prediction on the wrong side, ascending. */
  failedSeeds: number[];
  /** Seeds whose error became NaN or infinite (also in failedSeeds). */
  divergedSeeds: number[];
  /** Final errors of the runs that did not diverge. */
  errors: { min: number; median: number; max: number } | null;
  /** Share of the non-diverged runs whose final error falls in each bin (bins of width top / BINS; the last holds everything from its lower edge up). */
  histogram: number[];
}

export interface SweepSummary {
  experiment: string;
  config: SweepPlan['config'];
  grid: SweepGrid | null;
  seeds: { from: number; count: number };
  runs: number;
  solved: number;
  rate: number;
  /** The histograms' upper end (their lower end is 0), shared by every group so they compare. */
  top: number;
  groups: GroupSummary[];
}

/**
 * A round upper end for errors up to `max`: 1, 2, 2.5 or 5 × a power of ten. Up to 0.1% above a
 * round value still counts as it (XOR's stuck runs end a hair above 0.25); the last bin holds them.
 */
export function niceTop(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10, 20].map((m) => m * power).find((t) => t * (1 + 1e-3) >= max)!;
}

/** The bin a final error falls in (the top edge belongs to the last bin). */
function binOf(error: number, top: number): number {
  return Math.min(BINS - 1, Math.floor((error / top) * BINS));
}

function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** summarizeSweep(plan, rows): the plan's rows (any order) summarised per grid value. */
export function summarizeSweep(plan: SweepPlan, rows: readonly SweepRow[]): SweepSummary {
  const finite = rows.map((r) => r.finalError).filter((e): e is number => e !== null && Number.isFinite(e));
  const top = niceTop(Math.max(0, ...finite));
  const values: (SweepRow['value'])[] = plan.grid?.values ?? [undefined];
  const groups = values.map((value): GroupSummary => {
    const mine = rows.filter((r) => r.value === value).sort((a, b) => a.seed - b.seed);
    const errors = mine.map((r) => r.finalError).filter((e): e is number => e !== null && Number.isFinite(e)).sort((a, b) => a - b);
    const histogram = new Array<number>(BINS).fill(0);
    for (const error of errors) histogram[binOf(error, top)] += 1 / errors.length;
    const solved = mine.filter((r) => r.solved).length;
    return {
      ...(value === undefined ? {} : { value }),
      runs: mine.length,
      solved,
      rate: mine.length === 0 ? 0 : solved / mine.length,
      failedSeeds: mine.filter((r) => !r.solved).map((r) => r.seed),
      divergedSeeds: mine.filter((r) => r.diverged !== undefined).map((r) => r.seed),
      errors: errors.length === 0 ? null : { min: errors[0], median: median(errors), max: errors[errors.length - 1] },
      histogram,
    };
  });
  const solved = rows.filter((r) => r.solved).length;
  return {
    experiment: plan.experiment,
    config: plan.config,
    grid: plan.grid ?? null,
    seeds: { from: plan.from, count: plan.count },
    runs: rows.length,
    solved,
    rate: rows.length === 0 ? 0 : solved / rows.length,
    top,
    groups,
  };
}

/** 'hidden 3' for a grid group, 'all seeds' without a grid. */
export function groupLabel(summary: Pick<SweepSummary, 'grid'>, group: Pick<GroupSummary, 'value'>): string {
  return summary.grid === null || group.value === undefined ? 'all seeds' : `${kebab(summary.grid.option)} ${group.value}`;
}

/**
 * sweepFigures(summary): the final-error histogram (one panel per grid value, on shared axes)
 * and, with a grid, the success rate against the grid value. Draw them with `figuresOf` /
 * `panelsSvg` like any experiment's figures.
 */
export function sweepFigures(summary: SweepSummary): FigureRecord[] {
  const width = summary.top / BINS;
  const centres = Array.from({ length: BINS }, (_, i) => (i + 0.5) * width);
  // A log axis, so that a rare outcome (1 run in 1000 stuck on a plateau) is a visible bar, not a '0.00'.
  const rarest = Math.min(1, ...summary.groups.flatMap((g) => g.histogram).filter((share) => share > 0));
  const histogram = (group: GroupSummary): Panel => ({
    title: `${summary.grid === null ? '' : `${groupLabel(summary, group)}: `}${group.solved} of ${group.runs} solved (${percent(group.rate)})`,
    xLabel: 'final training error',
    yLabel: 'share of runs',
    // A bin and a half of margin each side, so the edge bars' labels fit.
    xDomain: [-1.5 * width, summary.top + 1.5 * width],
    yScale: 'log',
    yDomain: [rarest / 2, 2],
    // An empty bin is NaN, which the panel leaves out (no bar, no '0.00' label); its x still sets the bar width.
    series: [{ label: 'share of runs', x: centres, y: group.histogram.map((share) => (share > 0 ? share : NaN)), style: 'bars' }],
  });
  const figures: FigureRecord[] = [
    {
      kind: 'figure',
      name: 'sweep-errors',
      title: `${summary.experiment}: final errors of ${summary.runs} runs`,
      panels: summary.groups.map(histogram),
    },
  ];
  if (summary.grid !== null) {
    const numeric = summary.grid.values.every((v) => typeof v === 'number');
    // Choices and booleans have no axis of their own: they stand at 0, 1, 2, … in the grid's order.
    const xs = summary.grid.values.map((v, i) => (numeric ? (v as number) : i));
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    // The bars are 0.8 of the closest spacing wide: pad by more than half of that.
    const sorted = [...xs].sort((a, b) => a - b);
    const gap = Math.min(...sorted.slice(1).map((x, i) => x - sorted[i]).filter((d) => d > 0), hi > lo ? hi - lo : 1);
    const pad = 0.6 * gap;
    figures.push({
      kind: 'figure',
      name: 'sweep-success',
      title: `${summary.experiment}: success rate by ${kebab(summary.grid.option)}`,
      panels: [
        {
          title: `share of ${summary.seeds.count} seeds solved${numeric ? '' : ` (${summary.grid.values.map((v, i) => `${i} = ${v}`).join(', ')})`}`,
          xLabel: kebab(summary.grid.option),
          yLabel: 'share solved',
          xDomain: [lo - pad, hi + pad],
          yDomain: [0, 1.1],
          series: [{ label: 'share solved', x: xs, y: summary.groups.map((g) => g.rate), style: 'bars' }],
        },
      ],
    });
  }
  return figures;
}

export function percent(rate: number): string {
  return `${(100 * rate).toFixed(1)}%`;
}

/**
 * sweepRecords(summary): the sweep as an experiment's records (start, figures, final with the
 * success rates as a table in `extra`), for anything that shows records generically: the HTML
 * report, `figuresOf`, the CLI's extra tables.
 */
export function sweepRecords(summary: SweepSummary): LabRecord[] {
  const perGroup = summary.groups.map((group) => ({
    ...(summary.grid === null ? {} : { [kebab(summary.grid.option)]: String(group.value) }),
    runs: group.runs,
    solved: group.solved,
    successRate: percent(group.rate),
    medianFinalError: group.errors === null ? null : group.errors.median,
    failedSeeds: group.failedSeeds.length === 0 ? 'none' : group.failedSeeds.slice(0, 20).join(', ') + (group.failedSeeds.length > 20 ? ` … (${group.failedSeeds.length} in all)` : ''),
  }));
  return [
    { kind: 'start', experiment: summary.experiment, config: summary.config, seed: summary.seeds.from },
    ...sweepFigures(summary),
    {
      kind: 'final',
      predictions: [],
      parameters: {},
      extra: {
        seeds: textItem(`${summary.seeds.from} to ${summary.seeds.from + summary.seeds.count - 1}`),
        successRate: textItem(percent(summary.rate)),
        sweep: tableItem(perGroup),
      },
    },
  ];
}
