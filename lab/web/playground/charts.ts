/**
 * The loss and accuracy curves. `CurveHistory` keeps the epoch records the worker sends, thinned
 * to at most `capacity` per series by keeping every 2nd, then 4th, … epoch (the latest epoch is
 * always kept), so a run of a million epochs costs the same to hold and draw as one of a thousand.
 * The drawing is the lab's `drawErrorCurve`.
 */
import { drawErrorCurve } from '../canvas/curve.js';
import type { CurveSeries } from '../canvas/curve.js';
import type { EpochRecord } from './trainer.js';

export class CurveHistory {
  private records: EpochRecord[] = [];
  private stride = 1;
  private latest: EpochRecord | null = null;

  constructor(readonly capacity = 1000) {}

  /** Adds a record; one for the epoch of the last replaces it (an edited weight at the same epoch). */
  add(record: EpochRecord): void {
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
  }

  /** The kept records, then the latest if it was not kept. */
  all(): EpochRecord[] {
    const last = this.records[this.records.length - 1];
    return this.latest !== null && last !== this.latest ? [...this.records, this.latest] : [...this.records];
  }

  series(field: 'loss' | 'accuracy'): CurveSeries[] {
    const records = this.all();
    const of = (key: keyof EpochRecord, label: string): CurveSeries => ({
      label,
      epochs: records.map((r) => r.epoch),
      errors: records.map((r) => r[key] ?? NaN),
    });
    const hasTest = records.some((r) => r.testLoss !== null);
    const train = field === 'loss' ? of('trainLoss', 'train loss') : of('trainAccuracy', 'train accuracy');
    const test = field === 'loss' ? of('testLoss', 'test loss') : of('testAccuracy', 'test accuracy');
    return hasTest ? [train, test] : [train];
  }
}

/** Sizes a canvas's pixels to its CSS box times the device pixel ratio; true if they changed. */
export function fitCanvas(canvas: HTMLCanvasElement): boolean {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width === width && canvas.height === height) return false;
  canvas.width = width;
  canvas.height = height;
  return true;
}

export function drawCurves(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement, history: CurveHistory, lossLabel: string): void {
  const lastEpoch = Math.max(1, ...history.all().map((r) => r.epoch));
  fitCanvas(lossCanvas);
  fitCanvas(accuracyCanvas);
  drawErrorCurve(lossCanvas, history.series('loss'), { yLabel: lossLabel, lastEpoch });
  drawErrorCurve(accuracyCanvas, history.series('accuracy'), { yLabel: 'accuracy', lastEpoch });
}
