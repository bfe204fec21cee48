/**
 * Heat maps as terminal text. Each character is two grid cells stacked: '▀' with the upper cell
 * as foreground colour and the lower one as background, so cells come out roughly square. Pure
 * (no I/O): the CLI prints it; it runs anywhere.
 */
import type { HeatMap } from '../experiments/types.js';
import { rgbOf, type Palette, type Rgb } from './palette.js';

/** Least to most ink, for terminals without colour: the domain's low end prints ' ', its high end '@'. */
const SHADES = ' .:-=+*#%@';
const GAP = '  ';
const RESET = '\x1b[0m';

/** The map resampled to `size` points per axis (nearest grid point), as value(row, column); row 0 is x1 = 0. */
function sampler(map: HeatMap, size: number): (row: number, column: number) => number {
  const n = map.resolution;
  const index = (i: number) => (size === 1 ? 0 : Math.round((i * (n - 1)) / (size - 1)));
  return (row, column) => map.values[index(row) * n + index(column)];
}

function shade(value: number, [lo, hi]: [number, number]): string {
  if (Number.isNaN(value)) return '?';
  const t = Math.min(1, Math.max(0, hi === lo ? 0.5 : (value - lo) / (hi - lo)));
  return SHADES[Math.round(t * (SHADES.length - 1))];
}

const fg = ([r, g, b]: Rgb) => `\x1b[38;2;${r};${g};${b}m`;
const bg = ([r, g, b]: Rgb) => `\x1b[48;2;${r};${g};${b}m`;

/** One map's text lines, top line first (x1 = 1 at the top). */
function mapLines(map: HeatMap, size: number, palette: Palette, color: boolean): string[] {
  const at = sampler(map, size);
  const domain = map.domain ?? [0, 1];
  const lines: string[] = [];
  for (let upper = size - 1; upper >= 0; upper -= 2) {
    const lower = upper - 1;
    let line = '';
    // Escape codes are written only where a colour changes, which keeps a 50-wide map small.
    let [lastFg, lastBg] = ['', ''];
    for (let c = 0; c < size; c++) {
      if (color) {
        const upperCode = fg(rgbOf(at(upper, c), palette, domain));
        const lowerCode = lower >= 0 ? bg(rgbOf(at(lower, c), palette, domain)) : '\x1b[49m';
        if (upperCode !== lastFg) line += upperCode;
        if (lowerCode !== lastBg) line += lowerCode;
        [lastFg, lastBg] = [upperCode, lowerCode];
        line += '▀';
      } else {
        const value = lower >= 0 ? (at(upper, c) + at(lower, c)) / 2 : at(upper, c);
        line += shade(value, domain);
      }
    }
    lines.push(color ? line + RESET : line);
  }
  return lines;
}

/**
 * terminalHeatMaps(maps, { width = 80, palette = 'bwr', color = true }) is the maps side by
 * side, each titled with its name. Each map gets k = min(resolution, (width − gaps) / count)
 * columns and k sampled rows, so the text has 1 + ceil(k / 2) lines of at most `width` characters.
 */
export function terminalHeatMaps(maps: readonly HeatMap[], options: { width?: number; palette?: Palette; color?: boolean } = {}): string {
  if (maps.length === 0) return '';
  const { width = 80, palette = 'bwr', color = true } = options;
  const available = Math.floor((width - GAP.length * (maps.length - 1)) / maps.length);
  const size = Math.max(1, Math.min(available, ...maps.map((m) => m.resolution)));
  const titles = maps.map((m) => m.name.slice(0, size).padEnd(size)).join(GAP).trimEnd();
  const blocks = maps.map((m) => mapLines(m, size, palette, color));
  const lines = blocks[0].map((_, i) => blocks.map((b) => b[i]).join(GAP));
  return [titles, ...lines].join('\n');
}
