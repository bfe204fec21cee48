import { describe, expect, it } from 'vitest';
import { textTable } from './tables.js';

// A table as wide as the deep-net summaries (about 150 columns): a name, then ten number columns.
const header = ['net', ...Array.from({ length: 10 }, (_, i) => `layer ${i + 1} grad norm`)];
const rows = ['sigmoid', 'tanh', 'relu', 'leaky relu'].map((name, r) => [name, ...Array.from({ length: 10 }, (_, i) => (1.5e-6 * (r + 1) * (i + 1)).toExponential(2))]);

describe('textTable', () => {
  it('textTable(header, rows, indent, Infinity) is one table however wide', () => {
    const lines = textTable(header, rows, '  ', Infinity);
    expect(lines).toHaveLength(2 + rows.length);
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(150);
  });

  for (const columns of [80, 60]) {
    it(`textTable(…, ${columns}) cuts a wide table into tables of at most ${columns} columns, each led by the row names, losing no cell`, () => {
      const lines = textTable(header, rows, '  ', columns);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
      const headers = lines.filter((l) => l.trimStart().startsWith('net '));
      expect(headers.length).toBeGreaterThan(1);
      for (const [name, ...cells] of rows) {
        const rowLines = lines.filter((l) => l.trimStart().startsWith(`${name} `) || l.trim() === name);
        expect(rowLines).toHaveLength(headers.length);
        expect(rowLines.join(' ').split(/\s+/).filter((w) => /\d/.test(w))).toEqual(cells);
      }
      for (const h of header.slice(1)) expect(lines.some((l) => l.includes(h))).toBe(true);
    });
  }
});
