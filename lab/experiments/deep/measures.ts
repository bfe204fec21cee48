/**
 * What the deep-network experiments measure: per-layer gradient norms, saturated sigmoid/tanh
 * activations, dead (never active) units and highway gate values. All on the full training batch.
 */
import type { Tensor } from 'nnlab';
import type { Unit } from './nets.js';

/** ‖∂E/∂W‖, the Frobenius norm of a parameter's gradient (0 before any backward pass). */
export function gradNorm(parameter: Tensor): number {
  const g = parameter.grad;
  if (g === null) return 0;
  let sum = 0;
  for (const v of g.data) sum += v * v;
  return Math.sqrt(sum);
}

/**
 * Whether an activation sits on a flat end of its unit's curve. NOTE: the thresholds are "within
 * 0.01 of the end of the range": sigmoid a < 0.01 or a > 0.99, where σ' = a(1 − a) < 0.0099 (4% of
 * its peak 0.25), and tanh |a| > 0.99, where tanh' = 1 − a² < 0.02 (2% of its peak 1). ReLU-like
 * units have no flat end on the positive side, so they never saturate.
 */
export function isSaturated(unit: Unit, a: number): boolean {
  if (unit === 'sigmoid') return a < 0.01 || a > 0.99;
  if (unit === 'tanh') return Math.abs(a) > 0.99;
  return false;
}

/** The share of all hidden activations (every unit, every training input) that are saturated. */
export function saturatedShare(unit: Unit, hidden: readonly Tensor[]): number {
  let saturated = 0;
  let total = 0;
  for (const h of hidden) {
    for (const a of h.data) if (isSaturated(unit, a)) saturated++;
    total += h.size;
  }
  return total === 0 ? 0 : saturated / total;
}

/**
 * Dead units per hidden layer: units whose pre-activation x·W + b is ≤ 0 for every training
 * input. A dead ReLU outputs 0 and passes back a zero gradient for every input, so nothing can
 * revive it; a leaky or parametric ReLU unit in the same place still passes slope × gradient.
 */
export function deadPerLayer(pre: readonly Tensor[]): number[] {
  return pre.map((z) => {
    const [rows, width] = z.shape;
    let dead = 0;
    for (let j = 0; j < width; j++) {
      let alive = false;
      for (let i = 0; i < rows && !alive; i++) alive = z.data[i * width + j] > 0;
      if (!alive) dead++;
    }
    return dead;
  });
}

/** The mean of each tensor's values (e.g. each highway layer's gate over inputs and units). */
export function means(tensors: readonly Tensor[]): number[] {
  return tensors.map((t) => {
    let sum = 0;
    for (const v of t.data) sum += v;
    return sum / t.size;
  });
}
