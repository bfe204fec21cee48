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
 * comes whole from the first call.
 */
import type { LabRecord } from '../../experiments/types.js';

export class EpochStepper {
  private readonly records: Iterator<LabRecord>;
  private pending: LabRecord | undefined;
  /** The last epoch returned, −1 before the first call. */
  epoch = -1;
  done = false;

  constructor(records: Iterable<LabRecord>) {
    this.records = records[Symbol.iterator]();
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
      const result = this.records.next();
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
    }
    this.epoch = target;
    return out;
  }
}
