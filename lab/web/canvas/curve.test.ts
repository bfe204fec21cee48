import { describe, expect, it } from 'vitest';
import { errorTop, thinPoints, ticks } from './curve.js';
import { mapExtent, toPixels } from './overlay.js';

describe('ticks', () => {
  it('ticks(lo, hi, count) gives round steps of 1, 2 or 5 times a power of ten', () => {
    expect(ticks(0, 2000, 5)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(ticks(0, 0.26, 5)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(3, 3, 5)).toEqual([3]);
  });
});

describe('thinPoints', () => {
  it('thinPoints keeps each column’s lowest and highest point, in epoch order', () => {
    const epochs = Array.from({ length: 1000 }, (_, i) => i);
    const errors = epochs.map((e) => 1 / (1 + e) + (e % 7 === 0 ? 0.01 : 0));
    const thinned = thinPoints(epochs, errors, (e) => e / 10, 100);
    expect(thinned.epochs.length).toBeLessThanOrEqual(200);
    expect(thinned.epochs).toEqual([...thinned.epochs].sort((a, b) => a - b));
    expect(Math.max(...thinned.errors)).toBe(Math.max(...errors));
    expect(Math.min(...thinned.errors)).toBe(Math.min(...errors));
  });

  it('thinPoints skips non-finite errors', () => {
    expect(thinPoints([0, 1, 2], [1, NaN, Infinity], (e) => e, 3)).toEqual({ epochs: [0], errors: [1] });
  });
});

describe('errorTop', () => {
  it('errorTop(series) is 5% above the highest finite error, or 1 before any', () => {
    expect(errorTop([{ label: 'train', epochs: [0, 1], errors: [0.2, Infinity] }])).toBeCloseTo(0.21);
    expect(errorTop([])).toBe(1);
  });
});

describe('toPixels', () => {
  it('toPixels maps the unit square with half a cell around it, x1 upwards', () => {
    expect(mapExtent(2)).toEqual([-0.5, 1.5]);
    expect(toPixels([0, 0], 2, 200, 200)).toEqual([50, 150]);
    expect(toPixels([0, 0], 2, 220, 220, 10)).toEqual([60, 160]);
    expect(toPixels([1, 1], 2, 200, 200)).toEqual([150, 50]);
  });
});
