/**
 * Figures of curves and bars (activation functions, losses): one chart per panel, in a grid.
 * Runs in Node and in the browser (Plot draws in the installed document).
 */
import * as Plot from '@observablehq/plot';
import type { FigureRecord, Panel, Series } from '../experiments/types.js';
import { column, columnsFor, grid, legend, standaloneSvg, titled, type Block } from './layout.js';
import { chart, chartBlock } from './plot.js';
import { finiteRange, logDomain, powerOfTenLabel } from './scale.js';
import { seriesColour } from './series-colours.js';

/** Colours by series index within a panel: blue first, as the chapter's single-curve panels. */
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'];
const DOTTED = '2,4';
/** The chart's size and margins: the plot area is what is left between them. */
const SIZE = { width: 300, height: 240, left: 44, right: 14, top: 12, bottom: 38 };
/** Bar labels are 11 px text: about 6.5 px per character. */
const LABEL_CHAR_WIDTH = 6.5;
/** A comparison run's series in its error curve's colour; others by position. */
const colourOf = (series: Series, index: number) => (series.variant !== undefined ? seriesColour(series.variant) : COLOURS[index % COLOURS.length]);

/** panelColours(panel) is the colour each of the panel's series is drawn (and keyed) in, in order. */
export function panelColours(panel: Pick<Panel, 'series'>): string[] {
  return panel.series.map(colourOf);
}

/** A panel with both domains: the given ones, or fitted to its series. */
type DrawnPanel = Panel & { xDomain: [number, number]; yDomain: [number, number] };

/**
 * An absent domain fitted to the drawable values: on a log axis whole decades around the
 * positive ones (the one `logDomain`), on a linear axis their range.
 */
function fitted(panels: readonly Panel[], axis: 'x' | 'y'): [number, number] {
  const scale = axis === 'x' ? panels[0].xScale : panels[0].yScale;
  const values = panels.flatMap((p) => p.series.flatMap((s) => (axis === 'x' ? s.x : s.y))).filter((v) => drawable(v, scale));
  const range = finiteRange(values);
  if (scale === 'log') return range === undefined ? [0.1, 1] : logDomain(range);
  if (range === undefined) return [0, 1];
  return range[0] < range[1] ? range : [range[0] - 1, range[1] + 1];
}

function drawn(panel: Panel, sharing: readonly Panel[]): DrawnPanel {
  return { ...panel, xDomain: panel.xDomain ?? fitted([panel], 'x'), yDomain: panel.yDomain ?? fitted(sharing, 'y') };
}

/** The bar width: 80% of the closest spacing of the x values. */
function barWidth(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] > sorted[i - 1]) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
  return 0.8 * (Number.isFinite(gap) ? gap : 1);
}

/** Whether a value can be drawn on a scale: finite, and positive on a log scale. */
function drawable(value: number, scale: Panel['xScale']): boolean {
  return Number.isFinite(value) && (scale !== 'log' || value > 0);
}

function seriesMarks(panel: DrawnPanel, series: Series, colour: string): Plot.Markish[] {
  // An undrawable point becomes NaN, which breaks the line there instead of joining its neighbours.
  const points = series.x.map((x, i) => {
    const y = series.y[i];
    return drawable(x, panel.xScale) && drawable(y, panel.yScale) ? { x, y } : { x: NaN, y: NaN };
  });
  if (series.style === 'bars') {
    const half = barWidth(series.x) / 2;
    // Bars on a log axis start at the bottom of the domain (there is no 0 to start from).
    const base = panel.yScale === 'log' ? panel.yDomain[0] : 0;
    return [
      Plot.rectY(points.filter((p) => !Number.isNaN(p.y)), { x1: (p) => p.x - half, x2: (p) => p.x + half, y1: base, y2: 'y', fill: colour, clip: true }),
      // The chapter's bar charts print each value 5 points above its bar (where it fits).
      Plot.text(labelledBars(panel, points), { x: 'x', y: 'y', text: (p) => barLabel(p.y, panel.yScale), dy: -7, fontSize: 11, clip: true }),
    ];
  }
  const dotted = series.style === 'dotted';
  return [Plot.line(points, { x: 'x', y: 'y', stroke: colour, strokeWidth: dotted ? 3 : 2, strokeDasharray: dotted ? DOTTED : undefined, clip: true })];
}

/**
 * The bars whose value label fits: left to right, a label is kept when it clears the last kept
 * one, so neighbouring small bins do not print over each other.
 */
function labelledBars(panel: DrawnPanel, points: readonly { x: number; y: number }[]): { x: number; y: number }[] {
  const [lo, hi] = panel.xDomain;
  const plotWidth = SIZE.width - SIZE.left - SIZE.right;
  const pixel = (x: number) => (panel.xScale === 'log' ? Math.log(x / lo) / Math.log(hi / lo) : (x - lo) / (hi - lo)) * plotWidth;
  const kept: { x: number; y: number }[] = [];
  let rightEdge = -Infinity;
  for (const p of [...points].filter((q) => !Number.isNaN(q.y)).sort((a, b) => a.x - b.x)) {
    const half = (barLabel(p.y, panel.yScale).length * LABEL_CHAR_WIDTH) / 2;
    if (pixel(p.x) - half < rightEdge + 2) continue;
    kept.push(p);
    rightEdge = pixel(p.x) + half;
  }
  return kept;
}

/** The chapter's bar labels have two decimals; on a log axis the values need significant digits. */
function barLabel(value: number, scale: Panel['yScale']): string {
  return scale === 'log' ? value.toPrecision(2) : value.toFixed(2);
}

function panelBlock(panel: DrawnPanel): Block {
  // Within one decade there may be no power of ten to label: Plot's own labels then.
  const log = (scale: Panel['xScale'], [lo, hi]: [number, number]) =>
    scale === 'log' ? { type: 'log' as const, ...(hi / lo >= 10 ? { tickFormat: powerOfTenLabel } : {}) } : {};
  const axis = { labelAnchor: 'center', labelArrow: 'none' } as const;
  const colours = panelColours(panel);
  const target = chart({
    width: SIZE.width,
    height: SIZE.height,
    marginLeft: SIZE.left,
    marginRight: SIZE.right,
    marginTop: SIZE.top,
    marginBottom: SIZE.bottom,
    grid: true,
    x: { ...axis, ...log(panel.xScale, panel.xDomain), domain: panel.xDomain, label: panel.xLabel || null },
    y: { ...axis, ...log(panel.yScale, panel.yDomain), domain: panel.yDomain, label: panel.yLabel || null },
    marks: [
      Plot.frame(),
      ...(panel.yScale === 'log' ? [] : [Plot.ruleY([0], { stroke: '#999', clip: true })]),
      ...panel.series.flatMap((s, i) => seriesMarks(panel, s, colours[i])),
    ],
  });
  const body = chartBlock(target);
  const lines = panel.series.filter((s) => s.style !== 'bars');
  const key = lines.length > 1
    ? legend(panel.series.map((s, i) => ({ label: s.label, colour: colours[i], dash: s.style === 'dotted' ? DOTTED : undefined })))
    : null;
  return titled(panel.title, key === null ? body : column([key, body], 4), 12);
}

/** panelsSvg(figure) is the figure's panels as one SVG: one row for up to 3 panels, else a near-square grid. */
export function panelsSvg(figure: FigureRecord): string {
  const panels = figure.panels.map((panel) => drawn(panel, figure.sharedY ? figure.panels : [panel]));
  for (const panel of panels) {
    for (const [axis, scale, domain] of [['x', panel.xScale, panel.xDomain], ['y', panel.yScale, panel.yDomain]] as const) {
      if (scale === 'log' && !(domain[0] > 0 && domain[1] > domain[0])) {
        throw new Error(`figure '${figure.name}', panel '${panel.title}': a log ${axis} axis needs a positive, increasing domain, got [${domain.join(', ')}]`);
      }
    }
  }
  const blocks = panels.map(panelBlock);
  return standaloneSvg(titled(figure.title, grid(blocks, columnsFor(blocks.length))), figure.name);
}
