/** An experiment's page: the training page for experiments with epochs, the figures page for the rest. */
import type { Experiment } from '../../experiments/index.js';
import { mountBackprop } from './backprop-page.js';
import { mountFigures } from './figures-page.js';
import { mountTraining } from './training.js';

/** Whether the experiment trains (and so has epochs to play, pause and step through). */
export function isTraining(experiment: Experiment): boolean {
  return 'epochs' in experiment.schema;
}

export function mountExperiment(root: HTMLElement, experiment: Experiment, search: string): void {
  document.title = `${experiment.name} — nnlab`;
  // backprop steps through its backward pass rather than showing figures only.
  if (experiment.name === 'backprop') mountBackprop(root, experiment, search);
  else if (isTraining(experiment)) mountTraining(root, experiment, search);
  else mountFigures(root, experiment, search);
}
