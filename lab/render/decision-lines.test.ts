import { describe, expect, it } from 'vitest';
import type { DecisionLine } from '../experiments/types.js';
import { lineLabels, lineSegment } from './decision-lines.js';

const XOR = [[0, 0], [0, 1], [1, 0], [1, 1]].map((input) => ({ input, target: [0] }));
const EXTENT: [number, number] = [-0.01, 1.01];
const SIZE = 220;
/** Data units per pixel on a SIZE-pixel map of EXTENT. */
const UNIT = (EXTENT[1] - EXTENT[0]) / SIZE;

/** The distance in pixels from a point to the line w·x + b = 0. */
function pixelsFromLine({ weights: [w0, w1], bias }: DecisionLine, [x0, x1]: readonly number[]): number {
  return Math.abs(w0 * x0 + w1 * x1 + bias) / Math.hypot(w0, w1) / UNIT;
}

/** The label's text box in pixels (as lineLabels sizes it: 6.5 px a character, 13 px tall). */
function box(name: string, [x0, x1]: readonly number[]) {
  const [x, y] = [(x0 - EXTENT[0]) / UNIT, (EXTENT[1] - x1) / UNIT];
  const [w, h] = [name.length * 6.5, 13];
  return { left: x - w / 2, right: x + w / 2, top: y - h / 2, bottom: y + h / 2 };
}

describe('lineLabels', () => {
  it('lineLabels(lines) puts a long line’s name at its middle, beside it', () => {
    const line = { name: 'h0', weights: [1, 1] as [number, number], bias: -1 };
    const [label] = lineLabels([line], { extent: EXTENT, size: SIZE });
    expect(label.name).toBe('h0');
    // 10 px off the line, level with the middle of its segment (the point (0.5, 0.5)).
    expect(pixelsFromLine(line, label.at)).toBeCloseTo(10, 6);
    expect(Math.hypot(label.at[0] - 0.5, label.at[1] - 0.5) / UNIT).toBeCloseTo(10, 6);
  });

  it('lineLabels(lines, { points }) keeps names 7 px clear of the data points, away from a point at the middle', () => {
    const line = { name: 'h0', weights: [1, -1] as [number, number], bias: 0 };
    const points = [...XOR, { input: [0.5, 0.5], target: [1] }];
    const [label] = lineLabels([line], { extent: EXTENT, size: SIZE, points });
    const b = box('h0', label.at);
    for (const p of points) {
      const [px, py] = [(p.input[0] - EXTENT[0]) / UNIT, (EXTENT[1] - p.input[1]) / UNIT];
      const gap = Math.hypot(Math.max(b.left - px, 0, px - b.right), Math.max(b.top - py, 0, py - b.bottom));
      expect(gap).toBeGreaterThanOrEqual(7);
    }
  });

  it('two lines crossing at the same place get names that do not overlap', () => {
    const lines: DecisionLine[] = [
      { name: 'h0', weights: [1, 1], bias: -1 },
      { name: 'h1', weights: [1, 1.05], bias: -1.02 },
    ];
    const labels = lineLabels(lines, { extent: EXTENT, size: SIZE, points: XOR });
    expect(labels.map((l) => l.name)).toEqual(['h0', 'h1']);
    const [a, b] = labels.map((l) => box(l.name, l.at));
    expect(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).toBe(false);
  });

  it('every name lies inside the map', () => {
    const lines: DecisionLine[] = [
      { name: 'h0', weights: [0, 1], bias: -0.97 },
      { name: 'h1', weights: [1, 0], bias: -0.03 },
    ];
    for (const label of lineLabels(lines, { extent: EXTENT, size: SIZE, points: XOR })) {
      const b = box(label.name, label.at);
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.top).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(SIZE);
      expect(b.bottom).toBeGreaterThanOrEqual(0);
      expect(b.bottom).toBeLessThanOrEqual(SIZE);
    }
  });

  it('two-layer at epoch 0 (seed 1, biases 0): both lines pass through the (0, 0) point; the one crossing the map is named clear of it, the one that only clips the corner is not', () => {
    const lines: DecisionLine[] = [
      { name: 'h0', weights: [0.5623, 0.1904], bias: 0 },
      { name: 'h1', weights: [-0.3699, 0.2314], bias: 0 },
    ];
    expect(lines.map((l) => lineSegment(l, EXTENT))).not.toContain(null);
    const labels = lineLabels(lines, { extent: EXTENT, size: SIZE, points: XOR });
    expect(labels.map((l) => l.name)).toEqual(['h1']);
    const b = box('h1', labels[0].at);
    const corner = [-EXTENT[0] / UNIT, EXTENT[1] / UNIT];
    expect(Math.hypot(Math.max(b.left - corner[0], 0, corner[0] - b.right), Math.max(b.top - corner[1], 0, corner[1] - b.bottom))).toBeGreaterThan(50);
  });

  it('a line that misses the map has no name', () => {
    expect(lineLabels([{ name: 'h0', weights: [1, 1], bias: -5 }], { extent: EXTENT, size: SIZE })).toEqual([]);
  });
});
