/** The error-progress graph: every series' error against the epoch, never cut off. Node and browser. */
import * as Plot from '@observablehq/plot';
import { column, legend, standaloneSvg, titled } from './layout.js';
import { chart, chartBlock } from './plot.js';
import { errorLogAxis, finiteRange, logDomain, powerOfTenLabel } from './scale.js';
import { seriesColour } from './series-colours.js';

export interface ErrorSeries {
  label: string;
  points: { epoch: number; error: number }[];
}

/** [0, top] with room for the highest finite error: the chapter's fixed 0..0.26 cut cross entropy off. */
export function errorDomain(series: readonly ErrorSeries[]): [number, number] {
  let top = 0;
  for (const { points } of series) for (const { error } of points) if (Number.isFinite(error)) top = Math.max(top, error);
  return [0, top > 0 ? top * 1.05 : 1];
}

/**
 * errorCurveSvg(series, { yLabel, title?, scale? }) is the error of every series against the
 * epoch (title default 'Error progress'), with a legend; non-finite errors leave a gap. Errors
 * spanning more than LOG_SPAN (a diverging run), or any positive errors with scale 'log', get a
 * log axis, its label saying so.
 */
export function errorCurveSvg(series: readonly ErrorSeries[], options: { yLabel: string; title?: string; idPrefix?: string; scale?: 'log' }): string {
  const lastEpoch = Math.max(1, ...series.flatMap(({ points }) => points.map((p) => p.epoch)));
  const rows = series.flatMap(({ label, points }) =>
    points.map(({ epoch, error }) => ({ label, epoch, error: Number.isFinite(error) ? error : NaN })),
  );
  const range = finiteRange(rows.map((r) => r.error));
  const log = errorLogAxis(range, options.scale);
  const y = log
    ? { type: 'log' as const, domain: logDomain(range!), tickFormat: powerOfTenLabel, label: `${options.yLabel} (log scale)` }
    : { domain: errorDomain(series), nice: true, label: options.yLabel };
  const labels = series.map((s) => s.label);
  const colours = labels.map((_, i) => seriesColour(i));
  const target = chart({
    width: 520,
    height: 300,
    marginLeft: 52,
    marginRight: 16,
    marginTop: 12,
    marginBottom: 38,
    grid: true,
    x: { domain: [0, lastEpoch], label: 'epoch', labelAnchor: 'center', labelArrow: 'none' },
    y: { ...y, labelAnchor: 'center', labelArrow: 'none' },
    color: { domain: labels, range: colours },
    marks: [
      Plot.frame(),
      Plot.line(rows, { x: 'epoch', y: 'error', z: 'label', stroke: 'label', strokeWidth: 1.5 }),
      // A series of one point draws no line: show it as a dot.
      Plot.dot(series.filter((s) => s.points.length === 1).flatMap(({ label, points }) => points.map((p) => ({ label, ...p }))), {
        x: 'epoch',
        y: 'error',
        fill: 'label',
        r: 3,
      }),
    ],
  });
  const key = legend(labels.map((label, i) => ({ label, colour: colours[i] })));
  return standaloneSvg(titled(options.title ?? 'Error progress', column([key, chartBlock(target)], 6)), options.idPrefix ?? 'error');
}
