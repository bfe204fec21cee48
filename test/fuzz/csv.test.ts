/**
 * The playground's CSV import under random text (issue #14's fuzz suite): parseCsv never throws;
 * it refuses the text with a reason (naming a line that exists when a line is at fault) or
 * imports points that are all valid, one per data line.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv } from '../../lab/web/playground/csv.js';
import { MAX_CLASSES } from '../../lab/web/playground/datasets.js';
import { MAX_POINTS } from '../../lab/web/playground/points-codec.js';

const field = fc.oneof(
  fc.double({ min: -0.5, max: 1.5, noNaN: true }).map(String),
  fc.integer({ min: -2, max: 8 }).map(String),
  fc.constantFrom('', 'x0', 'x1', 'label', 'split', 'train', 'test', 'NaN', 'Infinity', '1e308', '"0.5"', 'toString', '__proto__', '0x1', ' '),
  fc.string({ maxLength: 4 }),
);
const line = fc.oneof(
  fc.array(field, { minLength: 1, maxLength: 5 }).chain((fields) => fc.constantFrom(',', ';', '\t', ' ').map((sep) => fields.join(sep))),
  fc.constantFrom('', '# a comment', 'x0,x1,label', 'x,y,class,set', '\uFEFFx0,x1,label'),
);
const validRow = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(',', ';', '\t', ' '))
  .map(([x0, x1, label, sep]) => [x0, x1, label].join(sep));
const mostlyValid = fc
  .tuple(fc.constantFrom('', 'x0,x1,label\n', '# points\n'), fc.array(fc.oneof({ weight: 9, arbitrary: validRow }, { weight: 1, arbitrary: line }), { minLength: 1, maxLength: 20 }))
  .map(([head, rows]) => head + rows.join('\n'));
const csvText = fc.oneof(
  mostlyValid,
  fc.array(line, { maxLength: 12 }).chain((lines) => fc.constantFrom('\n', '\r\n', '\r').map((end) => lines.join(end))),
  fc.string({ maxLength: 60 }),
);
const RUNS = 1000;

describe('parseCsv(random text)', () => {
  it(`refuses with a reason or imports only valid points, one per data line (${RUNS} texts)`, () => {
    const tally = { imported: 0, refused: 0 };
    fc.assert(
      fc.property(csvText, fc.integer({ min: 0, max: 10 }), (text, seed) => {
        const result = parseCsv(text, { seed, testFraction: 0.3 });
        const lines = text.split(/\r\n|\r|\n/).length;
        tally['error' in result ? 'refused' : 'imported']++;
        if ('error' in result) {
          expect(result.error.length).toBeGreaterThan(0);
          for (const [, n] of result.error.matchAll(/\bline (\d+)/g)) expect(Number(n)).toBeGreaterThanOrEqual(1), expect(Number(n)).toBeLessThanOrEqual(lines);
          return;
        }
        const dataLines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
        expect([dataLines.length, dataLines.length - 1]).toContain(result.points.length);
        expect(result.points.length).toBeLessThanOrEqual(MAX_POINTS);
        expect(result.points.some((p) => !p.test)).toBe(true);
        for (const p of result.points) {
          expect(p.x0 >= 0 && p.x0 <= 1 && p.x1 >= 0 && p.x1 <= 1).toBe(true);
          expect(Number.isInteger(p.label) && p.label >= 0 && p.label < MAX_CLASSES).toBe(true);
          expect(p.label).toBeLessThan(result.classes);
        }
      }),
      { seed: 4, numRuns: RUNS },
    );
    // Both outcomes are exercised (fast-check also replays shrinking runs, hence at least).
    console.log(`parseCsv fuzz: ${tally.imported} imported, ${tally.refused} refused`);
    expect(tally.imported).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  });
});
