/** Gradient descent, with optional momentum (TensorFlow's form) and Nesterov momentum. */
import type { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Optimizer } from './optimizer.js';
import { wasmSgd } from '../kernels/index.js';
import type { OptionCheck, ParamGroup, PenaltyOptions } from './optimizer.js';

export interface SGDOptions extends PenaltyOptions {
  /** Momentum m (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * θ ← θ − lr·g; with momentum, TensorFlow's update:
 *   accumulator ← m·accumulator + g;  θ ← θ − lr·accumulator
 * and with Nesterov, θ ← θ − lr·(g + m·accumulator).
 */
export class SGD extends Optimizer<SGDOptions> {
  protected readonly stateSlots = 1;

  constructor(params: readonly Tensor[] | readonly ParamGroup<SGDOptions>[], options: SGDOptions = {}) {
    super('SGD', params, { lr: 0.01, momentum: 0, nesterov: false, ...options });
  }

  protected validateOwn(options: SGDOptions, check: OptionCheck): void {
    check('momentum', options.momentum, 'in [0, 1)', (v) => v >= 0 && v < 1);
    if (options.nesterov && !options.momentum) throw new Error('SGD: nesterov needs a momentum above 0');
  }

  protected update(theta: FloatArray, g: FloatArray, lr: number, options: SGDOptions, [accumulator]: FloatArray[]): void {
    const m = options.momentum ?? 0;
    // Large float32 parameters: the same arithmetic in wasm, several times faster (see wasmSgd).
    if (wasmSgd(theta, g, m === 0 ? null : accumulator, lr, m, options.nesterov === true)) return;
    if (m === 0) {
      for (let i = 0; i < theta.length; i++) theta[i] -= lr * g[i];
      return;
    }
    for (let i = 0; i < theta.length; i++) {
      accumulator[i] = m * accumulator[i] + g[i];
      theta[i] -= lr * (options.nesterov ? g[i] + m * accumulator[i] : accumulator[i]);
    }
  }
}
