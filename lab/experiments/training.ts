/**
 * The training loop every chapter program shares, as the originals run it: full-batch gradient
 * descent, the training error measured in evaluation mode (no dropout) after every step, and
 * heat-map snapshots every `reportEvery` epochs. Unlike the originals, epoch e's error is the
 * error after e steps (epoch 0 is before training) and the error after the last step is kept.
 */
import { CaptureRefusedError, captureStep, noGrad, optim, tensor } from 'nnlab';
import type { CapturedStep, Tensor, nn } from 'nnlab';
import type { Dataset } from '../datasets/gates.js';
import { dataPoints, gridOf, inputsOf, parametersOf, predictionsOf } from './common.js';
import type { Config, DecisionLine, FigureRecord, HeatMap, LabRecord, StartRecord } from './types.js';

/** One model being trained; a plan may train several side by side (e.g. with and without dropout). */
export interface Trainee {
  /** The error series name: 'train' for the main model. */
  series: string;
  model: nn.Module;
  /** The loss on the model's raw output (probabilities for MSE, logits for cross entropy). */
  loss: (output: Tensor, targets: Tensor) => Tensor;
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
  data: Dataset;
  /** Targets as the loss wants them (a [n, 1] tensor, or class indices [n]). */
  targets: Tensor;
  trainees: Trainee[];
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
  const { experiment, config, seed, errorLabel, data } = plan;
  const { epochs, reportEvery, learningRate } = config;
  const start: StartRecord = { kind: 'start', experiment, config, seed, epochs, reportEvery, errorLabel, data: dataPoints(data) };
  yield start;
  yield* plan.figures ?? [];
  const inputs = inputsOf(data);
  const optimizers = plan.trainees.map(({ model }) => new optim.SGD(model.parameters(), { lr: learningRate }));
  const steps = plan.trainees.map((trainee, i) => stepOf(trainee, optimizers[i], inputs, plan.targets));
  const main = plan.trainees[0].model;
  for (let epoch = 0; ; epoch++) {
    for (const { series, model, loss } of plan.trainees) {
      model.eval();
      const error = noGrad(() => loss(model.forward(inputs), plan.targets)).item();
      if (!Number.isFinite(error)) {
        throw new DivergedError(
          `${experiment}: the ${series === 'train' ? '' : `'${series}' `}error became ${error} at epoch ${epoch}; ` +
            'try a smaller --learning-rate',
        );
      }
      yield { kind: 'epoch', epoch, error, series };
    }
    if (epoch % reportEvery === 0 || epoch === epochs) yield snapshot(plan, main, epoch);
    if (epoch === epochs) break;
    plan.trainees.forEach(({ model }, i) => {
      model.train();
      steps[i]();
    });
  }
  main.eval();
  yield {
    kind: 'final',
    error: noGrad(() => plan.trainees[0].loss(main.forward(inputs), plan.targets)).item(),
    predictions: predictionsOf(data, (x) => plan.predict(main, x)),
    parameters: parametersOf(main),
    ...(plan.extra ? { extra: plan.extra() } : {}),
  };
}

/**
 * Generated code in Node; closures in the browser, whose Content-Security-Policy (lab/server)
 * forbids `new Function`: probing for it there would log a CSP violation.
 */
const MODE = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === undefined ? 'closures' : undefined;

/**
 * A trainee's training step: captured once and replayed (captureStep: bit-identical to the eager
 * step, ~9× faster for the XOR net) where its ops allow; otherwise the eager
 * zeroGrad, forward, backward, step (dropout in training mode, or an op without a replay kernel).
 */
function stepOf({ model, loss }: Trainee, optimizer: optim.SGD, inputs: Tensor, targets: Tensor): () => void {
  model.train();
  const step = tryCapture(model, optimizer, inputs, targets, loss);
  if (step !== undefined) return () => void step.run();
  return () => {
    optimizer.zeroGrad();
    loss(model.forward(inputs), targets).backward();
    optimizer.step();
  };
}

/**
 * The step `optimizer` takes on `loss(model(inputs), targets)`, captured (a replay that returns
 * the loss before its update), or undefined when an op of the model or loss has no replay kernel:
 * the caller then steps eagerly.
 */
export function tryCapture(model: nn.Module, optimizer: optim.SGD, inputs: Tensor, targets: Tensor, loss: (output: Tensor, targets: Tensor) => Tensor): CapturedStep<'x' | 't'> | undefined {
  try {
    return captureStep({ model, optimizer, inputs: { x: inputs, t: targets }, loss: ({ x, t }) => loss(model.forward(x), t), mode: MODE });
  } catch (error) {
    if (error instanceof CaptureRefusedError) return undefined;
    throw error;
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
