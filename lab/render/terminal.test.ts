import { describe, expect, it } from 'vitest';
import type { HeatMap } from '../experiments/types.js';
import { terminalHeatMaps } from './terminal.js';
import { visible } from './test-helpers.js';

/** A map that is 1 where x1 ≥ 0.5 (the upper half) and 0 below. */
function upperHalf(n: number, name = 'Output'): HeatMap {
  const values: number[] = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) values.push(r / (n - 1) >= 0.5 ? 1 : 0);
  return { name, resolution: n, values };
}

describe('terminalHeatMaps', () => {
  it('terminalHeatMaps([10 × 10 map]) is a title line and 5 lines of half-blocks in 24-bit colour', () => {
    const lines = terminalHeatMaps([upperHalf(10)]).split('\n');
    expect(lines).toHaveLength(1 + 5);
    expect(lines[0]).toBe('Output');
    expect(lines[1]).toContain('\x1b[38;2;255;0;0m\x1b[48;2;255;0;0m▀');
    expect(lines[5]).toContain('\x1b[38;2;0;0;255m\x1b[48;2;0;0;255m▀');
    expect(visible(lines[1])).toBe('▀'.repeat(10));
  });

  it('terminalHeatMaps([7 × 7 map]) leaves the last line half empty', () => {
    const lines = terminalHeatMaps([upperHalf(7)]).split('\n');
    expect(lines).toHaveLength(1 + 4);
    expect(lines[4]).toContain('\x1b[49m');
  });

  it('terminalHeatMaps(maps, { color: false }) is plain text with x1 = 1 at the top', () => {
    const text = terminalHeatMaps([upperHalf(10)], { color: false });
    expect(text).not.toContain('\x1b');
    const lines = text.split('\n');
    expect(lines[1]).toBe('@'.repeat(10));
    expect(lines[5]).toBe(' '.repeat(10));
  });

  it("terminalHeatMaps(maps, { palette: 'colorblind' }) uses that palette", () => {
    expect(terminalHeatMaps([upperHalf(4)], { palette: 'colorblind' })).toContain('\x1b[38;2;166;54;3m');
  });

  it('terminalHeatMaps(4 maps of 50 × 50, { width: 80 }) fits them side by side in 80 columns', () => {
    const maps = ['Output 0', 'Output 1', 'Output 2', 'Output 3'].map((name) => upperHalf(50, name));
    for (const color of [true, false]) {
      const lines = terminalHeatMaps(maps, { width: 80, color }).split('\n');
      // (80 − 3 gaps of 2) / 4 = 18 columns and 18 rows each: 9 lines under the titles.
      expect(lines).toHaveLength(1 + 9);
      for (const line of lines) expect(visible(line).length).toBeLessThanOrEqual(80);
      expect(lines[0]).toMatch(/^Output 0 {10}  Output 1/);
    }
  });

  it('terminalHeatMaps([]) is empty', () => {
    expect(terminalHeatMaps([])).toBe('');
  });
});
