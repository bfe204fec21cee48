/** An experiment's page: the training page for experiments with epochs, the figures page for the rest. */
import type { Experiment } from '../../experiments/index.js';
import { mountFigures } from './figures-page.js';
import { mountTraining } from './training.js';

/** Whether the experiment trains (and so has epochs to play, pause and step through). */
export function isTraining(experiment: Experiment): boolean {
  return 'epochs' in experiment.schema;
}

export function mountExperiment(root: HTMLElement, experiment: Experiment, search: string): void {
  document.title = `${experiment.name} — nnlab`;
  if (isTraining(experiment)) mountTraining(root, experiment, search);
  else mountFigures(root, experiment, search);
}
