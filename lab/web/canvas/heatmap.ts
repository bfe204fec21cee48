/**
 * Heat maps on a <canvas>: values on the grid of `grid2d` (row-major, row r is
 * x1 = r / (resolution − 1), drawn at the bottom for r = 0), coloured cool → white → warm.
 *
 *     drawHeatMap(canvas, map.values, map.resolution, { palette: 'colorblind' });
 *
 * The pixels come from `heatMapPixels`, a pure function (tested in Node); only `drawHeatMap`
 * touches the DOM.
 */
import { rgbOf, type Palette } from '../../render/palette.js';

export type { Palette };

export interface HeatMapOptions {
  /** 'bwr' (default: blue–white–red) or 'colorblind' (blue–white–orange). */
  palette?: Palette;
  /** The values the colour scale spans (default [0, 1]); values outside clamp to its ends. */
  domain?: [number, number];
  /** Canvas pixels left clear on every side (room for marks drawn over the edge); default 0. */
  inset?: number;
}

/** Levels of a colour table: finer than any screen can show between two palette stops. */
const LEVELS = 1024;

const tables = new Map<Palette, Uint32Array>();

/**
 * RGBA for LEVELS + 1 evenly spaced positions over [0, 1], plus the missing-value colour last,
 * each packed in one 32-bit word in the platform's byte order (as a Uint32Array over ImageData
 * bytes reads them), so a pixel is one store.
 */
function colourTable(palette: Palette): Uint32Array {
  let table = tables.get(palette);
  if (table === undefined) {
    table = new Uint32Array(LEVELS + 2);
    const bytes = new Uint8Array(table.buffer);
    for (let i = 0; i <= LEVELS + 1; i++) {
      bytes.set([...rgbOf(i <= LEVELS ? i / LEVELS : NaN, palette), 255], i * 4);
    }
    tables.set(palette, table);
  }
  return table;
}

/**
 * heatMapPixels(values, resolution, options?, out?) is the map as RGBA pixels, `resolution`
 * wide and high, top row first (so row r of the grid lands on pixel row resolution − 1 − r).
 * NaN is grey. Pass `out` (resolution² × 4 bytes) to reuse a buffer between frames.
 */
export function heatMapPixels(
  values: ArrayLike<number>,
  resolution: number,
  options: HeatMapOptions = {},
  out: Uint8ClampedArray<ArrayBuffer> = new Uint8ClampedArray(resolution * resolution * 4),
): Uint8ClampedArray<ArrayBuffer> {
  if (!Number.isInteger(resolution) || resolution < 1) throw new RangeError(`heatMapPixels: resolution must be a positive integer, got ${resolution}`);
  if (values.length !== resolution * resolution) {
    throw new RangeError(`heatMapPixels: ${values.length} values do not fill a ${resolution}×${resolution} grid (${resolution * resolution})`);
  }
  if (out.length !== resolution * resolution * 4) throw new RangeError(`heatMapPixels: out has ${out.length} bytes, needs ${resolution * resolution * 4}`);
  const table = colourTable(options.palette ?? 'bwr');
  const pixels = new Uint32Array(out.buffer, out.byteOffset, resolution * resolution);
  const [lo, hi] = options.domain ?? [0, 1];
  const scale = hi === lo ? 0 : LEVELS / (hi - lo);
  const middle = LEVELS / 2;
  for (let r = 0; r < resolution; r++) {
    const row = (resolution - 1 - r) * resolution; // x1 upwards: grid row 0 is the bottom pixel row
    const from = r * resolution;
    for (let c = 0; c < resolution; c++) {
      const value = values[from + c];
      let level: number;
      if (value !== value) level = LEVELS + 1; // NaN
      else {
        const t = scale === 0 ? middle : (value - lo) * scale;
        level = t <= 0 ? 0 : t >= LEVELS ? LEVELS : Math.round(t);
      }
      pixels[row + c] = table[level];
    }
  }
  return out;
}

/**
 * resampled(values, resolution, size, out?) is the map on a coarser size × size grid, each cell
 * taking the value at its centre (nearest neighbour, as a browser shrinks a pixelated image):
 * a thumbnail need not colour more cells than it has pixels.
 */
export function resampled(values: ArrayLike<number>, resolution: number, size: number, out: Float32Array = new Float32Array(size * size)): Float32Array {
  if (out.length !== size * size) throw new RangeError(`resampled: out has ${out.length} values, needs ${size * size}`);
  const nearest = new Int32Array(size); // the fine cell nearest each coarse cell's centre, along an axis
  for (let i = 0; i < size; i++) nearest[i] = Math.min(resolution - 1, Math.floor(((i + 0.5) * resolution) / size));
  for (let r = 0; r < size; r++) {
    const from = nearest[r] * resolution;
    for (let c = 0; c < size; c++) out[r * size + c] = values[from + nearest[c]];
  }
  return out;
}

/** A canvas of exactly resolution × resolution pixels per resolution, kept between draws. */
const scratches = new Map<number, { canvas: HTMLCanvasElement; image: ImageData }>();

function scratchFor(resolution: number): { canvas: HTMLCanvasElement; image: ImageData } {
  let scratch = scratches.get(resolution);
  if (scratch === undefined) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = resolution;
    scratch = { canvas, image: new ImageData(resolution, resolution) };
    scratches.set(resolution, scratch);
  }
  return scratch;
}

/**
 * drawHeatMap(canvas, values, resolution, { palette?, domain?, inset? }) fills the canvas (less
 * `inset` pixels on each side) with the map: one square cell per grid point, x0 left → right,
 * x1 bottom → top, no smoothing. A canvas of exactly resolution × resolution pixels gets the
 * pixels directly (scale it with CSS `image-rendering: pixelated`); any other size gets them
 * scaled up.
 */
export function drawHeatMap(canvas: HTMLCanvasElement, values: ArrayLike<number>, resolution: number, options: HeatMapOptions = {}): void {
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('drawHeatMap: the canvas has no 2-D context');
  const scratch = scratchFor(resolution);
  heatMapPixels(values, resolution, options, scratch.image.data);
  const inset = options.inset ?? 0;
  if (inset === 0 && canvas.width === resolution && canvas.height === resolution) {
    context.putImageData(scratch.image, 0, 0);
    return;
  }
  scratch.canvas.getContext('2d')!.putImageData(scratch.image, 0, 0);
  context.save();
  if (inset > 0) context.clearRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch.canvas, inset, inset, canvas.width - 2 * inset, canvas.height - 2 * inset);
  context.restore();
}
