/**
 * The playground's data sets: points in the unit square [0, 1]² (x0 to the right, x1 upwards, as
 * the heat maps), each with a class label 0..K−1 (a regression data set: a value to predict, from
 * −1 to 1) and a train/test flag. Every random choice draws from a Generator made from the seed,
 * so the same settings give the same points everywhere.
 *
 *     generateDataset({ name: 'spiral', count: 200, noise: 0.02, classes: 3, testFraction: 0.3 }, 1)
 */
import { Generator, math } from 'nnlab';
import { GATES, square } from '../../datasets/gates.js';

export interface Point {
  x0: number;
  x1: number;
  /** Class index 0..K−1; in a regression data set (`isRegression`), the value to predict, −1 to 1. */
  label: number;
  /** Held out for the test loss and accuracy; never trained on. */
  test: boolean;
}

export const DATASETS = ['xor', 'and', 'or', 'nand', 'nor', 'square', 'circle', 'quadrants', 'gaussians', 'spiral', 'plane', 'bump'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const DATASET_LABELS: Record<DatasetName, string> = {
  xor: 'XOR gate (4 corners)',
  and: 'AND gate',
  or: 'OR gate',
  nand: 'NAND gate',
  nor: 'NOR gate',
  square: 'The 16-point square',
  circle: 'Circle',
  quadrants: 'XOR quadrants',
  gaussians: 'Gaussian blobs',
  spiral: 'Spiral',
  plane: 'Plane (regression)',
  bump: 'Gaussian bump (regression)',
};

/**
 * Regression data sets: each point's label is a number from −1 to 1 to predict (trained with
 * squared error through a linear output), not a class. `plane`: x₀ + x₁ − 1, a tilted plane;
 * `bump`: 2·exp(−r²/(2·0.2²)) − 1 at distance r from the centre, 1 there and about −1 at the edges.
 */
export const REGRESSION: readonly DatasetName[] = ['plane', 'bump'];

export function isRegression(name: string): boolean {
  return (REGRESSION as readonly string[]).includes(name);
}

/** The value a regression data set's point at (x0, x1) has before noise. */
export function regressionTarget(name: 'plane' | 'bump', x0: number, x1: number): number {
  if (name === 'plane') return x0 + x1 - 1;
  const r2 = (x0 - 0.5) * (x0 - 0.5) + (x1 - 0.5) * (x1 - 0.5);
  return 2 * math.exp(-r2 / (2 * 0.2 * 0.2)) - 1;
}

/** Data sets whose number of classes is a setting (the others have two). */
export const MULTI_CLASS: readonly DatasetName[] = ['gaussians', 'spiral'];
/** Data sets with a fixed set of points (noise jitters them; `count` only matters when noisy gates repeat corners). */
export const FIXED_POINTS: readonly DatasetName[] = ['xor', 'and', 'or', 'nand', 'nor', 'square'];

export interface DatasetParams {
  name: DatasetName;
  /** Points for the sampled data sets (and noisy gates); the 16-point square ignores it. */
  count: number;
  /**
   * Standard deviation of the Gaussian jitter added to each point, in units of the square. A
   * regression point stays where it is and takes the value at a jittered place (as TensorFlow
   * Playground's), so noise blurs the values, not the positions.
   */
  noise: number;
  /** Classes for gaussians and spiral (2..MAX_CLASSES); other data sets have 2. */
  classes: number;
  /** Share of the points held out as the test set. */
  testFraction: number;
}

export const MAX_CLASSES = 6;
export const LIMITS = {
  count: [4, 1000],
  noise: [0, 0.5],
  classes: [2, MAX_CLASSES],
  testFraction: [0, 0.9],
} as const;

/** The number of classes a data set has under these parameters (a regression data set: 1, its one output). */
export function classesOf(params: Pick<DatasetParams, 'name' | 'classes'>): number {
  if (isRegression(params.name)) return 1;
  return MULTI_CLASS.includes(params.name) ? params.classes : 2;
}

/** The points of a data set, split into train and test by `testFraction`. */
export function generateDataset(params: DatasetParams, seed: number): Point[] {
  const root = new Generator(seed);
  const raw = samplePoints(params, root.fork('data'));
  return splitPoints(raw, params.testFraction, root.fork('split'));
}

type Raw = { x0: number; x1: number; label: number };

function samplePoints(params: DatasetParams, rng: Generator): Raw[] {
  const { name, count, noise } = params;
  const jitter = (p: Raw): Raw => ({ x0: clamp01(p.x0 + rng.normal(0, noise)), x1: clamp01(p.x1 + rng.normal(0, noise)), label: p.label });
  const noisy = (points: Raw[]) => (noise > 0 ? points.map(jitter) : points);
  switch (name) {
    case 'xor':
    case 'and':
    case 'or':
    case 'nand':
    case 'nor': {
      const corners = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([x0, x1], i) => ({ x0, x1, label: GATES[name][i] }));
      // Without noise the gate is its four corners (the chapter); with noise, `count` jittered copies.
      if (noise === 0) return corners;
      return Array.from({ length: Math.max(4, count) }, (_, i) => jitter(corners[i % 4]));
    }
    case 'square': {
      const data = square();
      return noisy(data.inputs.map(([x0, x1], i) => ({ x0, x1, label: data.targets[i][0] })));
    }
    case 'circle':
      return Array.from({ length: count }, (_, i) => {
        // Class 1 inside radius 0.25, class 0 in the ring 0.35–0.5 (the gap keeps it separable without noise).
        const label = i % 2 === 0 ? 1 : 0;
        const r = label === 1 ? rng.uniform(0, 0.25) : rng.uniform(0.35, 0.5);
        const angle = rng.uniform(0, 2 * Math.PI);
        return jitter({ x0: 0.5 + r * math.cos(angle), x1: 0.5 + r * math.sin(angle), label });
      });
    case 'quadrants':
      return Array.from({ length: count }, () => {
        // A margin of 0.03 around the middle lines, as TensorFlow Playground's XOR.
        const side = (): number => (rng.bernoulli(0.5) === 1 ? rng.uniform(0.53, 1) : rng.uniform(0, 0.47));
        const x0 = side();
        const x1 = side();
        return jitter({ x0, x1, label: x0 > 0.5 !== x1 > 0.5 ? 1 : 0 });
      });
    case 'gaussians': {
      const k = classesOf(params);
      return Array.from({ length: count }, (_, i) => {
        const label = i % k;
        // Centres evenly spaced on a circle of radius 0.28; blob spread 0.07 plus the noise.
        const angle = (2 * Math.PI * label) / k + Math.PI / 4;
        const spread = Math.hypot(0.07, noise);
        const x0 = 0.5 + 0.28 * math.cos(angle) + rng.normal(0, spread);
        const x1 = 0.5 + 0.28 * math.sin(angle) + rng.normal(0, spread);
        return { x0: clamp01(x0), x1: clamp01(x1), label };
      });
    }
    case 'spiral': {
      const k = classesOf(params);
      return Array.from({ length: count }, (_, i) => {
        const label = i % k;
        const t = Math.floor(i / k) / Math.ceil(count / k); // 0 → 1 along the arm
        const r = 0.05 + 0.4 * t; // one turn: a challenge, but one a few tanh layers can learn
        const angle = 2 * Math.PI * t + (2 * Math.PI * label) / k;
        return jitter({ x0: 0.5 + r * math.cos(angle), x1: 0.5 + r * math.sin(angle), label });
      });
    }
    case 'plane':
    case 'bump':
      return Array.from({ length: count }, () => {
        const x0 = rng.uniform(0, 1);
        const x1 = rng.uniform(0, 1);
        const label = regressionTarget(name, clamp01(x0 + rng.normal(0, noise)), clamp01(x1 + rng.normal(0, noise)));
        return { x0, x1, label };
      });
  }
}

/**
 * Marks round(n · testFraction) points, chosen by `rng`, as test points, keeping at least one
 * training point. The order of the points is kept.
 */
export function splitPoints(points: readonly Raw[], testFraction: number, rng: Generator): Point[] {
  const n = points.length;
  const testCount = Math.min(Math.max(0, n - 1), Math.round(n * testFraction));
  const test = new Set(rng.permutation(n).slice(0, testCount));
  return points.map((p, i) => ({ x0: p.x0, x1: p.x1, label: p.label, test: test.has(i) }));
}

/** The point nearest to (x0, x1) within `radius`, or −1. */
export function nearestPoint(points: readonly Point[], x0: number, x1: number, radius: number): number {
  let best = -1;
  let bestDistance = radius;
  points.forEach((p, i) => {
    const d = Math.hypot(p.x0 - x0, p.x1 - x1);
    if (d <= bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}

export function countClasses(points: readonly Point[], classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const p of points) if (p.label < classes) counts[p.label]++;
  return counts;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
