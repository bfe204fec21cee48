/** Figures of curves and bars (activation functions, losses): one chart per panel, in a grid. */
import * as Plot from '@observablehq/plot';
import type { FigureRecord, Panel, Series } from '../experiments/types.js';
import { column, columnsFor, grid, legend, standaloneSvg, titled, type Block } from './layout.js';
import { chart, chartBlock } from './plot.js';

/** Colours by series index within a panel: blue first, as the chapter's single-curve panels. */
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'];
const DOTTED = '2,4';

/** The bar width: 80% of the closest spacing of the x values. */
function barWidth(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] > sorted[i - 1]) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
  return 0.8 * (Number.isFinite(gap) ? gap : 1);
}

function seriesMarks(series: Series, colour: string): Plot.Markish[] {
  const points = series.x.map((x, i) => ({ x, y: series.y[i] }));
  if (series.style === 'bars') {
    const half = barWidth(series.x) / 2;
    return [
      Plot.rectY(points, { x1: (p) => p.x - half, x2: (p) => p.x + half, y1: 0, y2: 'y', fill: colour, clip: true }),
      // The chapter's bar charts print each value 5 points above its bar.
      Plot.text(points, { x: 'x', y: 'y', text: (p) => p.y.toFixed(2), dy: -7, fontSize: 11, clip: true }),
    ];
  }
  const dotted = series.style === 'dotted';
  return [Plot.line(points, { x: 'x', y: 'y', stroke: colour, strokeWidth: dotted ? 3 : 2, strokeDasharray: dotted ? DOTTED : undefined, clip: true })];
}

function panelBlock(panel: Panel): Block {
  const axis = { labelAnchor: 'center', labelArrow: 'none' } as const;
  const target = chart({
    width: 300,
    height: 240,
    marginLeft: 44,
    marginRight: 14,
    marginTop: 12,
    marginBottom: 38,
    grid: true,
    x: { ...axis, domain: panel.xDomain, label: panel.xLabel || null },
    y: { ...axis, domain: panel.yDomain, label: panel.yLabel || null },
    marks: [Plot.frame(), Plot.ruleY([0], { stroke: '#999', clip: true }), ...panel.series.flatMap((s, i) => seriesMarks(s, COLOURS[i % COLOURS.length]))],
  });
  const body = chartBlock(target);
  const lines = panel.series.filter((s) => s.style !== 'bars');
  const key = lines.length > 1
    ? legend(panel.series.map((s, i) => ({ label: s.label, colour: COLOURS[i % COLOURS.length], dash: s.style === 'dotted' ? DOTTED : undefined })))
    : null;
  return titled(panel.title, key === null ? body : column([key, body], 4), 12);
}

/** panelsSvg(figure) is the figure's panels as one SVG: one row for up to 3 panels, else a near-square grid. */
export function panelsSvg(figure: FigureRecord): string {
  const blocks = figure.panels.map(panelBlock);
  return standaloneSvg(titled(figure.title, grid(blocks, columnsFor(blocks.length))), figure.name);
}
