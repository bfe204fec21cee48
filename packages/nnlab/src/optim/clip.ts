/** Gradient clipping, applied to `.grad` in place between `backward()` and `step()`. */
import type { Tensor } from '../tensor/tensor.js';

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
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be a positive number, got ${maxNorm}`);
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
  if (!(limit > 0)) throw new Error(`clipGradValue: limit must be a positive number, got ${limit}`);
  const norm = globalGradNorm(params);
  for (const p of params) {
    if (p.grad === null) continue;
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) g[i] = g[i] > limit ? limit : g[i] < -limit ? -limit : g[i];
  }
  return norm;
}
