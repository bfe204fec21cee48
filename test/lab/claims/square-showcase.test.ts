/**
 * The README's showcase command for the square exercise solves it, and the README's "how often"
 * (solved from N of seeds A–B with 3 hidden units) is what a sweep of those seeds counts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';
import { solved } from '../../../lab/sweep/run.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const experiment = findExperiment('two-layer');
const showcase = /npx nnlab run two-layer --dataset square --hidden 3 --seed (\d+) +# solves the exercise's square; (\d+) of seeds (\d+)–(\d+) do/.exec(readme);

/** Whether two-layer on the square with 3 hidden units solves it from `seed` (heat maps coarse and once: they do not touch training). */
function solvesSquare(seed: number): boolean {
  const config = resolveConfig(experiment, { dataset: 'square', hidden: 3, resolution: 2, reportEvery: 1_000_000 });
  const final = [...experiment.run(config, seed)].find((r) => r.kind === 'final');
  if (final === undefined || final.kind !== 'final') throw new Error('no final record');
  return solved(final.predictions);
}

describe('README: the square showcase', () => {
  it('names a seed, a count and a seed range', () => {
    expect(showcase).not.toBeNull();
  });

  it('the showcase command solves the square', () => {
    expect(solvesSquare(Number(showcase![1]))).toBe(true);
  });

  it('the stated count of solving seeds is what the runs give', () => {
    const [, , count, from, to] = showcase!.map(Number);
    let solvedRuns = 0;
    for (let seed = from; seed <= to; seed++) if (solvesSquare(seed)) solvedRuns++;
    expect(solvedRuns).toBe(count);
  }, 120_000);
});
