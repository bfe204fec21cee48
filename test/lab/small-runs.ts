/**
 * Small configs of every experiment, for tests that read a whole run's records (colours, labels)
 * and must stay fast: a few epochs, tiny maps, and for the comparisons a few layers and seeds.
 * Golden snapshots keep their own (test/lab/theory/small.ts, figures and experiments tests): changing
 * theirs would move every snapshot.
 */
export const SMALL_RUNS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  activations: { points: 9 },
  'logistic-regression': { epochs: 20, reportEvery: 10, resolution: 3 },
  'two-layer': { epochs: 20, reportEvery: 10, resolution: 3 },
  dropout: { epochs: 20, reportEvery: 10, resolution: 3 },
  bce: { points: 9 },
  'bce-logits': { epochs: 20, reportEvery: 10, resolution: 3 },
  categorical: { epochs: 20, reportEvery: 10, resolution: 3 },
  backprop: { hidden: 1 },
  'vanishing-gradients': { depth: 3, width: 2, points: 6, epochs: 2, reportEvery: 1, resolution: 2 },
  'exploding-gradients': { width: 2, depth: 6, initGain: 2.5, epochs: 4, reportEvery: 2, resolution: 2 },
  'skip-connections': { depth: 4, width: 2, points: 6, epochs: 2, reportEvery: 1, resolution: 2 },
  'leaky-relu': { depth: 3, width: 2, points: 6, epochs: 2, reportEvery: 1, resolution: 2 },
  'annealing-vs-descent': { epochs: 40, reportEvery: 20, resolution: 2, raceSeeds: 3 },
  interpolation: { epochs: 20, reportEvery: 10, resolution: 2, points: 4 },
};
