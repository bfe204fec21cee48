/**
 * The network's input features, computed from a point's coordinates (x₀, x₁) in the unit square:
 * the feature-engineering lesson of TensorFlow Playground. With x₀² and x₁² beside x₀ and x₁, a
 * network without hidden layers can draw the circle ((x₀ − ½)² + (x₁ − ½)² = x₀² − x₀ + x₁² − x₁ + ½
 * is linear in them), and x₀·x₁ does the same for XOR.
 *
 * NOTE: the sines are of 2π·x (one period across the square): on [0, 1] sin x is almost the line x
 * and would teach nothing. The library's sine (the same bits in every engine). Browser and Node.
 */
import { math } from 'nnlab';

export const FEATURES = ['x0', 'x1', 'x0sq', 'x1sq', 'x0x1', 'sin0', 'sin1'] as const;
export type FeatureName = (typeof FEATURES)[number];

export const DEFAULT_FEATURES: readonly FeatureName[] = ['x0', 'x1'];

export const FEATURE_LABELS: Readonly<Record<FeatureName, string>> = {
  x0: 'x₀', x1: 'x₁', x0sq: 'x₀²', x1sq: 'x₁²', x0x1: 'x₀·x₁', sin0: 'sin 2πx₀', sin1: 'sin 2πx₁',
};

const VALUES: Readonly<Record<FeatureName, (x0: number, x1: number) => number>> = {
  x0: (x0) => x0,
  x1: (_, x1) => x1,
  x0sq: (x0) => x0 * x0,
  x1sq: (_, x1) => x1 * x1,
  x0x1: (x0, x1) => x0 * x1,
  sin0: (x0) => math.sin(2 * Math.PI * x0),
  sin1: (_, x1) => math.sin(2 * Math.PI * x1),
};

/** A feature's value at a point. */
export function featureValue(feature: FeatureName, x0: number, x1: number): number {
  return VALUES[feature](x0, x1);
}

/** The range a feature's values take over the unit square (its map's colour scale). */
export function featureDomain(feature: FeatureName): [number, number] {
  return feature === 'sin0' || feature === 'sin1' ? [-1, 1] : [0, 1];
}

/** Problems with a list of features, one sentence each (empty when it is usable). */
export function featureProblems(features: readonly string[]): string[] {
  const problems: string[] = [];
  if (features.length === 0) problems.push('inputs: choose at least one input feature');
  for (const f of features) if (!(FEATURES as readonly string[]).includes(f)) problems.push(`inputs: unknown feature '${f}' (known: ${FEATURES.join(', ')})`);
  if (new Set(features).size !== features.length) problems.push(`inputs: a feature is listed twice in [${features.join(', ')}]`);
  return problems;
}

/** The features of points given as x0, x1 pairs, row by row: [n, features.length] values. */
export function featureRows(coordinates: ArrayLike<number>, features: readonly FeatureName[]): Float32Array {
  const n = coordinates.length / 2;
  const out = new Float32Array(n * features.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < features.length; j++) out[i * features.length + j] = featureValue(features[j], coordinates[2 * i], coordinates[2 * i + 1]);
  }
  return out;
}
