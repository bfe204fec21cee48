/**
 * How the playground's state changes when the user edits it: pure functions from a state and an
 * edit to the next state, or to the message that explains why the edit is refused (and then
 * nothing changes). The page applies them; Node tests check them.
 */
import { DATASET_LABELS, FIXED_POINTS, generateDataset, isRegression, MAX_CLASSES } from './datasets.js';
import type { DatasetName, Point } from './datasets.js';
import { MAX_POINTS, quantise } from './points-codec.js';
import { specProblems } from './spec.js';
import { settingsProblems } from './settings.js';
import type { TrainingSettings } from './settings.js';
import { DEFAULT_STATE, classesOfData, networkSpecOf, taskOfData } from './url-state.js';
import type { DataState, PlaygroundState } from './url-state.js';

export type Outcome = { state: PlaygroundState; note?: string } | { error: string };

/** The points a state trains and tests on. */
export function pointsOf(state: PlaygroundState): Point[] {
  const { data } = state;
  if (data.name === 'custom') return data.points ?? [];
  return generateDataset({ name: data.name, count: data.count, noise: data.noise, classes: data.classes, testFraction: data.testFraction }, state.seed);
}

/**
 * New data. More than two classes switch the loss to softmax (the only one with an output per
 * class), regression data to squared error (its one loss), and leaving regression for classes
 * back to the default loss; each says so.
 */
export function withData(state: PlaygroundState, data: DataState): Outcome {
  const classes = classesOfData(data);
  const next: PlaygroundState = { ...state, data };
  const [was, is] = [taskOfData(state.data), taskOfData(data)];
  if (is === 'regression' && state.network.loss !== 'mse') {
    next.network = { ...state.network, loss: 'mse' };
    return checked(next, 'the loss is now squared error: regression predicts a value, through one linear output');
  }
  if (was === 'regression' && is === 'classification' && classes <= 2) {
    const loss = DEFAULT_STATE.network.loss;
    next.network = { ...state.network, loss };
    return checked(next, `the loss is back to ${loss === 'bce' ? 'binary cross entropy' : loss} for classes (squared error through a sigmoid is under Loss)`);
  }
  if (classes > 2 && state.network.loss !== 'softmax') {
    next.network = { ...state.network, loss: 'softmax' };
    return checked(next, `the loss is now softmax + cross entropy: ${classes} classes need one output each`);
  }
  return checked(next);
}

export function withNetwork(state: PlaygroundState, network: PlaygroundState['network']): Outcome {
  return checked({ ...state, network });
}

export function withSettings(state: PlaygroundState, settings: TrainingSettings): Outcome {
  const problems = settingsProblems(settings);
  return problems.length > 0 ? { error: problems.map((p) => p.message).join('; ') } : { state: { ...state, settings } };
}

function checked(state: PlaygroundState, note?: string): Outcome {
  const problems = specProblems(networkSpecOf(state));
  if (problems.length > 0) return { error: problems.join('; ') };
  return note === undefined ? { state } : { state, note };
}

/**
 * Picks a data set (or 'custom': the points now, made editable), as the data set buttons and
 * select do. The gates and the 16-point square come as the chapter has them: noise and test
 * share 0, every point needed and trained on (raise the noise after for jittered copies).
 * Custom points are classes, so from a regression data set they start empty.
 */
export function withDataset(state: PlaygroundState, name: DatasetName | 'custom'): Outcome {
  if (name === 'custom') {
    if (taskOfData(state.data) === 'regression') {
      const outcome = withData(state, { ...state.data, name, classes: 2, points: [] });
      return 'error' in outcome ? outcome : { ...outcome, note: 'Your points start empty (a regression set’s values are not classes): click the map to add points.' };
    }
    return withData(state, { ...state.data, name, points: pointsOf(state), classes: classesOfData(state.data) });
  }
  if (FIXED_POINTS.includes(name) && (state.data.testFraction > 0 || state.data.noise > 0)) {
    const outcome = withData(state, { ...state.data, name, points: null, testFraction: 0, noise: 0 });
    const note = 'Noise and test share set to 0: the chapter’s exact points, all trained on. Raise the noise for jittered copies.';
    return 'error' in outcome ? outcome : { ...outcome, note: outcome.note === undefined ? note : `${note} (${outcome.note})` };
  }
  return withData(state, { ...state.data, name, points: null });
}

/** Why points cannot be added or removed by hand here, or null when they can. */
export function editRefusal(state: PlaygroundState): string | null {
  if (!isRegression(state.data.name)) return null;
  return `${DATASET_LABELS[state.data.name as DatasetName]}: a regression data set's values come from its formula, so its points are not added or removed by hand (choose Your points for that)`;
}

/** The state's data as editable custom points (generated points are quantised as they become custom). */
export function asCustom(state: PlaygroundState): DataState {
  const points = pointsOf(state).map((p) => ({ ...p, x0: quantise(p.x0), x1: quantise(p.x1) }));
  return { ...state.data, name: 'custom', classes: classesOfData(state.data), points };
}

/** Adds a training point of class `label` at (x0, x1). */
export function addPoint(state: PlaygroundState, x0: number, x1: number, label: number): Outcome {
  const refusal = editRefusal(state);
  if (refusal !== null) return { error: refusal };
  if (!(x0 >= 0 && x0 <= 1 && x1 >= 0 && x1 <= 1)) return { error: 'points go inside the unit square' };
  if (!(Number.isInteger(label) && label >= 0 && label < MAX_CLASSES)) return { error: `class ${label} is out of range (0–${MAX_CLASSES - 1})` };
  const data = asCustom(state);
  const points = data.points!;
  if (points.length >= MAX_POINTS) return { error: `the playground keeps at most ${MAX_POINTS} points (so that the address can hold them): remove some first` };
  const classes = Math.max(data.classes, label + 1);
  return withData(state, { ...data, classes, points: [...points, { x0: quantise(x0), x1: quantise(x1), label, test: false }] });
}

/** Removes the point at `index` of `pointsOf(state)`. */
export function removePoint(state: PlaygroundState, index: number): Outcome {
  const refusal = editRefusal(state);
  if (refusal !== null) return { error: refusal };
  const data = asCustom(state);
  if (!(index >= 0 && index < data.points!.length)) return { error: 'there is no point there' };
  return withData(state, { ...data, points: data.points!.filter((_, i) => i !== index) });
}

/** Sets the number of classes for custom points (never below the highest label + 1) or a multi-class data set. */
export function withClasses(state: PlaygroundState, classes: number): Outcome {
  if (state.data.name === 'custom') {
    const used = Math.max(0, ...(state.data.points ?? []).map((p) => p.label + 1));
    if (classes < used) return { error: `there are points of class ${used - 1}: remove them first, or keep ${used} classes` };
  }
  return withData(state, { ...state.data, classes });
}
