/**
 * Small configs of the theory experiments, for golden snapshots that stay short and tests that
 * run in milliseconds: few epochs, tiny nets, 2- or 3-point heat maps.
 */
export const SMALL: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'annealing-vs-descent': { epochs: 40, reportEvery: 20, resolution: 5, raceSeeds: 3 },
  'backprop': { hidden: 1 },
  'exploding-gradients': { width: 2, depth: 6, initGain: 2.5, epochs: 4, reportEvery: 4, resolution: 3 },
  'interpolation': { epochs: 20, reportEvery: 10, resolution: 3, points: 4 },
  'leaky-relu': { depth: 3, width: 2, points: 6, epochs: 2, reportEvery: 1, resolution: 2 },
  'skip-connections': { depth: 4, width: 2, points: 6, epochs: 2, reportEvery: 1, resolution: 2 },
  'vanishing-gradients': { depth: 3, width: 2, points: 6, epochs: 2, reportEvery: 1, resolution: 2 },
};
