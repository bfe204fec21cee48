/**
 * What golden snapshots of the lab store: numbers rounded to 4 significant digits (so harmless
 * float noise does not fail them) and SVG normalised to one element per line, its numbers to
 * one decimal and its embedded heat-map images replaced by a hash of their bytes (so the file
 * stays readable and still changes when a pixel does).
 */
import { createHash } from 'node:crypto';

export function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(4));
  if (Array.isArray(value)) return value.map(rounded);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

export function normaliseSvg(svg: string): string {
  return svg
    .replace(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g, (_, data: string) => `png:${createHash('sha256').update(data).digest('hex').slice(0, 16)}`)
    .replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10))
    .replace(/></g, '>\n<');
}
