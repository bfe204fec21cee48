/**
 * What the page draws over a heat map: the training points (filled with their target's colour,
 * outlined in black) and the units' decision lines w·x + b = 0 (dashed), in the same cell
 * geometry as the SVG figures: samples at c / (n − 1), cells reaching half a step beyond.
 */
import type { DataPoint, DecisionLine } from '../../experiments/types.js';
import { lineLabels, lineSegment } from '../../render/decision-lines.js';
import { colourOf, type Palette } from '../../render/palette.js';
import { lineFactor } from '../projector.js';
import { pixelRatioOf } from './fit.js';

/** The data square the map covers: [−h, 1 + h] with h half a grid step. */
export function mapExtent(resolution: number): [number, number] {
  const h = resolution > 1 ? 0.5 / (resolution - 1) : 0.5;
  return [-h, 1 + h];
}

/** Data (x0, x1) → canvas pixels (x right, y down) on a `width` × `height` canvas, the map `inset` pixels in from each side. */
export function toPixels([x0, x1]: readonly number[], resolution: number, width: number, height: number, inset = 0): [number, number] {
  const [lo, hi] = mapExtent(resolution);
  const [w, h] = [width - 2 * inset, height - 2 * inset];
  return [inset + ((x0 - lo) / (hi - lo)) * w, inset + (1 - (x1 - lo) / (hi - lo)) * h];
}

export interface Overlay {
  points?: readonly DataPoint[];
  lines?: readonly DecisionLine[];
  palette?: Palette;
  /** As drawHeatMap's `inset`: where the map was drawn. */
  inset?: number;
}

/**
 * drawOverlay(canvas, resolution, { points, lines, palette, inset }) draws on top of a drawn heat
 * map; its sizes are CSS pixels of the canvas's layout box (scaled as fitCanvas sized its buffer),
 * the decision lines thicker in projector mode.
 */
export function drawOverlay(canvas: HTMLCanvasElement, resolution: number, { points = [], lines = [], palette = 'bwr', inset = 0 }: Overlay): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { width, height } = canvas;
  const scale = pixelRatioOf(canvas); // sizes below are in CSS pixels
  const extent = mapExtent(resolution);
  context.save();
  context.lineWidth = 1.5 * scale * lineFactor();
  context.setLineDash([6 * scale, 3 * scale]);
  context.strokeStyle = 'black';
  for (const line of lines) {
    const segment = lineSegment(line, extent);
    if (segment === null) continue;
    const [a, b] = segment.map((p) => toPixels(p, resolution, width, height, inset));
    context.beginPath();
    context.moveTo(a[0], a[1]);
    context.lineTo(b[0], b[1]);
    context.stroke();
  }
  context.setLineDash([]);
  for (const point of points) {
    const [x, y] = toPixels(point.input, resolution, width, height, inset);
    context.beginPath();
    context.arc(x, y, 5 * scale, 0, 2 * Math.PI);
    context.fillStyle = colourOf(point.target[0], palette);
    context.fill();
    context.strokeStyle = 'black';
    context.stroke();
  }
  // The names last, where lineLabels puts them (sizes in CSS pixels, as the SVG figures').
  context.font = `${11 * scale}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.lineWidth = 3 * scale;
  context.strokeStyle = 'white';
  context.fillStyle = 'black';
  for (const label of lineLabels(lines, { extent, size: (width - 2 * inset) / scale, points })) {
    const [x, y] = toPixels(label.at, resolution, width, height, inset);
    context.strokeText(label.name, x, y);
    context.fillText(label.name, x, y);
  }
  context.restore();
}
