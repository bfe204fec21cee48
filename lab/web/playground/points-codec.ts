/**
 * User-made points (clicked in, or from a CSV file) in the address bar: each coordinate is
 * quantised to 12 bits (steps of 1/4095) and a point packs into 4 bytes, written as base64url,
 * so 1,000 points take about 5,300 characters.
 *
 *     byte 0        byte 1              byte 2        byte 3
 *     x0 bits 11–4  x0 bits 3–0, x1 11–8  x1 bits 7–0  test flag (bit 7), label (bits 0–6)
 *
 * The text starts with a format version ('1') so that a later format can still read old links.
 * Points are quantised the moment they are made (`quantise`), so the points on the page are
 * exactly the points the link holds.
 */
import type { Point } from './datasets.js';

export const MAX_POINTS = 1000;
const LEVELS = 4095;
const VERSION = '1';

export function quantise(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * LEVELS) / LEVELS;
}

export function encodePoints(points: readonly Point[]): string {
  const bytes = new Uint8Array(points.length * 4);
  points.forEach((p, i) => {
    const a = Math.round(quantise(p.x0) * LEVELS);
    const b = Math.round(quantise(p.x1) * LEVELS);
    bytes[4 * i] = a >> 4;
    bytes[4 * i + 1] = ((a & 15) << 4) | (b >> 8);
    bytes[4 * i + 2] = b & 255;
    bytes[4 * i + 3] = (p.test ? 128 : 0) | (p.label & 127);
  });
  return VERSION + toBase64Url(bytes);
}

/** The points of `encodePoints` text, or a message saying what is wrong with it. */
export function decodePoints(text: string, maxClasses: number): { points: Point[] } | { error: string } {
  if (!text.startsWith(VERSION)) return { error: `the points start with '${text.slice(0, 1)}', expected format version ${VERSION}` };
  const body = text.slice(1);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) return { error: 'the points are not valid base64url (letters, digits, - and _ only)' };
  const bytes = fromBase64Url(body);
  if (bytes === null || bytes.length % 4 !== 0) return { error: `the points are cut short (${Math.floor((body.length * 3) / 4)} bytes, a multiple of 4 expected): was the link copied whole?` };
  const count = bytes.length / 4;
  if (count > MAX_POINTS) return { error: `the link holds ${count} points; the playground keeps at most ${MAX_POINTS}` };
  const points: Point[] = [];
  for (let i = 0; i < count; i++) {
    const a = (bytes[4 * i] << 4) | (bytes[4 * i + 1] >> 4);
    const b = ((bytes[4 * i + 1] & 15) << 8) | bytes[4 * i + 2];
    const label = bytes[4 * i + 3] & 127;
    if (a > LEVELS || b > LEVELS) return { error: `point ${i + 1} lies outside the unit square` };
    if (label >= maxClasses) return { error: `point ${i + 1} has class ${label}; the playground has at most ${maxClasses} classes (0–${maxClasses - 1})` };
    points.push({ x0: a / LEVELS, x1: b / LEVELS, label, test: (bytes[4 * i + 3] & 128) !== 0 });
  }
  return { points };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const values: number[] = [];
  for (const c of text) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return null;
    values.push(v);
  }
  const bytes: number[] = [];
  for (let i = 0; i < values.length; i += 4) {
    const chunk = values.slice(i, i + 4);
    const n = chunk.reduce((acc, v, k) => acc | (v << (18 - 6 * k)), 0);
    for (let k = 0; k < chunk.length - 1; k++) bytes.push((n >> (16 - 8 * k)) & 255);
  }
  return Uint8Array.from(bytes);
}
