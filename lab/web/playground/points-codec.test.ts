import { describe, expect, it } from 'vitest';
import { MAX_POINTS, decodePoints, encodePoints, quantise } from './points-codec.js';
import type { Point } from './datasets.js';

const points: Point[] = [
  { x0: 0, x1: 1, label: 0, test: false },
  { x0: quantise(0.123456), x1: quantise(0.987), label: 5, test: true },
  { x0: 1, x1: 0, label: 1, test: false },
];

describe('encodePoints(points) / decodePoints(text)', () => {
  it('round-trips quantised points, labels and test flags exactly', () => {
    expect(decodePoints(encodePoints(points), 6)).toEqual({ points });
  });

  it('round-trips every length (base64 padding cases) and the empty list', () => {
    for (let n = 0; n < 5; n++) {
      const some = points.slice(0, n % 4);
      expect(decodePoints(encodePoints(some), 6)).toEqual({ points: some });
    }
  });

  it('uses only URL-safe characters, about 5.3 per point', () => {
    const text = encodePoints(Array.from({ length: 300 }, (_, i) => ({ x0: quantise(i / 300), x1: 0.5, label: i % 2, test: false })));
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThan(300 * 5.4 + 2);
  });

  it('quantise(v) moves a coordinate by at most half a 1/4095 step', () => {
    expect(Math.abs(quantise(0.3) - 0.3)).toBeLessThanOrEqual(0.5 / 4095);
    expect(quantise(2)).toBe(1);
  });

  it('rejects text that is cut short, not base64url, of another version or with too many classes', () => {
    const text = encodePoints(points);
    expect(decodePoints(text.slice(0, -3), 6)).toHaveProperty('error', expect.stringMatching(/cut short/));
    expect(decodePoints(text + '!', 6)).toHaveProperty('error', expect.stringMatching(/base64url/));
    expect(decodePoints('2' + text.slice(1), 6)).toHaveProperty('error', expect.stringMatching(/version/));
    expect(decodePoints(text, 3)).toHaveProperty('error', expect.stringMatching(/point 2 has class 5/));
  });

  it(`rejects more than ${MAX_POINTS} points`, () => {
    const many = Array.from({ length: MAX_POINTS + 1 }, () => points[0]);
    expect(decodePoints(encodePoints(many), 6)).toHaveProperty('error', expect.stringMatching(/at most 1000/));
  });
});
