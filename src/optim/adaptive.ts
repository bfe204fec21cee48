/** Optimisers that scale each parameter's step by a running estimate of its gradient's size. */
import type { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Optimizer } from './optimizer.js';
import type { OptionCheck, ParamGroup, PenaltyOptions } from './optimizer.js';

export interface RMSPropOptions extends PenaltyOptions {
  /** Decay of the running mean of g² (default 0.9). */
  rho?: number;
  /** Added to √(mean g²) to avoid dividing by 0 (default 1e-7, as Keras). */
  eps?: number;
}

/** v ← ρ·v + (1 − ρ)·g²;  θ ← θ − lr·g / (√v + ε). */
export class RMSProp extends Optimizer<RMSPropOptions> {
  protected readonly stateSlots = 1;

  constructor(params: readonly Tensor[] | readonly ParamGroup<RMSPropOptions>[], options: RMSPropOptions = {}) {
    super('RMSProp', params, { lr: 0.001, rho: 0.9, eps: 1e-7, ...options });
  }

  protected validateOwn(options: RMSPropOptions, check: OptionCheck): void {
    check('rho', options.rho, 'in [0, 1)', (v) => v >= 0 && v < 1);
    check('eps', options.eps, 'a positive number', (v) => v > 0);
  }

  protected update(theta: FloatArray, g: FloatArray, lr: number, options: RMSPropOptions, [v]: FloatArray[]): void {
    const rho = options.rho ?? 0.9;
    const eps = options.eps ?? 1e-7;
    for (let i = 0; i < theta.length; i++) {
      v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
      theta[i] -= (lr * g[i]) / (Math.sqrt(v[i]) + eps);
    }
  }
}

export interface AdamOptions extends PenaltyOptions {
  /** Decay of the first-moment estimate (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment estimate (default 0.999). */
  beta2?: number;
  /** Added to √v̂ (default 1e-8, as PyTorch and the Adam paper). */
  eps?: number;
}

/**
 * Adam (Kingma and Ba): m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
 * θ ← θ − lr·m̂ / (√v̂ + ε) with the bias corrections m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
 */
export class Adam extends Optimizer<AdamOptions> {
  protected readonly stateSlots = 2;

  constructor(params: readonly Tensor[] | readonly ParamGroup<AdamOptions>[], options: AdamOptions = {}) {
    super('Adam', params, { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, ...options });
  }

  protected validateOwn(options: AdamOptions, check: OptionCheck): void {
    check('beta1', options.beta1, 'in [0, 1)', (v) => v >= 0 && v < 1);
    check('beta2', options.beta2, 'in [0, 1)', (v) => v >= 0 && v < 1);
    check('eps', options.eps, 'a positive number', (v) => v > 0);
  }

  protected update(theta: FloatArray, g: FloatArray, lr: number, options: AdamOptions, [m, v]: FloatArray[]): void {
    const b1 = options.beta1 ?? 0.9;
    const b2 = options.beta2 ?? 0.999;
    const eps = options.eps ?? 1e-8;
    const t = this.stepCount + 1;
    const correction1 = 1 - Math.pow(b1, t);
    const correction2 = 1 - Math.pow(b2, t);
    for (let i = 0; i < theta.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      theta[i] -= (lr * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + eps);
    }
  }
}
