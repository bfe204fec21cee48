/**
 * The training loop every chapter program shares, as the originals run it: full-batch gradient
 * descent, the training error measured in evaluation mode (no dropout) after every step, and
 * heat-map snapshots every `reportEvery` epochs. Unlike the originals, epoch e's error is the
 * error after e steps (epoch 0 is before training) and the error after the last step is kept.
 */
import { noGrad, optim, tensor } from 'nnlab';
import type { Tensor, nn } from 'nnlab';
import type { Dataset } from '../datasets/gates.js';
import { parametersOf, predictionsOf, inputsOf, gridOf } from './common.js';
import type { DecisionLine, FigureRecord, HeatMap, LabRecord, StartRecord } from './types.js';

/** One model being trained; a plan may train several side by side (e.g. with and without dropout). */
export interface Trainee {
  /** The error series name: 'train' for the main model. */
  series: string;
  model: nn.Module;
  /** The loss on the model's raw output (probabilities for MSE, logits for cross entropy). */
  loss: (output: Tensor, targets: Tensor) => Tensor;
}

export interface TrainingPlan {
  start: StartRecord;
  data: Dataset;
  /** Targets as the loss wants them (a [n, 1] tensor, or class indices [n]). */
  targets: Tensor;
  trainees: Trainee[];
  learningRate: number;
  epochs: number;
  reportEvery: number;
  resolution: number;
  /** Heat maps of the main model over the grid (evaluated without gradients, in eval mode). */
  maps(model: nn.Module, grid: Tensor): HeatMap[];
  lines?(model: nn.Module): DecisionLine[];
  /** The prediction the final table shows (e.g. sigmoid of logits). */
  predict(model: nn.Module, inputs: Tensor): Tensor;
  /** Extra values for the final record. */
  extra?(): Record<string, unknown>;
  /** Figures to yield right after the start record (illustrations beside the training run). */
  figures?: FigureRecord[];
}

/** A run whose error became NaN or infinite: the lab says so instead of drawing garbage. */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
}

export function* train(plan: TrainingPlan): Iterable<LabRecord> {
  yield plan.start;
  yield* plan.figures ?? [];
  const inputs = inputsOf(plan.data);
  const optimizers = plan.trainees.map(({ model }) => new optim.SGD(model.parameters(), { lr: plan.learningRate }));
  const main = plan.trainees[0].model;
  for (let epoch = 0; ; epoch++) {
    for (const { series, model, loss } of plan.trainees) {
      model.eval();
      const error = noGrad(() => loss(model.forward(inputs), plan.targets)).item();
      if (!Number.isFinite(error)) {
        throw new DivergedError(
          `${plan.start.experiment}: the ${series === 'train' ? '' : `'${series}' `}error became ${error} at epoch ${epoch}; ` +
            'try a smaller --learning-rate',
        );
      }
      yield { kind: 'epoch', epoch, error, series };
    }
    if (epoch % plan.reportEvery === 0 || epoch === plan.epochs) yield snapshot(plan, main, epoch);
    if (epoch === plan.epochs) break;
    plan.trainees.forEach(({ model, loss }, i) => {
      model.train();
      optimizers[i].zeroGrad();
      loss(model.forward(inputs), plan.targets).backward();
      optimizers[i].step();
    });
  }
  main.eval();
  yield {
    kind: 'final',
    error: noGrad(() => plan.trainees[0].loss(main.forward(inputs), plan.targets)).item(),
    predictions: predictionsOf(plan.data, (x) => plan.predict(main, x)),
    parameters: parametersOf(main),
    ...(plan.extra ? { extra: plan.extra() } : {}),
  };
}

function snapshot(plan: TrainingPlan, model: nn.Module, epoch: number): LabRecord {
  model.eval();
  const maps = noGrad(() => plan.maps(model, gridOf(plan.resolution)));
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
