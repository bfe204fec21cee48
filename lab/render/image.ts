/**
 * Heat-map pixels as PNG data URIs, embedded in the SVG as one <image>: a 50 × 50 map is one
 * small element instead of 2,500 rects, so it renders in milliseconds in Node and the browser.
 */
import { encode } from 'fast-png';
import type { HeatMap } from '../experiments/types.js';
import { rgbOf, type Palette } from './palette.js';

function dataUri(png: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < png.length; i += 0x8000) binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return 'data:image/png;base64,' + btoa(binary);
}

/** Top-down RGB pixels for `rows` × `columns`, where `valueAt(row, column)` counts rows from the top. */
function pngUri(rows: number, columns: number, valueAt: (row: number, column: number) => number, palette: Palette, domain: [number, number]): string {
  const data = new Uint8Array(rows * columns * 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) data.set(rgbOf(valueAt(r, c), palette, domain), (r * columns + c) * 3);
  }
  return dataUri(encode({ width: columns, height: rows, data, channels: 3, depth: 8 }));
}

/**
 * The map as a PNG data URI, one pixel per grid point. PNG rows run top-down, so image row i
 * holds map row n − 1 − i: x1 = 1 ends up at the top.
 */
export function heatMapImage(map: HeatMap, palette: Palette): string {
  const n = map.resolution;
  if (map.values.length !== n * n) {
    throw new Error(`heatMapImage: map '${map.name}' has ${map.values.length} values, expected resolution² = ${n}² = ${n * n}`);
  }
  return pngUri(n, n, (r, c) => map.values[(n - 1 - r) * n + c], palette, map.domain ?? [0, 1]);
}

/** A vertical colour ramp, `domain[1]` at the top, for the colour-scale legend. */
export function rampImage(palette: Palette, steps = 128): string {
  return pngUri(steps, 1, (r) => 1 - r / (steps - 1), palette, [0, 1]);
}
