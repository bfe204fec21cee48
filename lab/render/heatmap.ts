/**
 * Heat maps of a network over the unit square: x0 left → right, x1 bottom → top (origin bottom
 * left, as the chapter's XOR picture), each grid point a flat square centred on its sample.
 * Node and browser (the page's canvas overlay shares the decision lines' geometry, decision-lines.ts).
 */
import * as Plot from '@observablehq/plot';
import type { DataPoint, DecisionLine, HeatMap } from '../experiments/types.js';
import { heatMapImage, rampImage } from './image.js';
import { column, grid, row, standaloneSvg, titled, type Block } from './layout.js';
import { colourOf, type Palette } from './palette.js';
import { chart, chartBlock, underlayImage } from './plot.js';
import { lineLabels, lineSegment } from './decision-lines.js';

export { lineSegment };

const FRAME = 220;
const MARGIN = { marginTop: 8, marginRight: 12, marginBottom: 34, marginLeft: 40 } as const;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const PANEL_TITLE_SIZE = 12;

export interface HeatMapPanel {
  map: HeatMap;
  lines?: readonly DecisionLine[];
  /** Drawn as circles filled with the colour of target[0] (on [0, 1]), outlined in black. */
  points?: readonly DataPoint[];
}

/** The half-width of one grid cell: samples sit at c / (n − 1), cells reach half a step beyond. */
function halfCell(map: HeatMap): number {
  return map.resolution > 1 ? 0.5 / (map.resolution - 1) : 0.5;
}

function lineMarks(lines: readonly DecisionLine[], extent: [number, number]): Plot.Markish[] {
  return lines.flatMap((line) => {
    const segment = lineSegment(line, extent);
    return segment === null ? [] : [Plot.line(segment, { stroke: 'black', strokeWidth: 1.5, strokeDasharray: '6,3' })];
  });
}

/** The lines' names where lineLabels puts them: beside their lines, clear of the points and of each other. */
function lineLabelMarks(lines: readonly DecisionLine[], extent: [number, number], points: readonly DataPoint[]): Plot.Markish[] {
  const labels = lineLabels(lines, { extent, size: FRAME, points });
  if (labels.length === 0) return [];
  return [Plot.text(labels, { x: (l) => l.at[0], y: (l) => l.at[1], text: (l) => l.name, fontSize: 11, stroke: 'white', strokeWidth: 3, fill: 'black' })];
}

/** One heat map with axes (no title, no colour bar). */
export function heatMapBlock({ map, lines = [], points = [] }: HeatMapPanel, palette: Palette): Block {
  const h = halfCell(map);
  const extent: [number, number] = [-h, 1 + h];
  const axis = { domain: extent, ticks: TICKS, labelAnchor: 'center', labelArrow: 'none' } as const;
  const target = chart({
    width: MARGIN.marginLeft + FRAME + MARGIN.marginRight,
    height: MARGIN.marginTop + FRAME + MARGIN.marginBottom,
    ...MARGIN,
    x: { ...axis, label: 'x0' },
    y: { ...axis, label: 'x1' },
    color: { type: 'identity' },
    marks: [
      Plot.frame(),
      ...lineMarks(lines, extent),
      Plot.dot(points, {
        x: (p: DataPoint) => p.input[0],
        y: (p: DataPoint) => p.input[1],
        r: 5,
        fill: (p: DataPoint) => colourOf(p.target[0], palette),
        stroke: 'black',
        strokeWidth: 1.5,
      }),
      ...lineLabelMarks(lines, extent, points),
    ],
  });
  underlayImage(target, heatMapImage(map, palette), extent, extent);
  return chartBlock(target);
}

/** A vertical colour scale, its frame aligned with a heat map's frame. */
export function colourBarBlock(palette: Palette, domain: [number, number]): Block {
  const target = chart({
    width: 60,
    height: MARGIN.marginTop + FRAME + MARGIN.marginBottom,
    marginTop: MARGIN.marginTop,
    marginBottom: MARGIN.marginBottom,
    marginLeft: 6,
    marginRight: 38,
    x: { axis: null, domain: [0, 1] },
    y: { domain, axis: 'right', ticks: 5, label: null },
    marks: [Plot.frame()],
  });
  underlayImage(target, rampImage(palette), [0, 1], domain);
  return chartBlock(target);
}

const spacer = (height: number): Block => ({ markup: '', width: 0, height });

function sameDomain(a: [number, number], b: [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

export interface HeatMapFigureOptions {
  palette?: Palette;
  title: string;
  /** Prefix of the SVG's element ids (unique per figure on a shared page). */
  idPrefix?: string;
  columns?: number;
}

/**
 * Heat maps as small multiples under one title, each titled with its map's name when there are
 * several, with one colour bar beside them (or one each, when their domains differ).
 */
export function heatMapFigureSvg(panels: readonly HeatMapPanel[], options: HeatMapFigureOptions): string {
  const palette = options.palette ?? 'bwr';
  const domainOf = (panel: HeatMapPanel) => panel.map.domain ?? [0, 1];
  const shared = panels.every((panel) => sameDomain(domainOf(panel), domainOf(panels[0])));
  const several = panels.length > 1;
  const blocks = panels.map((panel) => {
    const block = heatMapBlock(panel, palette);
    const withBar = shared ? block : row([block, colourBarBlock(palette, domainOf(panel))], 0);
    return several ? titled(panel.map.name, withBar, PANEL_TITLE_SIZE) : withBar;
  });
  let body = grid(blocks, options.columns ?? panels.length);
  if (shared && panels.length > 0) {
    const offset = several ? Math.round(PANEL_TITLE_SIZE * 1.8) : 0;
    body = row([body, column([spacer(offset), colourBarBlock(palette, domainOf(panels[0]))])], 0);
  }
  return standaloneSvg(titled(options.title, body), options.idPrefix ?? 'heatmap');
}

/**
 * heatMapSvg(map, options?) is one heat map as SVG, titled (default: the map's name), with a
 * colour bar, the decision `lines` and the data `points` drawn over it.
 */
export function heatMapSvg(
  map: HeatMap,
  options: { palette?: Palette; lines?: DecisionLine[]; points?: DataPoint[]; title?: string } = {},
): string {
  return heatMapFigureSvg([{ map, lines: options.lines, points: options.points }], {
    palette: options.palette,
    title: options.title ?? map.name,
  });
}
