/**
 * Labels read as words: every final item's label (as the CLI, the page and the report print it),
 * every table's title and column headers, every figure's title, panel titles, axis labels and
 * legend entries, for every experiment. No snake_case or camelCase, no name glued to a digit
 * ('alpha0'), no Greek letter spelled out.
 */
import { describe, expect, it } from 'vitest';
import { experiments, resolveConfig } from '../../lab/experiments/index.js';
import { extraItems } from '../../lab/report/format.js';
import { SMALL_RUNS as SMALL } from './small-runs.js';

/** What reads as code rather than words. */
function codeIsh(label: string): string | undefined {
  if (/_/.test(label)) return 'snake_case';
  if (/[a-z]{2,}[A-Z][a-z]/.test(label)) return 'camelCase';
  if (/\b(?!float)[a-z]{2,}\d/.test(label)) return 'a word glued to a digit';
  if (/\b(alpha|beta|theta|sigma|eta|lambda)\b/i.test(label)) return 'a Greek letter spelled out';
  return undefined;
}

describe('labels read as words', () => {
  it.each(experiments.map((e) => e.name))('%s: final items, figure titles, axes and legends', (name) => {
    const experiment = experiments.find((e) => e.name === name)!;
    const records = [...experiment.run(resolveConfig(experiment, SMALL[name]), 1)];
    const labels: string[] = [];
    for (const record of records) {
      if (record.kind === 'final') for (const item of extraItems(record.extra)) labels.push(...(item.kind === 'value' ? [item.label] : [item.title, ...item.header]));
      if (record.kind === 'figure') {
        labels.push(record.title);
        for (const panel of record.panels) labels.push(panel.title, panel.xLabel, panel.yLabel, ...panel.series.map((s) => s.label));
      }
    }
    expect(labels.map((label) => [label, codeIsh(label)]).filter(([, why]) => why !== undefined)).toEqual([]);
  });

  it('the check sees code-ish labels', () => {
    expect(['loss at alpha0', 'square_error', 'lossAtAlpha0', 'alpha'].map(codeIsh)).toEqual(['a word glued to a digit', 'snake_case', 'camelCase', 'a Greek letter spelled out']);
    expect(codeIsh('loss at α = 0')).toBeUndefined();
  });
});
