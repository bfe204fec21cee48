import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../experiments/index.js';
import { figuresOf } from './index.js';

/** Every legend entry of an SVG figure: its label and the stroke colour of its swatch. */
function legendColours(svg: string): [string, string][] {
  const entries: [string, string][] = [];
  const pattern = /<line [^>]*stroke="(#[0-9a-f]{6})"[^>]*\/><text [^>]*>([^<]*)<\/text>/g;
  for (const match of svg.matchAll(pattern)) entries.push([match[2], match[1]]);
  return entries;
}

describe('series colours', () => {
  it('exploding-gradients: each run has one colour in the error curve and in every panel that shows it', () => {
    const experiment = findExperiment('exploding-gradients');
    const records = [...experiment.run(resolveConfig(experiment, { epochs: 6, reportEvery: 3, resolution: 2 }), 1)];
    const byLabel = new Map<string, Set<string>>();
    for (const figure of figuresOf(records)) {
      for (const [label, colour] of legendColours(figure.svg)) byLabel.set(label, (byLabel.get(label) ?? new Set()).add(colour));
    }
    for (const run of ['no clipping', 'clip by norm', 'clip by value']) expect([run, [...(byLabel.get(run) ?? [])]]).toEqual([run, [expect.any(String)]]);
    expect(byLabel.get('no clipping')?.size).toBe(1);
  });
});
