import { describe, expect, it } from 'vitest';
import { MIN_COLUMN_PITCH, MIN_SCALE, columnCentre, networkLayout, unitAt } from './network-layout.js';

/** Inputs, hidden layers, output: the default network, and the largest the playground builds (all 7 inputs, 6 layers of 8). */
const DEFAULT = [2, 4, 2, 1];
const LARGEST = [7, 8, 8, 8, 8, 8, 8, 1];

describe('networkLayout(sizes, room, natural?)', () => {
  it('draws the default network at its natural size when the room allows: 40-pixel units, columns 132 apart', () => {
    const layout = networkLayout(DEFAULT, { width: 900, height: 600 });
    expect([layout.node, layout.rowPitch, layout.columnPitch, layout.top]).toEqual([40, 50, 132, 44]);
    expect([layout.width, layout.height]).toEqual([24 * 2 + 3 * 132 + 40, 44 + 4 * 50]);
  });

  it('fits the largest network into a 644 × 266 room (its panel is 644 wide at 1366×768): smaller units, closer columns', () => {
    const room = { width: 644, height: 266 };
    const layout = networkLayout(LARGEST, room);
    expect(layout.width).toBeLessThanOrEqual(room.width);
    expect(layout.height).toBeLessThanOrEqual(room.height);
    expect(layout.node).toBeLessThan(40);
    expect(layout.node).toBeGreaterThanOrEqual(40 * MIN_SCALE);
    expect(layout.rowPitch).toBeGreaterThan(layout.node);
  });

  it('draws larger at a natural scale above 1 (projector mode) when the room allows, and fits the same room when it does not', () => {
    expect(networkLayout(DEFAULT, { width: 1200, height: 800 }, 1.3).node).toBe(52);
    const tight = networkLayout(DEFAULT, { width: 464, height: 300 }, 1.3);
    expect(tight.width).toBeLessThanOrEqual(464);
    expect(tight.height).toBeLessThanOrEqual(300);
  });

  it('never draws below MIN_SCALE or closer than MIN_COLUMN_PITCH: with no room the drawing keeps a size (and the page scrolls)', () => {
    const layout = networkLayout(LARGEST, { width: 100, height: 50 });
    expect(layout.node).toBe(Math.floor(40 * MIN_SCALE));
    expect(layout.columnPitch).toBe(MIN_COLUMN_PITCH);
  });

  it('keeps a unit under half the column pitch, so that links show between columns', () => {
    const layout = networkLayout(LARGEST, { width: 520, height: 2000 });
    expect(layout.node).toBeLessThanOrEqual(0.45 * layout.columnPitch);
  });
});

describe('unitAt(layout, layer, unit, count) and columnCentre(layout, layer)', () => {
  it('centres a short column on the tallest, and a column label on its units', () => {
    const layout = networkLayout(DEFAULT, { width: 900, height: 600 });
    expect(unitAt(layout, 0, 0, 4)).toEqual({ x: 24, y: 44 });
    expect(unitAt(layout, 2, 0, 2)).toEqual({ x: 24 + 2 * 132, y: 44 + 50 });
    expect(columnCentre(layout, 1)).toBe(unitAt(layout, 1, 0, 4).x + 20);
  });
});
