/**
 * Every experiment of the lab, in the chapter's order, each computing with the lab's one
 * arithmetic (see arithmetic.ts): take experiments from here, not from their modules.
 */
import { ConfigError } from './schema.js';
import type { Experiment, Schema } from './types.js';
import { withLabArithmetic } from './arithmetic.js';
import { activations } from './activations.js';
import { logisticRegression } from './logistic-regression.js';
import { twoLayer } from './two-layer.js';
import { dropout } from './dropout.js';
import { bce } from './bce.js';
import { bceLogits } from './bce-logits.js';
import { categorical } from './categorical.js';
import { backprop } from './backprop.js';
import { vanishingGradients } from './vanishing-gradients.js';
import { explodingGradients } from './exploding-gradients.js';
import { skipConnections } from './skip-connections.js';
import { leakyRelu } from './leaky-relu.js';
import { annealingVsDescent } from './annealing-vs-descent.js';
import { interpolation } from './interpolation.js';

/** The seed a run uses when none is given (printed with every run, so it can be repeated). */
export const DEFAULT_SEED = 1;

/** The chapter's seven example programs. */
const chapter: Experiment<Schema>[] = [
  activations,
  logisticRegression,
  twoLayer,
  dropout,
  bce,
  bceLogits,
  categorical,
];

/** The chapter's "Extra theory" section, each claim made runnable. */
const theory: Experiment<Schema>[] = [
  backprop,
  vanishingGradients,
  explodingGradients,
  skipConnections,
  leakyRelu,
  annealingVsDescent,
  interpolation,
];

export const chapterExperiments: readonly Experiment<Schema>[] = chapter.map(withLabArithmetic);
export const theoryExperiments: readonly Experiment<Schema>[] = theory.map(withLabArithmetic);

export const experiments: readonly Experiment<Schema>[] = [...chapterExperiments, ...theoryExperiments];

export function findExperiment(name: string): Experiment<Schema> {
  const found = experiments.find((e) => e.name === name);
  if (found === undefined) {
    throw new ConfigError(`unknown experiment '${name}' (experiments: ${experiments.map((e) => e.name).join(', ')})`);
  }
  return found;
}

export { ConfigError, resolveConfig, resolveValues, brokenRule, ruleMessage, checkRules, defaults, allowed, kebab } from './schema.js';
export { seriesLabel, summarize } from './summary.js';
export type { RunSummary } from './summary.js';
export { DivergedError } from './driver.js';
export type { Divergence } from './driver.js';
export type * from './types.js';
export { isSolved, verdictOf, verdictRows } from './verdict.js';
export type { Verdict, VariantVerdict } from './verdict.js';
