/**
 * `nnlab report [--out <dir>]`: runs every experiment with its defaults into one HTML page, and
 * ends with a sweep: the two-layer XOR net over many seeds, with 2 and with 4 hidden units. Each
 * section ends with what its run showed (findings) and its verdict line, computed from its records.
 * A progress bar on stderr (a terminal only, as for run and sweep) follows the experiments, then
 * the sweep's runs.
 */
import { join } from 'node:path';
import { DEFAULT_SEED, chapterExperiments, experiments, resolveConfig, summarize, verdictOf } from '../../experiments/index.js';
import type { Palette } from '../../render/index.js';
import { reportHtml } from '../../report/html.js';
import type { ReportSection } from '../../report/html.js';
import { commandLine } from '../../report/format.js';
import { sweepFindings } from '../../report/sweep-findings.js';
import { findingsOfRecords } from '../../experiments/claims/index.js';
import { Progress } from '../live.js';
import { checkOutput, writeOutput } from '../output.js';
import { consume } from '../records.js';

export interface ReportOptions {
  out: string;
  /** Write into a directory holding files nnlab did not write. */
  force?: boolean;
  palette: Palette;
}

/** The report's sweep: how often XOR with 2 hidden units gets stuck, and with 4. */
const SWEEP = { experiment: 'two-layer', count: 100, grid: 'hidden=2,4' } as const;

async function sweepSection(palette: Palette): Promise<ReportSection> {
  const { figuresOf } = await import('../../render/index.js');
  const { makePlan } = await import('../../sweep/plan.js');
  const { defaultWorkers } = await import('../../sweep/pool.js');
  const { runSweep } = await import('../../sweep/sweep.js');
  const { percent, summarizeSweep, sweepRecords } = await import('../../sweep/summary.js');
  const plan = makePlan(SWEEP);
  const progress = new Progress('report: sweep', 'runs', { enabled: true, delayMs: 0 });
  let solved = 0;
  let result;
  try {
    result = await runSweep(plan, {
      workers: defaultWorkers(),
      onRow: (row, done, total) => {
        if (row.solved) solved++;
        progress.update(done, total, `${percent(solved / done)} solved`);
      },
    });
  } finally {
    progress.stop();
  }
  const summary = summarizeSweep(plan, result.rows);
  const records = sweepRecords(summary);
  return {
    name: 'sweep',
    part: 'Extra theory',
    description: `${SWEEP.experiment} over seeds 1 to ${SWEEP.count}, with 2 and with 4 hidden units: how often does XOR get stuck?`,
    explanation:
      'The same experiment from many seeds, each run on its own worker thread. A run counts as solved when every final ' +
      'prediction is on the right side of 0.5. A stuck run ends on a plateau of the error (0.25 is an output of 0.5 for ' +
      'every corner); `nnlab run two-layer --seed <n>` repeats any one of them and its verdict line says why it is stuck. ' +
      'The histogram has a log axis, so a single stuck run shows as a bar.',
    command: `nnlab sweep ${SWEEP.experiment} --seeds ${SWEEP.count} --grid ${SWEEP.grid}`,
    summary: summarize(records),
    figures: figuresOf(records, { palette }),
    findings: sweepFindings(summary, result.rows),
  };
}

export async function reportCommand(options: ReportOptions): Promise<void> {
  await checkOutput(options.out, { force: options.force });
  const progress = new Progress('report', 'experiments', { enabled: true, delayMs: 0 });
  // The bar shows before the renderer loads (about 2 s), so the report is never silent.
  progress.update(0, experiments.length, 'loading the renderer');
  const sections: ReportSection[] = [];
  try {
    const { figuresOf } = await import('../../render/index.js');
    for (const [i, experiment] of experiments.entries()) {
      progress.update(i, experiments.length, experiment.name);
      const config = resolveConfig(experiment);
      const records = await consume(experiment.run(config, DEFAULT_SEED));
      const verdict = verdictOf(records);
      const findings = findingsOfRecords(experiment.name, config, records);
      sections.push({
        name: experiment.name,
        part: chapterExperiments.includes(experiment) ? 'The chapter' : 'Extra theory',
        description: experiment.description,
        explanation: experiment.explanation,
        command: commandLine(experiment, config, DEFAULT_SEED),
        summary: summarize(records),
        figures: figuresOf(records, { palette: options.palette }),
        ...(verdict === null ? {} : { verdict: verdict.text }),
        ...(findings === undefined ? {} : { findings }),
      });
    }
    progress.update(experiments.length, experiments.length, 'done');
  } finally {
    progress.stop();
  }
  sections.push(await sweepSection(options.palette));
  const html = reportHtml(sections, {
    title: 'nnlab report',
    subtitle: `Every experiment of the lab with its default options and seed ${DEFAULT_SEED}, and a sweep over seeds; each section gives the command that repeats it.`,
  });
  await writeOutput(options.out, [{ name: 'index.html', data: html }], { force: options.force });
  process.stdout.write(`wrote ${join(options.out, 'index.html')}\n`);
}
