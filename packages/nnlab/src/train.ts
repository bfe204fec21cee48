/**
 * The common training loop: epochs of full-batch or shuffled-minibatch steps, with optional
 * clipping, yielding one event per epoch. A non-finite loss or parameter stops training with an
 * error that names the epoch and the first bad parameter, instead of training on NaN.
 */
import { Tensor } from './tensor/tensor.js';
import { formatShape } from './tensor/shape.js';
import { copyInto } from './tensor/dtype.js';
import { describeValue } from './tensor/arguments.js';
import type { Module } from './nn/module.js';
import type { Optimizer, PenaltyOptions } from './optim/optimizer.js';
import { clipGradNorm, clipGradValue } from './optim/clip.js';
import type { Generator } from './random/generator.js';
import { captureStep } from './capture/step.js';
import { captureOrReuse } from './capture/keep.js';
import { CaptureRefusedError } from './capture/refused.js';
import type { CaptureMode, CapturedStep } from './capture/step.js';

/** What `record` and `onGradients` callbacks receive. */
export interface TrainingContext {
  /** The model being trained. */
  model: Module;
  /** 1-based epoch that just finished. */
  epoch: number;
}

/** What {@link fit} and {@link trainingEvents} train, with what, and how. */
export interface FitOptions<Recorded extends Record<string, unknown> = Record<string, never>> {
  /** [n, …] inputs; rows are samples. */
  inputs: Tensor;
  /** [n, …] targets (class indices as a [n] tensor for cross entropy). */
  targets: Tensor;
  /** loss(predictions, targets) → scalar tensor, e.g. `nn.mseLoss`. */
  loss: (predictions: Tensor, targets: Tensor) => Tensor;
  /** The optimiser that steps the model's parameters. */
  optimizer: Optimizer<PenaltyOptions>;
  /** Passes over the samples. */
  epochs: number;
  /** Samples per step (default all: one full-batch step per epoch, as the chapter trains). */
  batchSize?: number;
  /** Shuffles the samples each epoch when minibatching; required then, so runs are reproducible. */
  rng?: Generator;
  /** Clip the gradients' global norm to this before each step. */
  clipNorm?: number;
  /** Clip each gradient element to ±clipValue before each step. */
  clipValue?: number;
  /**
   * Replay each step captured once per batch size (`captureStep`): the same numbers, without
   * building the graph every step (small nets train several times faster), for the losses
   * captureStep replays: mseLoss, bceWithLogitsLoss, crossEntropyLoss (each minibatch's class
   * labels are an input of the replay, checked at each step). Not with clipping,
   * which would have to run between backward and the update. A non-finite loss is caught after
   * that step's update, so the error names the first parameter the update spoiled.
   *
   * The steps are captured before the first epoch, so a model captureStep refuses (an op
   * without a replay kernel, dropout in training mode) throws before anything has changed.
   * A small net's steps are kept with the model: a later call whose loss traces to the same
   * graph (the same ops, shapes, parameters, constants, optimizer and modes) replays them
   * rather than planning and compiling it again.
   * Pass a `CapturedSteps` map instead of `true` to keep the steps yourself and skip even the
   * trace (a caller that fits one epoch at a time): fit replays the steps it holds and adds the
   * ones it captures. They replay the model, optimizer and loss they were captured with, so
   * clear the map when any of those changes; the optimizer's options are read at every step
   * and may change.
   *
   * Default: `fit` captures when it can and trains eagerly otherwise (see {@link fit});
   * `trainingEvents` steps eagerly.
   */
  capture?: boolean | CapturedSteps;
  /**
   * How captured steps run (see `captureStep`'s mode). Default: generated code where `new Function`
   * is allowed, closures otherwise; a page whose Content-Security-Policy forbids `new Function`
   * passes 'closures', so nothing probes for it (a probe logs a CSP violation).
   */
  captureMode?: CaptureMode;
  /**
   * Called after each backward pass, before clipping and the update, with the step's gradients in
   * the parameters' `.grad` (e.g. to measure what clipping changes). It must not change them.
   * Not with capture, whose replay runs backward and the update as one step.
   */
  onGradients?: (context: TrainingContext) => void;
  /** Extra values to compute after each epoch, e.g. `{ testError: ({ model }) => … }`. */
  record?: { [K in keyof Recorded]: (context: TrainingContext) => Recorded[K] };
}

/** Captured training steps by batch size, kept between `fit` calls (see `FitOptions.capture`). */
export type CapturedSteps = Map<number, CapturedStep<'x' | 't'>>;

/** One epoch's report: its loss, the steps so far, and the values `record` asked for. */
export type TrainingEvent<Recorded extends Record<string, unknown> = Record<string, never>> = {
  /** 1-based. */
  epoch: number;
  /** Mean of the epoch's minibatch losses (in training mode, before each step). */
  loss: number;
  /** Optimiser steps taken so far. */
  steps: number;
  /** Gradient global norm before clipping, at the epoch's last step (when clipping). */
  gradNorm?: number;
} & Recorded;

/** Training stopped because a loss or parameter became non-finite. */
export class NonFiniteError extends Error {
  /** `'NonFiniteError'`: error reports and logs show it. */
  override readonly name = 'NonFiniteError';

  constructor(
    message: string,
    /** The 1-based epoch in which it happened. */
    readonly epoch: number,
    /** The dotted name of the first parameter holding (or with a gradient holding) a non-finite value, or null. */
    readonly parameter: string | null,
    /**
     * The loss that was checked: a non-finite one (the batch's, computed before its update), or
     * the epoch's finite mean when it was a parameter that went bad.
     */
    readonly loss: number = NaN,
  ) {
    super(message);
  }
}

function rows(x: Tensor, indices: readonly number[] | null): Tensor {
  return indices === null ? x : x.gather(indices, 0);
}

function firstNonFinite(named: readonly [string, Tensor][], what: 'data' | 'grad'): [string, number, number] | null {
  for (const [name, p] of named) {
    const values = what === 'data' ? p.data : p.grad?.data;
    if (values === undefined) continue;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return [name, i, values[i]];
  }
  return null;
}

/** Whether every parameter value is finite: one multiply-add per value and one test (x·0 is NaN for ±∞ and NaN). */
function allFinite(named: readonly [string, Tensor][]): boolean {
  let zero = 0;
  for (let k = 0; k < named.length; k++) {
    const values = named[k][1].data;
    for (let i = 0; i < values.length; i++) zero += values[i] * 0;
  }
  return zero === 0;
}

function checkFinite(named: readonly [string, Tensor][], epoch: number, loss: number): void {
  if (Number.isFinite(loss) && allFinite(named)) return;
  const badValue = firstNonFinite(named, 'data');
  const badGradient = badValue === null && !Number.isFinite(loss) ? firstNonFinite(named, 'grad') : null;
  if (badValue === null && badGradient === null && Number.isFinite(loss)) return;
  const bad = badValue ?? badGradient;
  const what = badValue !== null ? 'holds' : 'has gradient';
  const where = bad === null ? '' : `; first bad parameter: '${bad[0]}' ${what} ${bad[2]} at flat index ${bad[1]}`;
  throw new NonFiniteError(
    `train: ${Number.isFinite(loss) ? 'a parameter became non-finite' : `loss became ${loss}`} at epoch ${epoch}${where} ` +
      '(try a smaller learning rate or gradient clipping)',
    epoch,
    bad?.[0] ?? null,
    loss,
  );
}

/** The types fit and trainingEvents need, checked before anything trains (messages say `train:`, as the rest). */
function checkFitArguments(model: unknown, options: unknown): void {
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  if (!isObject(model) || typeof model.forward !== 'function' || typeof model.namedParameters !== 'function') {
    throw new Error(`train: model must be an nn.Module (with forward and namedParameters), got ${describeValue(model)}`);
  }
  if (!isObject(options)) throw new Error(`train: options must be an object { inputs, targets, loss, optimizer, epochs }, got ${describeValue(options)}`);
  for (const key of ['inputs', 'targets'] as const) {
    if (!(options[key] instanceof Tensor)) throw new Error(`train: ${key} must be a Tensor, got ${describeValue(options[key])}`);
  }
  if (typeof options.loss !== 'function') throw new Error(`train: loss must be a function (predictions, targets) → scalar Tensor, e.g. nn.mseLoss, got ${describeValue(options.loss)}`);
  const optimizer = options.optimizer;
  if (!isObject(optimizer) || typeof optimizer.step !== 'function' || typeof optimizer.zeroGrad !== 'function') {
    throw new Error(`train: optimizer must be an optimiser (e.g. new optim.SGD(model.parameters())), got ${describeValue(optimizer)}`);
  }
  for (const key of ['onGradients', 'onEpoch'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw new Error(`train: ${key} must be a function, got ${describeValue(options[key])}`);
  }
  if (options.record !== undefined && (!isObject(options.record) || Object.values(options.record).some((f) => typeof f !== 'function'))) {
    throw new Error('train: record must be an object of functions ({ model, epoch }) → value');
  }
  if (options.rng !== undefined && (!isObject(options.rng) || typeof options.rng.permutation !== 'function')) {
    throw new Error(`train: rng must be a Generator (rng(seed)), got ${describeValue(options.rng)}`);
  }
  for (const key of ['clipNorm', 'clipValue'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'number') throw new Error(`train: ${key} must be a number, got ${describeValue(options[key])}`);
  }
}

/** A training run set up: the arguments checked, the model in training mode, the steps captured. */
interface Training<Recorded extends Record<string, unknown>> {
  /** Trains epoch `epoch` (1-based, in order) and reports it. */
  epoch(epoch: number): TrainingEvent<Recorded>;
}

/**
 * Checks the arguments, puts the model in training mode and captures the steps (when
 * `capture`), before any epoch: a refusal or bad argument throws with nothing trained and the
 * model back in evaluation mode. The caller trains its epochs in order, then calls `model.eval()`.
 * A plain function per epoch rather than a generator's loop: fit calls it directly, so a small
 * net's epoch (a few hundred nanoseconds) does not pay for resuming a generator.
 */
function startTraining<Recorded extends Record<string, unknown>>(model: Module, options: FitOptions<Recorded>): Training<Recorded> {
  checkFitArguments(model, options);
  const { inputs, targets, loss, optimizer, epochs, rng, clipNorm, clipValue, record, onGradients } = options;
  const n = inputs.shape[0];
  if (!(inputs instanceof Tensor) || !(targets instanceof Tensor) || inputs.rank === 0 || targets.shape[0] !== n) {
    throw new Error(
      `train: inputs and targets need the same number of rows, got inputs ${formatShape(inputs.shape)} and targets ${formatShape(targets.shape)}`,
    );
  }
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`train: epochs must be a non-negative integer, got ${epochs}`);
  const batchSize = options.batchSize ?? n;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`train: batchSize must be a positive integer, got ${batchSize}`);
  const minibatches = batchSize < n;
  if (minibatches && rng === undefined) {
    throw new Error(`train: batchSize ${batchSize} < ${n} samples shuffles each epoch and needs a seeded Generator: pass { rng }`);
  }
  if (options.capture && (clipNorm !== undefined || clipValue !== undefined)) {
    throw new Error('train: capture replays backward and the update as one step, so it cannot clip between them: drop clipNorm/clipValue or capture');
  }
  if (options.capture && onGradients !== undefined) {
    throw new Error('train: capture replays backward and the update as one step, so onGradients cannot see the gradients between them: drop onGradients or capture');
  }
  if (options.capture !== undefined && typeof options.capture !== 'boolean' && !(options.capture instanceof Map)) {
    throw new Error('train: capture must be true, false or a CapturedSteps map (to keep the captured steps between calls)');
  }
  // One captured step per batch size (the last minibatch may be smaller).
  const captured = options.capture === true ? new Map() as CapturedSteps : options.capture || null;
  /** Captures the missing steps, tracing each on the first rows (a replay reads its batch's values). */
  const captureSteps = (steps: CapturedSteps): void => {
    const full = Math.min(batchSize, n);
    for (const size of new Set([full, n % full || full])) {
      if (steps.has(size)) continue;
      const first = size === n ? null : Array.from({ length: size }, (_, i) => i);
      const x = rows(inputs, first);
      const t = rows(targets, first);
      const capture = options.capture === true ? captureOrReuse : captureStep;
      steps.set(size, capture({ model, optimizer, inputs: { x, t }, loss: (i) => loss(model.forward(i.x), i.t), mode: options.captureMode }));
    }
  };
  // Named once: the finiteness check runs every epoch and should not walk the module tree each time.
  const named = model.namedParameters();
  const params = named.map(([, p]) => p);
  model.train();
  try {
    if (captured !== null && epochs > 0 && n > 0) captureSteps(captured);
  } catch (error) {
    model.eval();
    throw error;
  }
  // The whole set in one captured step: written straight into the step's inputs each epoch (what
  // run({ x, t }) does, without its checks of names and shapes, which cost as much as a small
  // net's step). Read each epoch, as an eager step reads them: a callback may change the values.
  const wholeSet = captured !== null && !minibatches ? captured.get(n) ?? null : null;
  /** The gradient norm before clipping at the last step (when clipping). */
  let gradNorm: number | undefined;

  /** The epoch's batches, stepped: the mean of their losses. */
  const trainBatches = (epoch: number): number => {
    if (wholeSet !== null) {
      copyInto(wholeSet.inputs.x.data, inputs.data);
      copyInto(wholeSet.inputs.t.data, targets.data);
      const lossValue = wholeSet.run();
      if (!Number.isFinite(lossValue)) checkFinite(named, epoch, lossValue);
      return lossValue;
    }
    const order = minibatches ? rng!.permutation(n) : null;
    let total = 0;
    let batches = 0;
    for (let start = 0; start < n; start += batchSize) {
      const batch = order === null ? null : order.slice(start, start + batchSize);
      if (captured !== null) {
        const x = rows(inputs, batch);
        const lossValue = captured.get(x.shape[0])!.run({ x, t: rows(targets, batch) });
        if (!Number.isFinite(lossValue)) checkFinite(named, epoch, lossValue);
        total += lossValue;
        batches++;
        continue;
      }
      optimizer.zeroGrad();
      const value = loss(model.forward(rows(inputs, batch)), rows(targets, batch));
      if (value.size !== 1) throw new Error(`train: the loss must be a scalar, got shape ${formatShape(value.shape)}`);
      const lossValue = value.item();
      value.backward();
      // After backward, so a bad loss can be traced to the first parameter with a bad gradient.
      if (!Number.isFinite(lossValue)) checkFinite(named, epoch, lossValue);
      onGradients?.({ model, epoch });
      if (clipNorm !== undefined) gradNorm = clipGradNorm(params, clipNorm);
      if (clipValue !== undefined) gradNorm = clipGradValue(params, clipValue);
      optimizer.step();
      total += lossValue;
      batches++;
    }
    return total / batches;
  };

  return {
    epoch(epoch: number): TrainingEvent<Recorded> {
      const lossValue = trainBatches(epoch);
      checkFinite(named, epoch, lossValue);
      const event = { epoch, loss: lossValue, steps: optimizer.stepCount } as TrainingEvent<Recorded>;
      if (gradNorm !== undefined) event.gradNorm = gradNorm;
      if (record !== undefined) {
        model.eval();
        for (const key of Object.keys(record) as (keyof Recorded)[]) {
          (event as Record<keyof Recorded, unknown>)[key] = record[key]({ model, epoch });
        }
        model.train();
      }
      return event;
    },
  };
}

/**
 * Trains `model` and yields one event per epoch. Iterate it to drive training step by step
 * (the lab redraws between epochs); break out of the loop to stop early. The model is in
 * training mode while it trains and is left in evaluation mode.
 */
export function* trainingEvents<Recorded extends Record<string, unknown> = Record<string, never>>(
  model: Module,
  options: FitOptions<Recorded>,
): IterableIterator<TrainingEvent<Recorded>> {
  const training = startTraining(model, options);
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) yield training.epoch(epoch);
  } finally {
    model.eval();
  }
}

/**
 * Trains `model` to the end and returns every epoch's event. `onEpoch` sees each event as it
 * happens; returning `'stop'` ends training early.
 *
 * Unless told otherwise (`capture`), fit captures its steps (`captureStep`) when it can: when
 * neither clipping nor `onGradients` has to run between backward and the update, and
 * captureStep accepts the model and loss. The numbers are the eager steps' to the last bit
 * either way; a model it refuses (dropout in training mode, an op without a replay kernel, a
 * loss other than mseLoss, bceWithLogitsLoss or crossEntropyLoss) trains eagerly, as
 * `capture: false` does. Only a loss that turns non-finite is reported differently: after the
 * step's update, naming the first parameter it spoiled (see `capture`).
 */
export function fit<Recorded extends Record<string, unknown> = Record<string, never>>(
  model: Module,
  options: FitOptions<Recorded> & { onEpoch?: (event: TrainingEvent<Recorded>) => void | 'stop' },
): TrainingEvent<Recorded>[] {
  const training = startFit(model, options);
  const history: TrainingEvent<Recorded>[] = [];
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const event = training.epoch(epoch);
      history.push(event);
      if (options.onEpoch?.(event) === 'stop') break;
    }
  } finally {
    model.eval(); // after a stop or a throw too, as finishing does
  }
  return history;
}

/** startTraining with fit's default: captured steps where captureStep accepts the model, else eager ones. */
function startFit<Recorded extends Record<string, unknown>>(model: Module, options: FitOptions<Recorded>): Training<Recorded> {
  checkFitArguments(model, options);
  const mayCapture = options.capture === undefined && options.clipNorm === undefined && options.clipValue === undefined && options.onGradients === undefined;
  if (!mayCapture) return startTraining(model, options);
  try {
    // The steps are captured here, before the first epoch: a refusal has changed nothing yet.
    return startTraining(model, { ...options, capture: true });
  } catch (error) {
    if (!(error instanceof CaptureRefusedError)) throw error;
    return startTraining(model, options);
  }
}
