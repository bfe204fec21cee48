/**
 * The records every chapter program's training yields, as the originals train: full-batch
 * gradient descent (through the lab's driver, driver.ts), the training error measured in
 * evaluation mode (no dropout) after every step, and heat-map snapshots every `reportEvery`
 * epochs. Unlike the originals, epoch e's error is the error after e steps (epoch 0 is before
 * training) and the error after the last step is kept. A run that diverges throws DivergedError.
 */
import { noGrad, optim, tensor } from 'nnlab';
import type { Tensor, nn } from 'nnlab';
import type { Dataset } from '../datasets/gates.js';
import { DivergedError, Trainee, sideBySide } from './driver.js';
import type { LossFunction } from './driver.js';
import { dataPoints, gridOf, inputsOf, parametersOf, predictionsOf } from './common.js';
import type { Config, Continuation, DecisionLine, FigureRecord, FinalItem, HeatMap, LabRecord, StartRecord } from './types.js';

/** One model a plan trains; a plan may train several side by side (e.g. with and without dropout). */
export interface PlannedTrainee {
  /** The error series name: 'train' for the main model. */
  series: string;
  model: nn.Module;
  loss: LossFunction;
}

/** The options every training experiment has (its schema declares them with the originals' defaults). */
export interface TrainingConfig {
  epochs: number;
  learningRate: number;
  reportEvery: number;
  resolution: number;
}

export interface TrainingPlan {
  experiment: string;
  config: TrainingConfig & Config;
  seed: number;
  /** What the error is: 'MSE' or 'XE' (cross entropy). */
  errorLabel: 'MSE' | 'XE';
  /** What the main ('train') series is when a run compares several (see StartRecord). */
  mainSeries?: string;
  data: Dataset;
  /** Targets as the loss wants them (a [n, 1] tensor, or class indices [n]). */
  targets: Tensor;
  trainees: PlannedTrainee[];
  /** Heat maps of the main model over the grid (evaluated without gradients, in eval mode). */
  maps(model: nn.Module, grid: Tensor): HeatMap[];
  lines?(model: nn.Module): DecisionLine[];
  /** The prediction the final table shows (e.g. sigmoid of logits). */
  predict(model: nn.Module, inputs: Tensor): Tensor;
  /** What else the final record reports. */
  extra?(): Record<string, FinalItem>;
  /** Figures to yield right after the start record (illustrations beside the training run). */
  figures?: FigureRecord[];
}

export function* train(plan: TrainingPlan): Generator<LabRecord, void, Continuation | undefined> {
  const { experiment, config, seed, errorLabel, data } = plan;
  const { reportEvery, learningRate } = config;
  const start: StartRecord = {
    kind: 'start', experiment, config, seed, epochs: config.epochs, reportEvery, errorLabel,
    ...(plan.mainSeries === undefined ? {} : { mainSeries: plan.mainSeries }),
    data: dataPoints(data),
  };
  yield start;
  yield* plan.figures ?? [];
  const inputs = inputsOf(data);
  const trainees = plan.trainees.map(
    ({ series, model, loss }) => new Trainee({ series, model, loss, optimizer: new optim.SGD(model.parameters(), { lr: learningRate }) }),
  );
  const main = plan.trainees[0].model;
  let finalError = NaN;
  // A continued run (see Continuation) trains the same trainees on from the epoch after its last:
  // full-batch steps with a stateless optimiser, so its records from there are a longer run's.
  let [from, epochs] = [0, config.epochs];
  for (;;) {
    for (const { epoch, errors, diverged } of sideBySide(trainees, { inputs, targets: plan.targets, epochs, from })) {
      // In the trainees' order, up to the first that diverged: the chapter's programs have no use
      // for a run that went on without it.
      for (const [i, { series }] of trainees.entries()) {
        const error = errors[i];
        if (error === null) {
          const d = diverged.find((x) => x.series === series)!;
          throw new DivergedError(
            `${experiment}: the ${series === 'train' ? '' : `'${series}' `}error became ${d.error} at epoch ${d.epoch}; try a smaller --learning-rate`,
            d,
          );
        }
        yield { kind: 'epoch', epoch, error, series };
      }
      finalError = errors[0]!;
      if (epoch % reportEvery === 0 || epoch === epochs) yield snapshot(plan, main, epoch);
    }
    main.eval();
    const next = yield {
      kind: 'final',
      error: finalError,
      predictions: predictionsOf(data, (x) => plan.predict(main, x)),
      parameters: parametersOf(main),
      ...(plan.extra ? { extra: plan.extra() } : {}),
    };
    if (next === undefined || !(next.continueEpochs >= 1)) return;
    [from, epochs] = [epochs + 1, epochs + next.continueEpochs];
  }
}

function snapshot(plan: TrainingPlan, model: nn.Module, epoch: number): LabRecord {
  model.eval();
  const maps = noGrad(() => plan.maps(model, gridOf(plan.config.resolution)));
  return {
    kind: 'snapshot',
    epoch,
    maps,
    ...(plan.lines ? { lines: plan.lines(model) } : {}),
    parameters: parametersOf(model),
  };
}

/** Binary targets [[t], …] as a [n, 1] tensor. */
export function targetTensor(data: Dataset): Tensor {
  return tensor(data.targets);
}
