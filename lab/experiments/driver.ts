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
  /**
   * When a training step caught it: the loss that step computed before its update (the error
   * at `epoch` − 1, when it is finite and a weight went bad in the update). NaN otherwise.
   */
  stepLoss: number;
}

/** A run whose loss or weights became NaN or infinite: the lab says so instead of drawing garbage. */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
  constructor(
    message: string,
    /** Where it diverged (absent when a caller words an error of its own). */
    readonly divergence?: Divergence,
  ) {
    super(message);
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
  /**
   * The loss a training step computes before its update is this trainee's error there (full
   * batch, nothing that trains differently from how it evaluates, such as dropout): `sideBySide`
   * may then read an epoch's error from the next step instead of a forward pass of its own.
   */
  stepLossIsError?: boolean;
}

/**
 * Generated code in Node; closures in the browser, whose Content-Security-Policy (lab/server)
 * forbids `new Function`: probing for it there would log a CSP violation.
 */
const CAPTURE_MODE: CaptureMode | undefined =
  (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === undefined ? 'closures' : undefined;

/** An open run of `trainingEvents`, and what it was opened with. */
interface TrainingRun {
  events: Iterator<TrainingEvent>;
  inputs: Tensor;
  targets: Tensor;
  steps: StepOptions;
  /** Whether it replays captured steps. */
  captured: boolean;
}

export class Trainee {
  readonly series: string;
  readonly model: nn.Module;
  readonly loss: LossFunction;
  readonly stepLossIsError: boolean;
  /** How every step is taken; change it between epochs (a new batch size captures new steps). */
  steps: StepOptions;
  /** Epochs trained so far (a caller that loads weights may set it). */
  epoch = 0;
  /** How the latest epoch trained: by replaying captured steps, or with eager steps. */
  lastSteps: 'captured' | 'eager' | null = null;
  private currentOptimizer: optim.Optimizer<optim.PenaltyOptions>;
  /**
   * Steps captured per batch size, kept across epochs: they replay this model, optimiser and
   * loss. null once captureStep has refused the model (its ops and dropout never change), or
   * with `capture: false`.
   */
  private capturedSteps: CapturedSteps | null;
  /**
   * The run of `trainingEvents` this trainee steps through, an epoch per `next()`, kept open
   * while the data and step options stay the same (opening one walks the model and checks the
   * options: per epoch that cost a small net a fifth of its step).
   */
  private openRun: TrainingRun | null = null;

  constructor(options: TraineeOptions) {
    this.series = options.series;
    this.model = options.model;
    this.loss = options.loss;
    this.currentOptimizer = options.optimizer;
    this.steps = options.steps ?? {};
    this.stepLossIsError = options.stepLossIsError ?? false;
    this.capturedSteps = options.capture === false ? null : new Map();
  }

  get optimizer(): optim.Optimizer<optim.PenaltyOptions> {
    return this.currentOptimizer;
  }

  /** A new optimiser (fresh state): the captured steps replayed the old one, so they go. */
  set optimizer(optimizer: optim.Optimizer<optim.PenaltyOptions>) {
    this.currentOptimizer = optimizer;
    this.forgetSteps();
  }

  /** Drops the captured steps (the weights were replaced, or the batch size changed). */
  forgetSteps(): void {
    this.closeRun();
    this.capturedSteps?.clear();
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
    try {
      const event = this.trainEpoch(inputs, targets);
      this.epoch++;
      return event;
    } catch (error) {
      if (!(error instanceof NonFiniteError)) throw error;
      const epoch = this.epoch + 1;
      const divergence = { series: this.series, epoch, error: this.error(inputs, targets), detail: error.message, stepLoss: error.loss };
      const what = error.message.replace(/^train: /, '').replace(/ at epoch \d+/, '');
      throw new DivergedError(`${this.series}: training diverged at epoch ${epoch}: ${what}`, divergence);
    }
  }

  /**
   * One epoch of replayed captured steps when the model allows and nothing has to run between
   * backward and the update (clipping, onGradients); else eager steps. trainingEvents captures
   * before the first batch, so a refusal has changed nothing: the epoch then runs eagerly.
   */
  private trainEpoch(inputs: Tensor, targets: Tensor): TrainingEvent {
    const open = this.openRun;
    const run = open !== null && open.inputs === inputs && open.targets === targets && open.steps === this.steps ? open : this.startRun(inputs, targets);
    this.model.train(); // error() leaves the model in evaluation mode
    try {
      const next = run.events.next();
      if (next.done === true) throw new Error(`trainee '${this.series}': its training run ended`);
      this.lastSteps = run.captured ? 'captured' : 'eager';
      return next.value;
    } catch (error) {
      this.openRun = null; // a generator that threw is finished
      if (!(error instanceof CaptureRefusedError) || !run.captured) throw error;
      this.capturedSteps = null;
      return this.trainEpoch(inputs, targets);
    }
  }

  private startRun(inputs: Tensor, targets: Tensor): TrainingRun {
    this.closeRun();
    const { batchSize, rng, clipNorm, clipValue, onGradients } = this.steps;
    const captured = this.capturedSteps !== null && clipNorm === undefined && clipValue === undefined && onGradients === undefined;
    const options: FitOptions = {
      inputs, targets, loss: this.loss, optimizer: this.currentOptimizer,
      // As many epochs as anyone trains: the caller decides when to stop.
      epochs: Number.MAX_SAFE_INTEGER,
      batchSize, rng, clipNorm, clipValue, onGradients,
      ...(captured ? { capture: this.capturedSteps!, captureMode: CAPTURE_MODE } : {}),
    };
    this.openRun = { events: trainingEvents(this.model, options), inputs, targets, steps: this.steps, captured };
    return this.openRun;
  }

  private closeRun(): void {
    this.openRun?.events.return?.();
    this.openRun = null;
  }
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
 *
 * `from` (default 0) is the first epoch yielded: a run continued after `from − 1` epochs, whose
 * trainees have trained that many, goes on where it stopped.
 *
 * `reads(epoch)` says at which epochs the consumer looks at the models (default: every one). At
 * the others, a trainee whose step loss is its error (`stepLossIsError`) takes the next step
 * before the yield and reports that step's loss: the same number, without a forward pass of its own.
 */
export function* sideBySide(
  trainees: readonly Trainee[],
  data: { inputs: Tensor; targets: Tensor; epochs: number; reads?: (epoch: number) => boolean; from?: number },
): IterableIterator<SideBySideEpoch> {
  const { inputs, targets, epochs } = data;
  const reads = data.reads ?? (() => true);
  const stopped = trainees.map(() => false);
  /** A divergence a step ahead caught in its update, after its loss gave the epoch's (finite) error. */
  const next: (Divergence | null)[] = trainees.map(() => null);
  for (let epoch = data.from ?? 0; ; epoch++) {
    const diverged: Divergence[] = [];
    const stop = (i: number, divergence: Divergence): null => {
      diverged.push(divergence);
      stopped[i] = true;
      return null;
    };
    const ahead = epoch < epochs && !reads(epoch);
    const errors = trainees.map((trainee, i): number | null => {
      if (stopped[i]) return null;
      if (next[i] !== null) return stop(i, next[i]!);
      let error: number;
      try {
        if (trainee.epoch < epoch) trainee.train(inputs, targets);
        error = ahead && trainee.stepLossIsError ? trainee.train(inputs, targets).loss : trainee.error(inputs, targets);
      } catch (caught) {
        if (!(caught instanceof DivergedError) || caught.divergence === undefined) throw caught;
        const d = caught.divergence;
        if (d.epoch === epoch) return stop(i, d);
        // The step ahead: its loss is this epoch's error; if that is finite, the update went bad.
        if (!Number.isFinite(d.stepLoss)) return stop(i, { ...d, epoch, error: d.stepLoss });
        next[i] = d;
        return d.stepLoss;
      }
      if (Number.isFinite(error)) return error;
      return stop(i, { series: trainee.series, epoch, error, detail: `the error became ${error}`, stepLoss: NaN });
    });
    const last = epoch === epochs || stopped.every(Boolean);
    yield { epoch, errors, diverged, last };
    if (last) return;
  }
}
