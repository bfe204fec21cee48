import { describe, expect, it } from 'vitest';
import { extraItems, formatError, formatScalar, formatValue } from './format.js';
import { tableItem } from '../experiments/items.js';

describe('formatting numbers that are not finite', () => {
  it('formatError, formatValue and formatScalar write ∞, −∞ and NaN', () => {
    for (const format of [formatError, (v: number) => formatValue(v), formatScalar]) {
      expect([Infinity, -Infinity, NaN].map(format)).toEqual(['∞', '−∞', 'NaN']);
    }
  });

  it("formatScalar reads the JSON spellings 'Infinity', '-Infinity', 'NaN' as those values; other text stays", () => {
    expect(['Infinity', '-Infinity', 'NaN', 'clip by norm', '—'].map(formatScalar)).toEqual(['∞', '−∞', 'NaN', 'clip by norm', '—']);
  });

  it('a table of spelled non-finite cells shows no null and no spelled word', () => {
    const [table] = extraItems({ t: tableItem([{ naive: 'Infinity', gradient: 'NaN', stable: 100 }]) });
    expect(table.kind === 'table' && table.rows).toEqual([['∞', 'NaN', '100']]);
  });

  it('one formatter for the CLI, the page and the report: tiny numbers keep their digits', () => {
    expect(formatScalar(8.67e-19)).toBe('8.67e-19');
    expect(formatScalar(0)).toBe('0');
  });
});
