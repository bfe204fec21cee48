/**
 * The live error curve on a <canvas>: every series' error against the epoch, the x axis fixed
 * to the whole run (so the curve grows left to right) and the y axis from 0 to the highest
 * error so far — or, once the errors span more than LOG_SPAN (a diverging run) or from the start
 * for a run whose errorScale is 'log', a log axis. Long runs are thinned to each pixel column's lowest and highest point, so a
 * frame costs the same for 2,000 epochs or 1,000,000.
 */
import { errorLogAxis, finiteRange, logDomain, logTicks, powerOfTenLabel } from '../../render/scale.js';
import { seriesColour } from '../../render/series-colours.js';
import { lineFactor } from '../projector.js';

export interface CurveSeries {
  label: string;
  epochs: readonly number[];
  errors: readonly number[];
  /** The line's colour; by default the series index's (seriesColour). */
  colour?: string;
}

export interface CurveOptions {
  /** The y-axis label, e.g. 'MSE'. */
  yLabel: string;
  /** The epoch at the right end of the x axis (the run's last). */
  lastEpoch: number;
  /** 'log': a log axis from the start (the run's errorScale), as errorCurveSvg. */
  scale?: 'log';
}

/**
 * ticks(lo, hi, count) is about `count` round values covering [lo, hi], 1, 2 or 5 times a power
 * of ten apart: ticks(0, 2000, 5) → [0, 500, 1000, 1500, 2000].
 */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power; // in [1, 10): round to the nearest of 1, 2, 5, 10 (as d3.ticks)
  const step = power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  const values: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) values.push(Number((i * step).toPrecision(12)));
  return values;
}

/**
 * thinPoints(epochs, errors, columnOf, columns) keeps, for each of `columns` pixel columns, its
 * lowest and highest finite point (in epoch order): the polyline through them looks the same
 * as through every point. `columnOf` maps an epoch to its column.
 */
export function thinPoints(
  epochs: readonly number[],
  errors: readonly number[],
  columnOf: (epoch: number) => number,
  columns: number,
): { epochs: number[]; errors: number[] } {
  const low = new Int32Array(columns).fill(-1);
  const high = new Int32Array(columns).fill(-1);
  for (let i = 0; i < epochs.length; i++) {
    const e = errors[i];
    if (!Number.isFinite(e)) continue;
    const c = Math.min(columns - 1, Math.max(0, Math.floor(columnOf(epochs[i]))));
    if (low[c] === -1 || e < errors[low[c]]) low[c] = i;
    if (high[c] === -1 || e > errors[high[c]]) high[c] = i;
  }
  const kept: number[] = [];
  for (let c = 0; c < columns; c++) {
    if (low[c] === -1) continue;
    kept.push(Math.min(low[c], high[c]));
    if (low[c] !== high[c]) kept.push(Math.max(low[c], high[c]));
  }
  return { epochs: kept.map((i) => epochs[i]), errors: kept.map((i) => errors[i]) };
}

/** [0, 1.05 × the highest finite error], or [0, 1] before any. */
export function errorTop(series: readonly CurveSeries[]): number {
  let top = 0;
  for (const { errors } of series) for (const e of errors) if (Number.isFinite(e) && e > top) top = e;
  return top > 0 ? top * 1.05 : 1;
}

const MARGIN = { left: 58, right: 22, top: 26, bottom: 40 };

/**
 * drawErrorCurve(canvas, series, { yLabel, lastEpoch }) redraws the whole chart, in CSS pixels of
 * the canvas's layout box (however many buffer pixels fitCanvas gave each: the screen's ratio
 * times any zoom), its data lines thicker in projector mode.
 */
export function drawErrorCurve(canvas: HTMLCanvasElement, series: readonly CurveSeries[], options: CurveOptions): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const ratio = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
  const thick = lineFactor();
  const width = canvas.width / ratio;
  const height = canvas.height / ratio;
  context.save();
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const plotWidth = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotHeight = Math.max(1, height - MARGIN.top - MARGIN.bottom);
  const last = Math.max(1, options.lastEpoch);
  const top = errorTop(series);
  const range = finiteRange(series.flatMap((s) => s.errors));
  const log = errorLogAxis(range, options.scale);
  const [lo, hi] = log ? logDomain(range!) : [0, top];
  const xOf = (epoch: number) => MARGIN.left + (epoch / last) * plotWidth;
  const yOf = log
    ? (error: number) => MARGIN.top + (1 - Math.log(error / lo) / Math.log(hi / lo)) * plotHeight
    : (error: number) => MARGIN.top + (1 - error / top) * plotHeight;

  context.font = '12px system-ui, sans-serif';
  context.fillStyle = '#333';
  context.strokeStyle = '#e3e3e3';
  context.lineWidth = 1;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const value of log ? logTicks(lo, hi, 6) : ticks(0, top, 5)) {
    const y = Math.round(yOf(value)) + 0.5;
    context.beginPath();
    context.moveTo(MARGIN.left, y);
    context.lineTo(MARGIN.left + plotWidth, y);
    context.stroke();
    context.fillText(log ? powerOfTenLabel(value) : String(value), MARGIN.left - 6, y);
  }
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const value of ticks(0, last, 5)) {
    const x = Math.round(xOf(value)) + 0.5;
    context.beginPath();
    context.moveTo(x, MARGIN.top);
    context.lineTo(x, MARGIN.top + plotHeight);
    context.stroke();
    context.fillText(String(value), x, MARGIN.top + plotHeight + 5);
  }
  context.fillText('epoch', MARGIN.left + plotWidth / 2, MARGIN.top + plotHeight + 22);
  context.save();
  context.translate(14, MARGIN.top + plotHeight / 2);
  context.rotate(-Math.PI / 2);
  context.fillText(log ? `${options.yLabel} (log scale)` : options.yLabel, 0, -6);
  context.restore();
  context.strokeStyle = '#888';
  context.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotWidth, plotHeight);

  context.beginPath();
  context.rect(MARGIN.left, MARGIN.top, plotWidth, plotHeight);
  context.clip();
  const colours = series.map(({ colour }, index) => colour ?? seriesColour(index));
  series.forEach(({ epochs, errors }, index) => {
    const points = epochs.length > 2 * plotWidth ? thinPoints(epochs, errors, (e) => xOf(e) - MARGIN.left, Math.ceil(plotWidth)) : { epochs, errors };
    context.strokeStyle = context.fillStyle = colours[index];
    // More points than pixel columns: 1 px wide. A software canvas strokes a zig-zag of hundreds
    // of points ten times faster as a hairline than 1.5 px wide, and at this density the curve is
    // a band of its noise either way.
    context.lineWidth = (points.epochs.length > plotWidth ? 1 : 1.5) * thick;
    context.beginPath();
    let drawing = false;
    for (let i = 0; i < points.epochs.length; i++) {
      const error = points.errors[i];
      if (!Number.isFinite(error)) {
        drawing = false;
        continue;
      }
      const [x, y] = [xOf(points.epochs[i]), yOf(error)];
      if (drawing) context.lineTo(x, y);
      else context.moveTo(x, y);
      drawing = true;
    }
    context.stroke();
    if (points.epochs.length === 1) {
      context.beginPath();
      context.arc(xOf(points.epochs[0]), yOf(points.errors[0]), 3 * thick, 0, 2 * Math.PI);
      context.fill();
    }
  });
  context.restore();

  // The legend, above the plot: a swatch and the label of each series.
  context.save();
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.font = '12px system-ui, sans-serif';
  context.textBaseline = 'middle';
  context.textAlign = 'left';
  let x = MARGIN.left;
  series.forEach(({ label }, index) => {
    context.fillStyle = colours[index];
    context.fillRect(x, 9, 14, 3 * thick);
    context.fillStyle = '#333';
    context.fillText(label, x + 18, 11);
    x += 18 + context.measureText(label).width + 16;
  });
  context.restore();
}
