/**
 * `nnlab sweep <experiment> [--seeds n] [--from n] [--workers n] [--grid name=v1,v2] [--file f]
 * [--json] [--out dir] [--<experiment options>]`: the experiment over many seeds on worker
 * threads, each finished run appended to a results file, so Ctrl-C (or a kill) loses nothing
 * finished and the same command resumes. Prints the success rate, the final-error histogram and
 * the seeds that failed. Its options are declared in sweep-options.ts, which loads this module
 * only when a sweep runs.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, findExperiment, kebab } from '../../experiments/index.js';
import { formatError } from '../../report/format.js';
import { headerOf } from '../../sweep/file.js';
import { makePlan, sweepable } from '../../sweep/plan.js';
import type { SweepPlan } from '../../sweep/plan.js';
import { defaultWorkers } from '../../sweep/pool.js';
import { BINS, groupLabel, percent, summarizeSweep, sweepFigures } from '../../sweep/summary.js';
import type { SweepSummary } from '../../sweep/summary.js';
import type { Hold } from '../../sweep/scheduler.js';
import { runSweep } from '../../sweep/sweep.js';
import type { SweepResult } from '../../sweep/sweep.js';
import { Progress } from '../live.js';
import { checkOutput, writeOutput } from '../output.js';
import type { OutputFile } from '../output.js';
import { fileStem } from '../records.js';
import { textTable } from '../tables.js';

export interface SweepFlags {
  seeds: number;
  from: number;
  workers?: number;
  grid?: string;
  file?: string;
  json: boolean;
  out?: string;
  /** Write --out into a directory holding files nnlab did not write. */
  force: boolean;
}

/** Failed seeds printed in the text output (--json lists them all). */
const SHOWN_SEEDS = 20;
/** The exit code of a sweep stopped by Ctrl-C (as a shell reports SIGINT). */
const INTERRUPTED = 130;

/** Where a sweep's results go by default: one file per experiment + config + grid, so the same command resumes. */
export function defaultFile(plan: SweepPlan): string {
  const hash = createHash('sha256').update(JSON.stringify(headerOf(plan))).digest('hex').slice(0, 8);
  return join('nnlab-sweeps', `${plan.experiment}-${hash}.jsonl`);
}

/** The command that resumes (or repeats) the sweep, every option spelled out, as pasted in the project after `npm install`. */
export function sweepCommandLine(plan: SweepPlan, file: string): string {
  const word = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
  const words = ['npx', 'nnlab', 'sweep', plan.experiment];
  for (const [name, value] of Object.entries(plan.config)) if (name !== plan.grid?.option) words.push(`--${kebab(name)}`, word(String(value)));
  words.push('--seeds', String(plan.count), '--from', String(plan.from));
  if (plan.grid !== undefined) words.push('--grid', word(`${kebab(plan.grid.option)}=${plan.grid.values.join(',')}`));
  words.push('--file', word(file));
  return words.join(' ');
}

export async function sweepCommand(name: string, raw: Readonly<Record<string, unknown>>, flags: SweepFlags): Promise<void> {
  const experiment = findExperiment(name);
  // Refuse before anything is printed or created: no header, no empty results file.
  if (!experiment.sweepable) {
    throw new ConfigError(`sweep: ${experiment.name} cannot be swept: its runs make no predictions with targets to judge as solved or not; these can: ${sweepable().join(', ')}`);
  }
  const plan = makePlan({ experiment: experiment.name, options: raw, from: flags.from, count: flags.seeds, grid: flags.grid });
  const file = flags.file ?? defaultFile(plan);
  const workers = flags.workers ?? defaultWorkers();
  if (flags.out !== undefined) await checkOutput(flags.out, { force: flags.force });
  const total = plan.count * (plan.grid?.values.length ?? 1);
  const say = (lines: string[]) => {
    if (!flags.json) process.stdout.write(lines.join('\n') + '\n');
  };
  const range = `seed${plan.count === 1 ? '' : 's'} ${plan.from}${plan.count === 1 ? '' : `–${plan.from + plan.count - 1}`}`;
  const grid = plan.grid === undefined ? '' : ` × ${kebab(plan.grid.option)} ${plan.grid.values.join(', ')}`;
  say([`sweep ${experiment.name} over ${range}${grid} (${total} runs) on up to ${workers} worker${workers === 1 ? '' : 's'}`, `  results: ${file}`]);

  const progress = new Progress(`sweep ${experiment.name}`, 'runs', { enabled: !flags.json, delayMs: 0 });
  const controller = new AbortController();
  let solved = 0;
  let finished = 0;
  const interrupt = () => {
    // A second Ctrl-C does not wait for the workers to stop.
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  let result: SweepResult;
  try {
    result = await runSweep(plan, {
      workers,
      file,
      signal: controller.signal,
      hold: testHold(),
      onResume: (done) => {
        if (done > 0) say([`  resuming: ${done} of ${total} runs already in the file`]);
      },
      onRow: (row, done) => {
        finished++;
        if (row.solved) solved++;
        progress.update(done, total, `${percent(solved / finished)} of new runs solved`);
      },
    });
  } finally {
    process.removeListener('SIGINT', interrupt);
    progress.stop();
  }
  const summary = summarizeSweep(plan, result.rows);
  if (flags.json) {
    process.stdout.write(JSON.stringify({ ...summary, complete: result.complete, file, workers: result.workers, wallMs: result.wallMs, rows: result.rows }) + '\n');
  } else {
    say(['', ...summaryLines(summary), '', timing(result)]);
  }
  if (!result.complete) {
    process.stderr.write(`stopped: ${result.rows.length} of ${total} runs done and kept in ${file}; resume with:\n  ${sweepCommandLine(plan, file)}\n`);
    process.exitCode = INTERRUPTED;
    return;
  }
  if (flags.out !== undefined) {
    await writeOutput(flags.out, await sweepFiles(summary, result), { force: flags.force });
    say([`wrote ${flags.out}/: ${sweepFigures(summary).map((f) => `${fileStem(f.name)}.svg/.png`).join(', ')}, sweep.json`]);
  }
}

/**
 * A test hook, inert unless NNLAB_TEST_SWEEP_HOLD=n is set: the sweep runs n runs, says so on
 * stderr, then waits (nothing in flight) for Ctrl-C, so a test interrupts it at a known point.
 */
function testHold(): Hold | undefined {
  const raw = process.env.NNLAB_TEST_SWEEP_HOLD;
  if (raw === undefined || raw === '') return undefined;
  const after = Number(raw);
  if (!Number.isInteger(after) || after < 0) throw new ConfigError(`NNLAB_TEST_SWEEP_HOLD must be an integer ≥ 0, got "${raw}"`);
  return { after, held: () => process.stderr.write(`holding after ${after} runs (NNLAB_TEST_SWEEP_HOLD); Ctrl-C stops\n`) };
}

function timing(result: SweepResult): string {
  const seconds = (result.wallMs / 1000).toFixed(1);
  const resumed = result.resumed > 0 ? `, ${result.resumed} taken from the file` : '';
  return `wall time ${seconds} s: ${result.ran} runs on ${result.workers} worker${result.workers === 1 ? '' : 's'}${resumed}`;
}

/** The text report: success rate, final errors, a histogram of them, the failed seeds (per grid value). */
export function summaryLines(summary: SweepSummary): string[] {
  const lines = [
    `solved ${summary.solved} of ${summary.runs} runs (${percent(summary.rate)}): solved = every final prediction on the right side`,
    '  (a single output within 0.5 of its target; several outputs: the target class the most likely)',
  ];
  if (summary.grid !== null) {
    lines.push(
      '',
      ...textTable(
        [kebab(summary.grid.option), 'runs', 'solved', 'rate', 'median error', 'failed seeds'],
        summary.groups.map((g) => [String(g.value), String(g.runs), String(g.solved), percent(g.rate), g.errors === null ? '—' : formatError(g.errors.median), seedList(g.failedSeeds, 8)]),
      ),
    );
  }
  const width = summary.top / BINS;
  for (const group of summary.groups) {
    lines.push('', `${groupLabel(summary, group)}: final error ${group.errors === null ? '— (every run diverged)' : `min ${formatError(group.errors.min)}, median ${formatError(group.errors.median)}, max ${formatError(group.errors.max)}`}`);
    const bins = group.histogram.map((share, i) => ({ share, i })).filter((b) => b.share > 0);
    const labels = bins.map(({ i }) => (i === BINS - 1 ? `≥ ${round(i * width)}` : `[${round(i * width)}, ${round((i + 1) * width)})`));
    const labelWidth = Math.max(0, ...labels.map((l) => l.length));
    bins.forEach(({ share }, k) => lines.push(`  ${labels[k].padEnd(labelWidth)} ${'█'.repeat(Math.max(1, Math.round(share * 40)))} ${percent(share)}`));
    if (group.divergedSeeds.length > 0) lines.push(`  diverged seeds: ${seedList(group.divergedSeeds, SHOWN_SEEDS)}`);
    lines.push(`  failed seeds: ${group.failedSeeds.length === 0 ? 'none' : seedList(group.failedSeeds, SHOWN_SEEDS)}`);
  }
  return lines;
}

function round(value: number): string {
  return String(Number(value.toPrecision(4)));
}

function seedList(seeds: readonly number[], shown: number): string {
  if (seeds.length === 0) return '—';
  return seeds.length <= shown ? seeds.join(', ') : `${seeds.slice(0, shown).join(', ')}, … (${seeds.length} in all)`;
}

/** The figures as SVG and PNG, and the summary with every row as sweep.json. */
async function sweepFiles(summary: SweepSummary, result: SweepResult): Promise<OutputFile[]> {
  const { panelsSvg, svgToPng } = await import('../../render/index.js');
  const files: OutputFile[] = [];
  for (const figure of sweepFigures(summary)) {
    const svg = panelsSvg(figure);
    files.push({ name: `${fileStem(figure.name)}.svg`, data: svg }, { name: `${fileStem(figure.name)}.png`, data: await svgToPng(svg) });
  }
  files.push({ name: 'sweep.json', data: JSON.stringify({ ...summary, workers: result.workers, wallMs: result.wallMs, rows: result.rows }) + '\n' });
  return files;
}
