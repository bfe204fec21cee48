/** `nnlab list`: every experiment with its one-line description, the chapter's first, then its extra theory. */
import { chapterExperiments, experiments, theoryExperiments } from '../../experiments/index.js';
import type { Experiment } from '../../experiments/index.js';

export function listCommand(): void {
  const width = Math.max(...experiments.map((e) => e.name.length));
  const lines = (list: readonly Experiment[]) => list.map((e) => `  ${e.name.padEnd(width)}   ${e.description}`);
  const groups = [
    ['The chapter:', ...lines(chapterExperiments)],
    ...(theoryExperiments.length === 0 ? [] : [['Extra theory:', ...lines(theoryExperiments)]]),
  ];
  process.stdout.write(`${groups.map((group) => group.join('\n')).join('\n\n')}\n\nnnlab run <experiment> --help lists an experiment's options;\nnnlab sweep <experiment> --seeds 1000 runs one over many seeds on every core.\n`);
}
