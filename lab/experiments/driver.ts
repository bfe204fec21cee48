/**
 * The lab's one training driver, on the library's `trainingEvents`. A `Trainee` is one model with
 * its loss and optimiser, trained an epoch at a time: by replaying captured steps where
 * `captureStep` takes the model (the eager step's numbers, several times faster), else eagerly.
 * `sideBySide` trains several trainees on the same data, epoch by epoch, reading each one's error
 * after every epoch; a trainee whose loss or weights stop being finite numbers stops there, with
 * one `Divergence` that says where. The experiments (in Node and in their pages' worker) and the
 * playground's worker all train through it.
 */
import { CaptureRefusedError, NonFiniteError, noGrad, trainingEvents } from 'nnlab';
import type { CaptureMode, CapturedSteps, FitOptions, Generator, Tensor, TrainingContext, TrainingEvent, nn, optim } from 'nnlab';

/** A loss on the model's raw output (probabilities for MSE, logits for cross entropy). */
export type LossFunction = (output: Tensor, targets: Tensor) => Tensor;

/** Where a trainee stopped: the epoch (steps taken) and its error there (Infinity, NaN, or finite when a weight went bad first). */
export interface Divergence {
  series: string;
  epoch: number;
  error: number;
  /** What went wrong, from the library's check when it caught it (names the first bad parameter). */
  detail: string;
}

/** A run whose loss or weights became NaN or infinite: the lab says so instead of drawing garbage. */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
  readonly #divergence: Divergence | undefined;
  constructor(message: string, divergence?: Divergence) {
    super(message);
    this.#divergence = divergence;
  }

  /** Where it diverged (absent when a caller words an error of its own). */
  get divergence(): Divergence | undefined {
    return this.#divergence;
  }
}

/** How each step is taken, besides the data: minibatches, clipping, a look at the gradients. */
export interface StepOptions {
  /** Samples per step (default all: one full-batch step per epoch). */
  batchSize?: number;
  /** Shuffles the minibatches (required with batchSize below the sample count). */
  rng?: Generator;
  clipNorm?: number;
  clipValue?: number;
  /** Sees each step's gradients before clipping and the update (steps are then eager). */
  onGradients?: (context: TrainingContext) => void;
}

export interface TraineeOptions {
  /** The error series name ('train' for an experiment's main model). */
  series: string;
  model: nn.Module;
  loss: LossFunction;
  optimizer: optim.Optimizer<optim.PenaltyOptions>;
  /** false: eager steps only (the same numbers, slower: for comparison). Default true. */
  capture?: boolean;
  steps?: StepOptions;
}

/**
 * Generated code in Node; closures in the browser, whose Content-Security-Policy (lab/server)
 * forbids `new Function`: probing for it there would log a CSP violation.
 */
const CAPTURE_MODE: CaptureMode | undefined =
  (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === undefined ? 'closures' : undefined;

export class Trainee {
  readonly series: string;
  readonly model: nn.Module;
  readonly loss: LossFunction;
  /** How every step is taken; change it between epochs (a new batch size captures new steps). */
  steps: StepOptions;
  /** Epochs trained so far (a caller that loads weights may set it). */
  epoch = 0;
  /** How the latest epoch trained: by replaying captured steps, or with eager steps. */
  lastSteps: 'captured' | 'eager' | null = null;
  #optimizer: optim.Optimizer<optim.PenaltyOptions>;
  /**
   * Steps captured per batch size, kept across epochs: they replay this model, optimiser and
   * loss. null once captureStep has refused the model (its ops and dropout never change), or
   * with `capture: false`.
   */
  #captured: CapturedSteps | null;

  constructor(options: TraineeOptions) {
    this.series = options.series;
    this.model = options.model;
    this.loss = options.loss;
    this.#optimizer = options.optimizer;
    this.steps = options.steps ?? {};
    this.#captured = options.capture === false ? null : new Map();
  }

  get optimizer(): optim.Optimizer<optim.PenaltyOptions> {
    return this.#optimizer;
  }

  /** A new optimiser (fresh state): the captured steps replayed the old one, so they go. */
  set optimizer(optimizer: optim.Optimizer<optim.PenaltyOptions>) {
    this.#optimizer = optimizer;
    this.forgetSteps();
  }

  /** Drops the captured steps (the weights were replaced, or the batch size changed). */
  forgetSteps(): void {
    this.#captured?.clear();
  }

  /** The loss at the current weights, in evaluation mode (no dropout), without gradients. */
  error(inputs: Tensor, targets: Tensor): number {
    this.model.eval();
    return noGrad(() => this.loss(this.model.forward(inputs), targets)).item();
  }

  /**
   * Trains one epoch on `inputs` and `targets`. Throws DivergedError when a loss or weight became
   * non-finite (the weights are then where the library's check caught it).
   */
  train(inputs: Tensor, targets: Tensor): TrainingEvent {
    const { batchSize, rng, clipNorm, clipValue, onGradients } = this.steps;
    const options: FitOptions = { inputs, targets, loss: this.loss, optimizer: this.#optimizer, epochs: 1, batchSize, rng, clipNorm, clipValue, onGradients };
    try {
      const event = this.#epoch(options);
      this.epoch++;
      return event;
    } catch (error) {
      if (!(error instanceof NonFiniteError)) throw error;
      const epoch = this.epoch + 1;
      const divergence = { series: this.series, epoch, error: this.error(inputs, targets), detail: error.message };
      const what = error.message.replace(/^train: /, '').replace(/ at epoch \d+/, '');
      throw new DivergedError(`${this.series}: training diverged at epoch ${epoch}: ${what}`, divergence);
    }
  }

  /**
   * One epoch of replayed captured steps when the model allows and nothing has to run between
   * backward and the update (clipping, onGradients); else eager steps. trainingEvents captures
   * before the first batch, so a refusal has changed nothing: the epoch then runs eagerly.
   */
  #epoch(options: FitOptions): TrainingEvent {
    const { clipNorm, clipValue, onGradients } = this.steps;
    if (this.#captured !== null && clipNorm === undefined && clipValue === undefined && onGradients === undefined) {
      try {
        const event = only(trainingEvents(this.model, { ...options, capture: this.#captured, captureMode: CAPTURE_MODE }));
        this.lastSteps = 'captured';
        return event;
      } catch (error) {
        if (!(error instanceof CaptureRefusedError)) throw error;
        this.#captured = null;
      }
    }
    const event = only(trainingEvents(this.model, options));
    this.lastSteps = 'eager';
    return event;
  }
}

function only(events: Iterable<TrainingEvent>): TrainingEvent {
  const all = [...events];
  if (all.length !== 1) throw new Error(`trainee: one epoch gave ${all.length} events`);
  return all[0];
}

/** The state of a side-by-side run after `epoch` steps (before the next). */
export interface SideBySideEpoch {
  epoch: number;
  /** Each trainee's error after `epoch` steps; null for one that has stopped (now or before). */
  errors: (number | null)[];
  /** The trainees that stopped at this epoch (their error was not finite, or a weight went bad). */
  diverged: Divergence[];
  /** The last epoch: `epochs` reached, or every trainee stopped. */
  last: boolean;
}

/**
 * Trains `trainees` side by side, full batch on the same data, `epochs` epochs: yields the
 * errors at epoch 0 (before any step) and after each epoch, before the next epoch's steps, so a
 * consumer reads every model at exactly those weights. A trainee that diverges stops there; the
 * others go on (a consumer that wants all-or-nothing stops at the first `diverged`).
 */
export function* sideBySide(trainees: readonly Trainee[], data: { inputs: Tensor; targets: Tensor; epochs: number }): IterableIterator<SideBySideEpoch> {
  const { inputs, targets, epochs } = data;
  const stopped = trainees.map(() => false);
  for (let epoch = 0; ; epoch++) {
    const diverged: Divergence[] = [];
    const errors = trainees.map((trainee, i): number | null => {
      if (stopped[i]) return null;
      let error: number;
      try {
        if (epoch > 0) trainee.train(inputs, targets);
        error = trainee.error(inputs, targets);
      } catch (caught) {
        if (!(caught instanceof DivergedError) || caught.divergence === undefined) throw caught;
        diverged.push(caught.divergence);
        stopped[i] = true;
        return null;
      }
      if (Number.isFinite(error)) return error;
      diverged.push({ series: trainee.series, epoch, error, detail: `the error became ${error}` });
      stopped[i] = true;
      return null;
    });
    const last = epoch === epochs || stopped.every(Boolean);
    yield { epoch, errors, diverged, last };
    if (last) return;
  }
}
