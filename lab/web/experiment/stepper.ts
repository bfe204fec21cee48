/**
 * An experiment's records one epoch at a time, pulled lazily from its generator: nothing is
 * computed until an epoch is asked for.
 *
 *     const stepper = new EpochStepper(experiment.run(config, seed));
 *     stepper.next(); // start, figures, epoch 0 (before training) and its snapshot
 *     stepper.next(); // epoch 1: its error(s), and its snapshot if one is due
 *
 * Epoch e is complete once epoch e + 1's first record appears (it comes after the training
 * step); that record is held back until epoch e + 1 is asked for. The last epoch's records end
 * with the final record, and `done` becomes true. A run without epochs (activations, bce)
 * comes whole from the first call. A continuable run (Experiment.continuable) trains on after
 * `extend(n)`: the next calls bring epochs `epoch` + 1 … `epoch` + n and a new final record.
 */
import type { Continuation, LabRecord } from '../../experiments/types.js';

export class EpochStepper {
  private readonly records: Iterator<LabRecord, unknown, Continuation | undefined>;
  private pending: LabRecord | undefined;
  /** What the next pull passes to the run: a continuation asked for by extend. */
  private resume: Continuation | undefined;
  /** Whether the run may still be extended: it stopped at a final record, not at its end. */
  private atFinal = false;
  /** The last epoch returned, −1 before the first call. */
  epoch = -1;
  done = false;

  constructor(records: Iterable<LabRecord>) {
    this.records = records[Symbol.iterator]() as Iterator<LabRecord, unknown, Continuation | undefined>;
  }

  /**
   * Asks a finished run for `epochs` more (see Continuation): false, changing nothing, when it is
   * not done or its run ended for good (an experiment that is not continuable).
   */
  extend(epochs: number): boolean {
    if (!this.done || !this.atFinal) return false;
    this.resume = { continueEpochs: epochs };
    this.done = false;
    this.atFinal = false;
    return true;
  }

  /** The records of the next epoch ([] once done). An error of the run propagates. */
  next(): LabRecord[] {
    if (this.done) return [];
    const target = this.epoch + 1;
    const out: LabRecord[] = [];
    if (this.pending !== undefined) {
      out.push(this.pending);
      this.pending = undefined;
    }
    for (;;) {
      // The run is not pulled past a final record: the pull after it may continue the run.
      const result = this.resume === undefined ? this.records.next() : this.records.next(this.resume);
      this.resume = undefined;
      if (result.done === true) {
        this.done = true;
        break;
      }
      const record = result.value;
      if (record.kind === 'epoch' && record.epoch > target) {
        this.pending = record;
        break;
      }
      out.push(record);
      if (record.kind === 'final') {
        this.done = this.atFinal = true;
        break;
      }
    }
    this.epoch = target;
    return out;
  }
}
