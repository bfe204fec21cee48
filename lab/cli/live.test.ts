import { describe, expect, it } from 'vitest';
import { progressLayout } from './live.js';

/** The line cli-progress would draw, with the widest values each field takes in a run. */
function rendered(columns: number, label: string, unit: string, total: number, status: string): string {
  const { format, barsize } = progressLayout(columns, label, unit, total, status.length);
  return format
    .replace('{bar}', '█'.repeat(barsize))
    .replace('{percentage}', '100')
    .replace('{value}', String(total))
    .replace('{total}', String(total))
    .replace('{status}', status)
    .replace('{eta_formatted}', '1h23m');
}

describe('progressLayout', () => {
  const cases: [string, string, number, string][] = [
    ['vanishing-gradients', 'epochs', 1500, 'error 0.000865'],
    ['two-layer', 'epochs', 1_000_000, 'error 0.000865'],
    ['sweep two-layer', 'runs', 1000, '100% of new runs solved'],
    ['nnlab report', 'experiments', 15, 'annealing-vs-descent'],
  ];
  for (const columns of [80, 60]) {
    it.each(cases)(`progressLayout(${columns}, %j, …) fits ${columns - 1} columns and keeps the whole status`, (label, unit, total, status) => {
      const line = rendered(columns, label, unit, total, status);
      expect(line.length).toBeLessThanOrEqual(columns - 1);
      expect(line).toContain(`| ${status}`);
      expect(line.startsWith(`${label} █`)).toBe(true);
    });
  }

  it('progressLayout(200, …) keeps every field and the full 24-character bar', () => {
    const line = rendered(200, 'two-layer', 'epochs', 2000, 'error 0.25');
    expect(line).toBe(`two-layer ${'█'.repeat(24)} 100% | 2000/2000 epochs | error 0.25 | ETA 1h23m`);
  });
});
