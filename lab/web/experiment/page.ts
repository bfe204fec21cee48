/** An experiment's page: the training page for experiments with epochs, the figures page for the rest. */
import type { Experiment } from '../../experiments/index.js';
import { mountBackprop } from './backprop-page.js';
import { mountFigures } from './figures-page.js';
import { mountTraining } from './training.js';

/** Whether the experiment trains (and so has epochs to play, pause and step through). */
export function isTraining(experiment: Experiment): boolean {
  return experiment.kind === 'training';
}

/** Mounts the experiment's page into `root`; the function returned unmounts it (stops its worker, removes its document listeners). */
export function mountExperiment(root: HTMLElement, experiment: Experiment, search: string): () => void {
  document.title = `${experiment.name} — nnlab`;
  // backprop steps through its backward pass rather than showing figures only.
  if (experiment.kind === 'walkthrough') return mountBackprop(root, experiment, search);
  if (isTraining(experiment)) return mountTraining(root, experiment, search);
  mountFigures(root, experiment, search);
  return () => {};
}
