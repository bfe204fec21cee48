/**
 * Optimisers that scale each parameter's step by a running estimate of its gradient's size:
 * RMSProp, Adam and AdamW. docs/api.md ("Optimiser semantics") compares them with PyTorch and Keras.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Optimizer } from './optimizer.js';
import type { OptionCheck, ParamGroup, PenaltyOptions, UpdateContext } from './optimizer.js';
import * as math from '../math/index.js';

/** Options of {@link RMSProp} (default lr 0.001). */
export interface RMSPropOptions extends PenaltyOptions {
  /** Decay of the running mean of g² (default 0.9). */
  rho?: number;
  /** Keeps the division finite (default 1e-7, as Keras). */
  eps?: number;
  /**
   * Where ε goes: false (default, as PyTorch) divides by √v + ε; true (as Keras, TensorFlow
   * and TF.js) divides by √(v + ε). For |g| near √ε the first step differs up to 10×.
   */
  epsilonInside?: boolean;
}

/**
 * v ← ρ·v + (1 − ρ)·g²;  θ ← θ − lr·g / (√v + ε)  (PyTorch's placement of ε), or with
 * `epsilonInside`, θ ← θ − lr·g / √(v + ε)  (Keras's).
 */
export class RMSProp extends Optimizer<RMSPropOptions> {
  protected readonly stateSlots = 1;
  protected readonly optionNames = ['rho', 'eps', 'epsilonInside'];

  constructor(params: readonly Tensor[] | readonly ParamGroup<RMSPropOptions>[], options: RMSPropOptions = {}) {
    super('RMSProp', params, { lr: 0.001, rho: 0.9, eps: 1e-7, epsilonInside: false, ...options });
  }

  protected validateOwn(options: RMSPropOptions, check: OptionCheck): void {
    check('rho', options.rho, 'in [0, 1)', (v) => v >= 0 && v < 1);
    check('eps', options.eps, 'a positive number', (v) => v > 0);
    if (options.epsilonInside !== undefined && typeof options.epsilonInside !== 'boolean') {
      throw new Error(`RMSProp: epsilonInside must be true or false, got ${String(options.epsilonInside)}`);
    }
  }

  protected update(theta: FloatArray, g: FloatArray, options: RMSPropOptions, [v]: FloatArray[], { lr }: UpdateContext): void {
    const rho = options.rho ?? 0.9;
    const eps = options.eps ?? 1e-7;
    if (options.epsilonInside === true) {
      for (let i = 0; i < theta.length; i++) {
        v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
        theta[i] -= (lr * g[i]) / Math.sqrt(v[i] + eps);
      }
      return;
    }
    for (let i = 0; i < theta.length; i++) {
      v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
      theta[i] -= (lr * g[i]) / (Math.sqrt(v[i]) + eps);
    }
  }
}

/** Options of {@link Adam} and {@link AdamW} (default lr 0.001). */
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
 *
 * NOTE: t counts this parameter's own updates, as PyTorch does, not the optimiser's steps (as
 * Keras and TF.js do). The corrections undo m and v starting at 0, and they start at 0 when the
 * parameter first gets a gradient: a parameter that joins at step 6 then moves as on step 1,
 * where the global count would make its first steps about half as long.
 */
export class Adam extends Optimizer<AdamOptions> {
  protected readonly stateSlots = 2;
  protected readonly optionNames = ADAM_OPTIONS;

  constructor(params: readonly Tensor[] | readonly ParamGroup<AdamOptions>[], options: AdamOptions = {}) {
    super('Adam', params, { ...ADAM_DEFAULTS, ...options });
  }

  protected validateOwn(options: AdamOptions, check: OptionCheck): void {
    checkAdam(options, check);
  }

  protected update(theta: FloatArray, g: FloatArray, options: AdamOptions, [m, v]: FloatArray[], context: UpdateContext): void {
    adamStep(theta, g, options, m, v, context);
  }
}

/**
 * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay. Each step first shrinks θ,
 * θ ← θ·(1 − lr·λ), then takes Adam's step on the gradient alone, as PyTorch's AdamW. (Adam's
 * `weightDecay` adds λθ to the gradient, which Adam's scaling then divides by √v̂.)
 * `weightDecay` defaults to 0.01, as PyTorch; `l1` still adds λ·sign(θ) to the gradient.
 */
export class AdamW extends Optimizer<AdamOptions> {
  protected readonly stateSlots = 2;
  protected readonly optionNames = ADAM_OPTIONS;
  protected override readonly decoupledWeightDecay = true;

  constructor(params: readonly Tensor[] | readonly ParamGroup<AdamOptions>[], options: AdamOptions = {}) {
    super('AdamW', params, { ...ADAM_DEFAULTS, weightDecay: 0.01, ...options });
  }

  protected validateOwn(options: AdamOptions, check: OptionCheck): void {
    checkAdam(options, check);
  }

  protected update(theta: FloatArray, g: FloatArray, options: AdamOptions, [m, v]: FloatArray[], context: UpdateContext): void {
    adamStep(theta, g, options, m, v, context);
  }
}

const ADAM_OPTIONS = ['beta1', 'beta2', 'eps'] as const;
const ADAM_DEFAULTS: AdamOptions = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

function checkAdam(options: AdamOptions, check: OptionCheck): void {
  check('beta1', options.beta1, 'in [0, 1)', (v) => v >= 0 && v < 1);
  check('beta2', options.beta2, 'in [0, 1)', (v) => v >= 0 && v < 1);
  check('eps', options.eps, 'a positive number', (v) => v > 0);
}

/** Adam's update of one parameter, t being the parameter's own update count. */
function adamStep(theta: FloatArray, g: FloatArray, options: AdamOptions, m: FloatArray, v: FloatArray, { lr, updates: t }: UpdateContext): void {
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const correction1 = 1 - math.pow(b1, t);
  const correction2 = 1 - math.pow(b2, t);
  for (let i = 0; i < theta.length; i++) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    theta[i] -= (lr * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + eps);
  }
}
