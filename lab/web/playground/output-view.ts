/**
 * The big output map: the network's prediction over the unit square with the data points on
 * top. Two classes use the heat-map palette (P(class 1): 0 cool, 0.5 white, 1 warm); more classes
 * colour each cell by its most likely class, fading to white where the network is unsure; a
 * regression colours the predicted value and each point's value on one diverging scale, −1 to 1.
 * The pixel and geometry functions are pure (tested in Node); `drawOutput` touches the canvas.
 */
import { colourOf, rgbOf } from '../../render/palette.js';
import type { Palette } from '../../render/palette.js';
import { pixelRatioOf } from '../canvas/fit.js';
import { heatMapPixels } from '../canvas/heatmap.js';
import { mapExtent, toPixels } from '../canvas/overlay.js';
import type { Point } from './datasets.js';

/** Class colours for more than two classes: Tableau-like, or Okabe–Ito for colour-blind readers. */
const CLASS_COLOURS: Record<Palette, readonly string[]> = {
  bwr: ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'],
  colorblind: ['#0072b2', '#d55e00', '#009e73', '#e69f00', '#cc79a7', '#56b4e9'],
};

/** The colour of class `label` among `classes`: the palette's ends for two classes. */
export function classColour(label: number, classes: number, palette: Palette): string {
  if (classes <= 2) return hex(rgbOf(label === 0 ? 0 : 1, palette));
  return CLASS_COLOURS[palette][label % CLASS_COLOURS[palette].length];
}

function hex(rgb: readonly number[]): string {
  return '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
}

function rgbOfHex(colour: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) as [number, number, number];
}

/**
 * classMapPixels(probabilities, resolution, palette, discretize) is the K-class map as RGBA,
 * top row first: each cell has the colour of its most likely class, mixed with white by how sure
 * the network is ((p_max − 1/K) / (1 − 1/K)); discretised cells take the full colour. Pass
 * `out` (resolution² × 4 bytes) to reuse a buffer between frames.
 */
export function classMapPixels(
  probabilities: readonly ArrayLike<number>[],
  resolution: number,
  palette: Palette,
  discretize: boolean,
  out: Uint8ClampedArray<ArrayBuffer> = new Uint8ClampedArray(resolution * resolution * 4),
): Uint8ClampedArray<ArrayBuffer> {
  const k = probabilities.length;
  const colours = probabilities.map((_, c) => rgbOfHex(classColour(c, k, palette)));
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      let best = 0;
      for (let j = 1; j < k; j++) if (probabilities[j][i] > probabilities[best][i]) best = j;
      const p = probabilities[best][i];
      const sure = discretize ? 1 : Number.isFinite(p) ? Math.max(0, Math.min(1, (p - 1 / k) / (1 - 1 / k))) : 0;
      const o = ((resolution - 1 - r) * resolution + c) * 4; // x1 upwards
      for (let ch = 0; ch < 3; ch++) out[o + ch] = Math.round(255 + (colours[best][ch] - 255) * sure);
      out[o + 3] = 255;
    }
  }
  return out;
}

/** P(class 1) thresholded at 0.5, for the discretised two-class map. */
export function discretized(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values as ArrayLike<number>, (v) => (Number.isNaN(v) ? NaN : v >= 0.5 ? 1 : 0));
}

/** Pixels on a map of `side` pixels → data coordinates (the inverse of the overlay's `toPixels`). */
export function toData(x: number, y: number, resolution: number, side: number): [number, number] {
  const [lo, hi] = mapExtent(resolution);
  return [lo + (x / side) * (hi - lo), lo + (1 - y / side) * (hi - lo)];
}

export interface OutputDrawing {
  /** One map (P(class 1)) for two classes, else one per class. */
  output: readonly Float32Array[];
  resolution: number;
  points: readonly Point[];
  classes: number;
  palette: Palette;
  discretize: boolean;
  showTest: boolean;
  /** The colour scale's ends for a single map (a hovered unit's, a regression's values); P(class 1)'s [0, 1] when absent. */
  domain?: [number, number];
  /**
   * Regression: the points' labels are values, coloured on this scale (the output map's, so a
   * point the network fits well disappears into the map); without it, points take class colours.
   */
  pointValues?: [number, number];
}

/** The scale of a regression data set's values (and of its output map): −1 to 1, diverging about 0. */
export const VALUE_DOMAIN: [number, number] = [-1, 1];

/**
 * The map is drawn inset by this share of the canvas width on every side, so that points on the
 * square's edges and corners (the logic gates) show whole.
 */
export const MARGIN_SHARE = 10 / 320;

/** The inset in canvas pixels and the side of the square the map fills. */
export function mapBox(width: number): { margin: number; side: number } {
  const margin = Math.round(width * MARGIN_SHARE);
  return { margin, side: width - 2 * margin };
}

/**
 * What a drawn output canvas keeps between frames: a resolution × resolution canvas and its
 * pixels for the map, and the points, drawn once into a layer of their own. While training only
 * the map changes, so a frame is a few blits, not a path per point.
 */
interface OutputLayers {
  map: HTMLCanvasElement;
  image: ImageData;
  points: HTMLCanvasElement;
  /** What the points layer shows; redrawn when any of these differ. */
  drawn: readonly unknown[];
}

const layersOf = new WeakMap<HTMLCanvasElement, OutputLayers>();

function layersFor(canvas: HTMLCanvasElement, resolution: number): OutputLayers {
  let layers = layersOf.get(canvas);
  if (layers === undefined || layers.image.width !== resolution) {
    const map = document.createElement('canvas');
    map.width = map.height = resolution;
    layers = { map, image: new ImageData(resolution, resolution), points: layers?.points ?? document.createElement('canvas'), drawn: [] };
    layersOf.set(canvas, layers);
  }
  return layers;
}

/** drawOutput(canvas, drawing) draws the map (the light grey square before there is one), its frame and the points. */
export function drawOutput(canvas: HTMLCanvasElement, d: OutputDrawing): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { margin, side } = mapBox(canvas.width);
  const layers = layersFor(canvas, d.resolution);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (d.output.length > 0) {
    if (d.output.length === 1) heatMapPixels(d.discretize ? discretized(d.output[0]) : d.output[0], d.resolution, { palette: d.palette, ...(d.domain === undefined ? {} : { domain: d.domain }) }, layers.image.data);
    else classMapPixels(d.output, d.resolution, d.palette, d.discretize, layers.image.data);
    layers.map.getContext('2d')!.putImageData(layers.image, 0, 0);
    context.save();
    context.imageSmoothingEnabled = false;
    context.drawImage(layers.map, margin, margin, side, side);
    context.restore();
    // A light veil, as TensorFlow Playground's muted map: points of either class stand out on it.
    context.fillStyle = 'rgba(255, 255, 255, 0.3)';
    context.fillRect(margin, margin, side, side);
  } else {
    context.fillStyle = '#f1f1f4';
    context.fillRect(margin, margin, side, side);
  }
  // The frame: one CSS pixel wide, just outside the map.
  const frame = pixelRatioOf(canvas);
  context.strokeStyle = '#999';
  context.lineWidth = frame;
  context.strokeRect(margin - frame / 2, margin - frame / 2, side + frame, side + frame);
  const key = [d.points, d.showTest, d.classes, d.palette, d.resolution, canvas.width, canvas.height, d.pointValues?.join()];
  if (key.some((value, i) => value !== layers.drawn[i])) {
    layers.points.width = canvas.width;
    layers.points.height = canvas.height;
    drawPoints(layers.points, d);
    layers.drawn = key;
  }
  context.drawImage(layers.points, 0, 0);
}

/**
 * How a data point is marked: training points are discs, test points squares, both filled with
 * their class colour and edged thinly (a white edge, then a thin dark line), so a test point keeps
 * its class colour (a thick black ring made small blue test points read as black).
 */
export interface PointMark {
  shape: 'disc' | 'square';
  /** Half the side (square) or the radius (disc), in canvas pixels. */
  size: number;
  /** The white edge's width, then the dark outline's. */
  edge: number;
  outline: number;
}

export function pointMark(test: boolean, scale: number): PointMark {
  return test ? { shape: 'square', size: 4 * scale, edge: 1 * scale, outline: 0.75 * scale } : { shape: 'disc', size: 4.5 * scale, edge: 1.5 * scale, outline: 0.75 * scale };
}

function tracePoint(context: CanvasRenderingContext2D, mark: PointMark, x: number, y: number, grow: number): void {
  context.beginPath();
  const size = mark.size + grow;
  if (mark.shape === 'disc') context.arc(x, y, size, 0, 2 * Math.PI);
  else context.rect(x - size, y - size, 2 * size, 2 * size);
}

function drawPoints(canvas: HTMLCanvasElement, d: OutputDrawing): void {
  const context = canvas.getContext('2d')!;
  const { margin, side } = mapBox(canvas.width);
  // Few points (a gate, the square) are drawn larger.
  const scale = (canvas.width / 320) * (d.points.length <= 32 ? 1.6 : 1);
  const colours = Array.from({ length: d.classes }, (_, c) => classColour(c, d.classes, d.palette));
  const values = d.pointValues;
  context.save();
  for (const p of d.points) {
    if (p.test && !d.showTest) continue;
    const [x, y] = toPixels([p.x0, p.x1], d.resolution, side, side).map((v) => v + margin);
    const mark = pointMark(p.test, scale);
    tracePoint(context, mark, x, y, 0);
    context.fillStyle = values !== undefined ? colourOf(p.label, d.palette, values) : (colours[p.label] ?? classColour(p.label, d.classes, d.palette));
    context.fill();
    context.lineWidth = mark.edge;
    context.strokeStyle = '#fff';
    context.stroke();
    tracePoint(context, mark, x, y, mark.edge / 2 + mark.outline / 2);
    context.lineWidth = mark.outline;
    context.strokeStyle = '#333';
    context.stroke();
  }
  context.restore();
}
