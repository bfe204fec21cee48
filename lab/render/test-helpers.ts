/** Helpers for this folder's tests: strict SVG parsing and PNG pixels. */
import { Resvg } from '@resvg/resvg-js';
import { decode } from 'fast-png';
import { DOMParser } from 'linkedom';

/**
 * Parses `svg` as XML and returns its document. resvg's XML parser is strict (any
 * malformed markup throws), linkedom's is not but can be queried.
 */
export function parseSvg(svg: string): Document {
  new Resvg(svg, { font: { loadSystemFonts: false }, logLevel: 'off' });
  return new DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;
}

export function texts(document: Document): string[] {
  return Array.from(document.querySelectorAll('text')).map((t) => t.textContent ?? '');
}

export interface Pixels {
  width: number;
  height: number;
  /** '#rrggbb' at (x, y), y from the top. */
  at(x: number, y: number): string;
}

export function pixelsOf(png: Uint8Array): Pixels {
  const { width, height, data, channels } = decode(png);
  return {
    width,
    height,
    at(x, y) {
      const i = (y * width + x) * channels;
      return '#' + [0, 1, 2].map((k) => data[i + k].toString(16).padStart(2, '0')).join('');
    },
  };
}

/** The pixels of a 'data:image/png;base64,…' URI. */
export function pixelsOfUri(uri: string): Pixels {
  const base64 = uri.replace(/^data:image\/png;base64,/, '');
  return pixelsOf(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}

/** Removes ANSI escape codes. */
export function visible(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
