/**
 * One run of a sweep: (experiment, config, seed) → a result row, by consuming the experiment's
 * own records, so a sweep measures exactly what `nnlab run` shows. The same function runs in a
 * Node worker thread, a browser Web Worker and the tests.
 */
import { ConfigError, DivergedError, findExperiment, isSolved, resolveConfig } from '../experiments/index.js';
import type { Config, Experiment, FinalRecord } from '../experiments/index.js';
import { configOf } from './plan.js';
import type { SweepPlan, SweepTask } from './plan.js';

export interface SweepRow {
  seed: number;
  /** The grid value, when the sweep has a grid. */
  value?: number | string | boolean;
  /** The training error after the last epoch; null when the run diverged. */
  finalError: number | null;
  /** Whether every final prediction is on the right side (see `solved`). */
  solved: boolean;
  /** Why the run stopped early (the error became NaN or infinite). */
  diverged?: string;
}

/** solved(predictions): the lab's one success rule (`isSolved` in experiments/verdict.ts). */
export const solved = isSolved;

/**
 * The config a sweep actually runs: heat maps at the smallest resolution and one snapshot at the
 * end. Neither touches the training numbers (snapshots are evaluated without gradients and draw
 * nothing random); a test checks that the rows equal those of the full config.
 */
export function sweepConfig<C extends Config>(experiment: Experiment, config: C): C {
  const cheap: Config = { ...config };
  const { resolution, reportEvery, epochs } = experiment.schema;
  if (resolution?.type === 'integer') cheap.resolution = resolution.min;
  if (reportEvery?.type === 'integer' && typeof config.epochs === 'number' && epochs !== undefined) {
    cheap.reportEvery = Math.min(reportEvery.max, Math.max(reportEvery.min, config.epochs));
  }
  return cheap as C;
}

/** The row of one run, from its final record. */
export function rowOf(task: SweepTask, final: Pick<FinalRecord, 'error' | 'predictions'>): SweepRow {
  return { ...taskFields(task), finalError: final.error ?? null, solved: solved(final.predictions) };
}

function taskFields(task: SweepTask): Pick<SweepRow, 'seed' | 'value'> {
  return task.value === undefined ? { seed: task.seed } : { seed: task.seed, value: task.value };
}

/** runOne(plan, task) trains one network and reports its row; a diverged run is a row, not an error. */
export function runOne(plan: SweepPlan, task: SweepTask, options: { cheap?: boolean } = {}): SweepRow {
  const experiment = findExperiment(plan.experiment);
  if (!experiment.sweepable) {
    throw new ConfigError(`sweep: ${experiment.name} cannot be swept: its runs make no predictions with targets to judge as solved or not (sweep an experiment that trains a network, e.g. two-layer)`);
  }
  const config = resolveConfig(experiment, configOf(plan, task));
  let final: FinalRecord | undefined;
  try {
    for (const record of experiment.run(options.cheap === false ? config : sweepConfig(experiment, config), task.seed)) {
      if (record.kind === 'final') final = record;
    }
  } catch (error) {
    if (error instanceof DivergedError) return { ...taskFields(task), finalError: null, solved: false, diverged: error.message };
    throw error;
  }
  if (final === undefined || final.predictions.length === 0 || final.predictions.some((p) => p.target.length === 0)) {
    throw new Error(`sweep: ${experiment.name} declares itself sweepable, but its final record has no predictions with targets to judge`);
  }
  return rowOf(task, final);
}
