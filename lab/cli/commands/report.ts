/**
 * `nnlab report [--out <dir>]`: runs every experiment with its defaults into one HTML page, and
 * ends with a sweep: the two-layer XOR net over many seeds, with 2 and with 4 hidden units.
 */
import { join } from 'node:path';
import { DEFAULT_SEED, chapterExperiments, experiments, resolveConfig, summarize } from '../../experiments/index.js';
import type { Palette } from '../../render/index.js';
import { reportHtml } from '../../report/html.js';
import type { ReportSection } from '../../report/html.js';
import { commandLine } from '../../report/format.js';
import { findingsOfRecords } from '../../experiments/claims/index.js';
import { Progress } from '../live.js';
import { checkOutput, writeOutput } from '../output.js';
import { consume } from '../records.js';

export interface ReportOptions {
  out: string;
  palette: Palette;
}

/** The report's sweep: how often XOR with 2 hidden units gets stuck, and with 4. */
const SWEEP = { experiment: 'two-layer', count: 100, grid: 'hidden=2,4' } as const;

async function sweepSection(palette: Palette): Promise<ReportSection> {
  const { figuresOf } = await import('../../render/index.js');
  const { makePlan } = await import('../../sweep/plan.js');
  const { defaultWorkers } = await import('../../sweep/pool.js');
  const { runSweep } = await import('../../sweep/sweep.js');
  const { summarizeSweep, sweepRecords } = await import('../../sweep/summary.js');
  const plan = makePlan(SWEEP);
  const result = await runSweep(plan, { workers: defaultWorkers() });
  const records = sweepRecords(summarizeSweep(plan, result.rows));
  return {
    name: 'sweep',
    part: 'Extra theory',
    description: `${SWEEP.experiment} over seeds 1 to ${SWEEP.count}, with 2 and with 4 hidden units: how often does XOR get stuck?`,
    explanation:
      'The same experiment from many seeds, each run on its own worker thread. A run counts as solved when every final ' +
      'prediction is on the right side of 0.5. With 2 hidden units about one run in ten ends on a plateau (error near ' +
      '0.125 or 0.25: the two units drew the same line, or one gave up); with 4 units it is rarer. The histogram has a ' +
      'log axis, so a single stuck run shows as a bar.',
    command: `nnlab sweep ${SWEEP.experiment} --seeds ${SWEEP.count} --grid ${SWEEP.grid}`,
    summary: summarize(records),
    figures: figuresOf(records, { palette }),
  };
}

export async function reportCommand(options: ReportOptions): Promise<void> {
  await checkOutput(options.out);
  const { figuresOf } = await import('../../render/index.js');
  const progress = new Progress('report', 'experiments', { enabled: true, delayMs: 0 });
  const sections: ReportSection[] = [];
  try {
    for (const [i, experiment] of experiments.entries()) {
      progress.update(i, experiments.length, experiment.name);
      const config = resolveConfig(experiment);
      const records = await consume(experiment.run(config, DEFAULT_SEED));
      sections.push({
        name: experiment.name,
        part: chapterExperiments.includes(experiment) ? 'The chapter' : 'Extra theory',
        description: experiment.description,
        // The explanation's prose, then what this run showed (computed from its records).
        explanation: [experiment.explanation, findingsOfRecords(experiment.name, config, records)].filter((t) => t !== undefined).join(' '),
        command: commandLine(experiment, config, DEFAULT_SEED),
        summary: summarize(records),
        figures: figuresOf(records, { palette: options.palette }),
      });
    }
    progress.update(experiments.length, experiments.length, 'sweep');
    sections.push(await sweepSection(options.palette));
    progress.update(experiments.length, experiments.length, 'done');
  } finally {
    progress.stop();
  }
  const html = reportHtml(sections, {
    title: 'nnlab report',
    subtitle: `Every experiment of the lab with its default options and seed ${DEFAULT_SEED}, and a sweep over seeds; each section gives the command that repeats it.`,
  });
  await writeOutput(options.out, [{ name: 'index.html', data: html }]);
  process.stdout.write(`wrote ${join(options.out, 'index.html')}\n`);
}
