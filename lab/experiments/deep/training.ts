/**
 * Trains several deep networks side by side on the same data from the same seed, by plain
 * full-batch gradient descent (no momentum, no adaptive step: what each layer's gradient is, is
 * exactly what moves it, so a vanishing gradient shows up as a layer that does not learn).
 *
 * The lab's driver (driver.ts) steps every network and reads its error after each epoch; a
 * network whose error or weights stop being finite stops there and the others go on. At epoch 0,
 * every `reportEvery` epochs and at the end it also yields one heat map per network and the
 * experiment's figures, with each layer's gradient norm at those weights (one backward pass, no
 * step: the step itself is the driver's, replayed where captureStep takes the network).
 */
import { Generator, nn, noGrad, optim, sigmoid } from 'nnlab';
import type { NestedArray, Tensor } from 'nnlab';
import type { Dataset } from '../../datasets/gates.js';
import { circle } from '../../datasets/circle.js';
import { dataPoints, epochsOption, gridOf, heatMap, inputsOf, learningRateOption, predictionsOf, reportEveryOption, resolutionOption } from '../common.js';
import { targetTensor } from '../training.js';
import { Trainee, sideBySide } from '../driver.js';
import { RIGHT_SIDE_KEY, rightSideItem } from '../verdict.js';
import type { Config, FigureRecord, FinalItem, HeatMap, LabRecord, OptionSpec } from '../types.js';
import { INITS } from './nets.js';
import type { DeepNet, Trace } from './nets.js';
import { gradNorm } from './measures.js';

/** Each experiment's defaults for the shared options. */
export interface DeepDefaults {
  depth: number;
  width: number;
  points: number;
  epochs: number;
  learningRate: number;
  reportEvery: number;
  init: string;
}

/** The options every deep-network experiment has, with per-experiment defaults. */
export function deepOptions(defaults: DeepDefaults) {
  return {
    depth: { type: 'integer', default: defaults.depth, min: 2, max: 64, help: 'weight layers: depth − 1 hidden layers, then the output layer' } as OptionSpec,
    width: { type: 'integer', default: defaults.width, min: 1, max: 64, help: 'units in each hidden layer' } as OptionSpec,
    init: {
      type: 'choice',
      default: defaults.init,
      choices: INITS,
      help: 'initial weights: glorot (uniform, variance 2/(fan-in + fan-out)), he (normal, variance 2/fan-in) or normal (--init-std)',
    } satisfies OptionSpec,
    initStd: { type: 'number', default: 0.3, min: 0, max: 10, help: 'standard deviation of the weights for --init normal' } as OptionSpec,
    points: { type: 'integer', default: defaults.points, min: 4, max: 2000, help: 'training points drawn in the unit square (target: inside the circle)' } as OptionSpec,
    epochs: epochsOption(defaults.epochs),
    learningRate: learningRateOption(defaults.learningRate),
    reportEvery: reportEveryOption(defaults.reportEvery),
    resolution: resolutionOption,
  };
}

export interface DeepConfig extends Config {
  depth: number;
  width: number;
  init: string;
  initStd: number;
  points: number;
  epochs: number;
  learningRate: number;
  reportEvery: number;
  resolution: number;
}

/** One network of the comparison: its error series name (also its label in figures and tables). */
export interface Variant {
  series: string;
  net: DeepNet;
}

/** A network's state at a reporting epoch, before that epoch's step. */
export interface VariantState {
  series: string;
  net: DeepNet;
  error: number;
  /** ‖∂E/∂W‖ of layers 1 … depth at the current weights. */
  gradNorms: number[];
  /** The forward pass on the training inputs, with every hidden layer's values. */
  trace: Trace;
  /** Where the variant stopped because its error was no longer a finite number (null: it did not). */
  stoppedAt: Stop | null;
}

/** The epoch at which a variant's error was first not finite, and that error (Infinity or NaN). */
export interface Stop {
  epoch: number;
  error: number;
}

export interface DeepPlan {
  experiment: string;
  config: DeepConfig;
  seed: number;
  data: Dataset;
  variants: Variant[];
  /** The start record's errorScale: 'log' when the variants' errors start orders of magnitude apart. */
  errorScale?: 'log';
  /** The figures at a reporting epoch (yielded again at every report, under the same names). */
  report(epoch: number, states: VariantState[]): FigureRecord[];
  /** The final record's extra values, given the states at the last epoch and each variant's error per epoch. */
  extra(states: VariantState[], errors: number[][]): Record<string, FinalItem>;
}

/** The shared training data: `points` points on the unit square, labelled by the circle. */
export function circleData(points: number, seed: number): Dataset {
  return circle(points, new Generator(seed).fork('data'));
}

export function* trainSideBySide(plan: DeepPlan): Iterable<LabRecord> {
  const { experiment, config, seed, data, variants } = plan;
  const { epochs, reportEvery, learningRate, resolution } = config;
  // The first variant is the main series ('train', named after the variant), so the page's epoch
  // and error readouts, the progress bar and --json's history follow it.
  yield {
    kind: 'start', experiment, config, seed, epochs, reportEvery, errorLabel: 'XE', mainSeries: variants[0].series,
    ...(plan.errorScale === undefined ? {} : { errorScale: plan.errorScale }), data: dataPoints(data),
  };
  const inputs = inputsOf(data);
  const targets = targetTensor(data);
  const trainees = variants.map(
    ({ series, net }) =>
      new Trainee({ series, model: net, loss: nn.bceWithLogitsLoss, optimizer: new optim.SGD(net.parameters(), { lr: learningRate }), stepLossIsError: true }),
  );
  // A variant whose error stops being a finite number stops there on its own (its curve ends,
  // its last report stays as it was, the final record says where), and the others go on: one
  // diverging network should not take the comparison down with it.
  const stopped: (Stop | null)[] = variants.map(() => null);
  let states: VariantState[] = [];
  let maps: HeatMap[] = [];
  const history: number[][] = variants.map(() => []);
  // Between reports nothing reads the nets: their errors come from the next step's loss.
  const reads = (epoch: number) => epoch % reportEvery === 0;
  for (const { epoch, errors, diverged, last } of sideBySide(trainees, { inputs, targets, epochs, reads })) {
    for (const d of diverged) stopped[variants.findIndex((v) => v.series === d.series)] = { epoch: d.epoch, error: d.error };
    for (const [i, { series }] of variants.entries()) {
      const error = errors[i];
      if (error === null) continue;
      history[i].push(error);
      yield { kind: 'epoch', epoch, error, series: i === 0 ? 'train' : series };
    }
    if (epoch % reportEvery !== 0 && !last) continue;
    states = variants.map(({ series, net }, i) => {
      // A stopped variant keeps the state of its last report (a report before it stopped: the
      // weights it has now are the ones that overflowed). Only one that stopped at epoch 0
      // has none, and shows what it has.
      if (errors[i] === null && states[i] !== undefined) return { ...states[i], stoppedAt: stopped[i] };
      return {
        series,
        net,
        error: errors[i] ?? stopped[i]!.error,
        gradNorms: gradNormsAt(trainees[i], inputs, targets),
        trace: noGrad(() => net.trace(inputs)),
        stoppedAt: stopped[i],
      };
    });
    maps = noGrad(() =>
      variants.map(({ series, net }, i) =>
        errors[i] === null && maps[i] !== undefined ? maps[i] : heatMap(`Output ${series}`, sigmoid(net.forward(gridOf(resolution))), 0, resolution),
      ),
    );
    yield { kind: 'snapshot', epoch, maps, parameters: {} };
    yield* plan.report(epoch, states);
  }
  const mainError = stopped[0] === null ? { error: history[0][epochs] } : {};
  // What the verdict judges each net by: its points on the right side at the final weights.
  const rightSide = rightSideItem(variants.map(({ series, net }) => ({ variant: series, predictions: predictionsOf(data, (x) => sigmoid(net.forward(x))) })));
  yield { kind: 'final', ...mainError, predictions: [], parameters: parametersOfAll(variants), extra: { ...plan.extra(states, history), [RIGHT_SIDE_KEY]: rightSide } };
}

/** ‖∂E/∂W‖ of each weight layer at the current weights: one backward pass, no step. */
function gradNormsAt(trainee: Trainee, inputs: Tensor, targets: Tensor): number[] {
  const net = trainee.model as DeepNet;
  trainee.optimizer.zeroGrad();
  trainee.loss(net.forward(inputs), targets).backward();
  return net.layerWeights().map(gradNorm);
}

/** Every network's parameters, named '<series>: <dotted name>'. */
function parametersOfAll(variants: readonly Variant[]): Record<string, NestedArray> {
  const out: Record<string, NestedArray> = {};
  for (const { series, net } of variants) for (const [name, p] of net.namedParameters()) out[`${series}: ${name}`] = p.toArray();
  return out;
}

/** The layers 1 … n as figure x values. */
export function layerAxis(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** The epochs at which the error first fell to half its starting value (null if it never did). */
export function epochsToHalve(errors: readonly number[]): number | null {
  const index = errors.findIndex((e) => e <= errors[0] / 2);
  return index < 0 ? null : index;
}
