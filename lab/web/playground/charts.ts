/**
 * The loss and accuracy curves. `CurveHistory` keeps the epoch records the worker sends, thinned
 * to at most `capacity` per series by keeping every 2nd, then 4th, … epoch (the latest epoch is
 * always kept), so a run of a million epochs costs the same to hold and draw as one of a thousand.
 * The drawing is the lab's `drawErrorCurve`.
 */
import { drawErrorCurve } from '../canvas/curve.js';
import type { CurveSeries } from '../canvas/curve.js';
import { fitCanvas } from '../canvas/fit.js';
import type { EpochMetrics } from './trainer.js';

/**
 * The curves' colours: near-black and mid-grey, so that no curve takes a class colour (blue, red,
 * orange, … of either palette) and reads as being about one class.
 */
export const CURVE_COLOURS = { train: '#222222', test: '#999999' } as const;

export class CurveHistory {
  private records: EpochMetrics[] = [];
  private stride = 1;
  private latest: EpochMetrics | null = null;
  /** The series as last built, until the next change. */
  private built: { loss: CurveSeries[]; accuracy: CurveSeries[] } | null = null;

  constructor(readonly capacity = 1000) {}

  /** Adds a record; one for the epoch of the last replaces it (an edited weight at the same epoch). */
  add(record: EpochMetrics): void {
    this.built = null;
    const last = this.records[this.records.length - 1];
    if (last !== undefined && last.epoch === record.epoch) this.records.pop();
    this.latest = record;
    if (record.epoch % this.stride !== 0) return;
    this.records.push(record);
    if (this.records.length > this.capacity) {
      this.stride *= 2;
      this.records = this.records.filter((r) => r.epoch % this.stride === 0);
    }
  }

  clear(): void {
    this.records = [];
    this.stride = 1;
    this.latest = null;
    this.built = null;
  }

  /** The kept records, then the latest if it was not kept. */
  all(): EpochMetrics[] {
    const last = this.records[this.records.length - 1];
    return this.latest !== null && last !== this.latest ? [...this.records, this.latest] : [...this.records];
  }

  /** Epochs between kept records: 1 until a run outgrows the capacity, then 2, 4, … */
  get every(): number {
    return this.stride;
  }

  /** The epoch of the latest record, 0 before any. */
  get lastEpoch(): number {
    return this.latest?.epoch ?? 0;
  }

  /** The train (and, with test points, test) series of the loss or the accuracy; the same arrays until the next change. */
  series(field: 'loss' | 'accuracy'): CurveSeries[] {
    if (this.built === null) {
      const records = this.all();
      const epochs = records.map((r) => r.epoch);
      const column = (value: (r: EpochMetrics) => number | null) => records.map((r) => value(r) ?? NaN);
      const hasTest = records.some((r) => r.testLoss !== null);
      const pair = (train: CurveSeries, test: CurveSeries) => (hasTest ? [train, test] : [train]);
      const { train: trainColour, test: testColour } = CURVE_COLOURS;
      this.built = {
        loss: pair({ label: 'train loss', epochs, errors: column((r) => r.trainLoss), colour: trainColour }, { label: 'test loss', epochs, errors: column((r) => r.testLoss), colour: testColour }),
        accuracy: pair(
          { label: 'train accuracy', epochs, errors: column((r) => r.trainAccuracy), colour: trainColour },
          { label: 'test accuracy', epochs, errors: column((r) => r.testAccuracy), colour: testColour },
        ),
      };
    }
    return this.built[field];
  }
}

export function drawCurves(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement, history: CurveHistory, lossLabel: string): void {
  const lastEpoch = Math.max(1, history.lastEpoch);
  fitCanvas(lossCanvas);
  fitCanvas(accuracyCanvas);
  drawErrorCurve(lossCanvas, history.series('loss'), { yLabel: lossLabel, lastEpoch });
  drawErrorCurve(accuracyCanvas, history.series('accuracy'), { yLabel: 'accuracy', lastEpoch });
}
