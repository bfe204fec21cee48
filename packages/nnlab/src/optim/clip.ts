/** Gradient clipping, applied to `.grad` in place between `backward()` and `step()`. */
import type { Tensor } from '../tensor/tensor.js';
import { describeValue, expectArray, expectTensor } from '../tensor/arguments.js';

function checkClipArguments(fn: string, params: readonly Tensor[], label: string, bound: number): void {
  expectArray(fn, 'params', params);
  params.forEach((p, i) => expectTensor(fn, `params[${i}]`, p));
  if (typeof bound !== 'number' || !(bound > 0)) throw new Error(`${fn}: ${label} must be a positive number, got ${describeValue(bound)}`);
}

/** √(Σ g²) over every gradient of `params` (parameters without a gradient count as zero). */
export function globalGradNorm(params: readonly Tensor[]): number {
  let total = 0;
  for (const p of params) {
    if (p.grad === null) continue;
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) total += g[i] * g[i];
  }
  return Math.sqrt(total);
}

/**
 * Scales all gradients together so their global norm is at most `maxNorm` (TensorFlow's
 * clip_by_global_norm: g ← g·maxNorm / max(norm, maxNorm)); the direction is unchanged.
 * Returns the norm before clipping. A non-finite norm leaves the gradients as they are.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  checkClipArguments('clipGradNorm', params, 'maxNorm', maxNorm);
  const norm = globalGradNorm(params);
  if (norm > maxNorm && Number.isFinite(norm)) {
    const scale = maxNorm / norm;
    for (const p of params) {
      if (p.grad === null) continue;
      const g = p.grad.data;
      for (let i = 0; i < g.length; i++) g[i] *= scale;
    }
  }
  return norm;
}

/** Clamps every gradient element to [−limit, limit] (this can change the direction). Returns the global norm before clipping. */
export function clipGradValue(params: readonly Tensor[], limit: number): number {
  checkClipArguments('clipGradValue', params, 'limit', limit);
  const norm = globalGradNorm(params);
  for (const p of params) {
    if (p.grad === null) continue;
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) g[i] = g[i] > limit ? limit : g[i] < -limit ? -limit : g[i];
  }
  return norm;
}
