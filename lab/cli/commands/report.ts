/** `nnlab report [--out <dir>]`: runs every experiment with its defaults into one HTML page. */
import { join } from 'node:path';
import { DEFAULT_SEED, chapterExperiments, experiments, resolveConfig, summarize } from '../../experiments/index.js';
import type { Palette } from '../../render/index.js';
import { reportHtml } from '../../report/html.js';
import type { ReportSection } from '../../report/html.js';
import { commandLine } from '../../report/format.js';
import { Progress } from '../live.js';
import { checkOutput, writeOutput } from '../output.js';
import { consume } from '../records.js';

export interface ReportOptions {
  out: string;
  palette: Palette;
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
        explanation: experiment.explanation,
        command: commandLine(experiment, config, DEFAULT_SEED),
        summary: summarize(records),
        figures: figuresOf(records, { palette: options.palette }),
      });
    }
    progress.update(experiments.length, experiments.length, 'done');
  } finally {
    progress.stop();
  }
  const html = reportHtml(sections, {
    title: 'nnlab report',
    subtitle: `Every experiment of the lab with its default options and seed ${DEFAULT_SEED}; each section gives the command that repeats it.`,
  });
  await writeOutput(options.out, [{ name: 'index.html', data: html }]);
  process.stdout.write(`wrote ${join(options.out, 'index.html')}\n`);
}
