/** Gradient descent, with optional momentum and Nesterov momentum (PyTorch's and TensorFlow's form). */
import type { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/dtype.js';
import { Optimizer } from './optimizer.js';
import { wasmSgd } from '../kernels/index.js';
import type { OptionCheck, ParamGroup, PenaltyOptions, UpdateContext } from './optimizer.js';

/** Options of {@link SGD} (default lr 0.01). */
export interface SGDOptions extends PenaltyOptions {
  /** Momentum m (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * θ ← θ − lr·g; with momentum m, the form PyTorch (dampening 0) and TensorFlow use:
 *   a ← m·a + g;  θ ← θ − lr·a
 * and with Nesterov, a ← m·a + g;  θ ← θ − lr·(g + m·a). (Sutskever's form, v ← m·v − lr·g;
 * θ ← θ + v, moves the same for a constant lr but not when lr changes: see docs/api.md.)
 */
export class SGD extends Optimizer<SGDOptions> {
  protected readonly stateSlots = 1;
  protected readonly optionNames = ['momentum', 'nesterov'];

  constructor(params: readonly Tensor[] | readonly ParamGroup<SGDOptions>[], options: SGDOptions = {}) {
    super('SGD', params, { lr: 0.01, momentum: 0, nesterov: false, ...options });
  }

  protected validateOwn(options: SGDOptions, check: OptionCheck): void {
    check('momentum', options.momentum, 'in [0, 1)', (v) => v >= 0 && v < 1);
    if (options.nesterov !== undefined && typeof options.nesterov !== 'boolean') {
      throw new Error(`SGD: nesterov must be true or false, got ${String(options.nesterov)}`);
    }
    if (options.nesterov && !options.momentum) throw new Error(`SGD: nesterov needs a momentum above 0, got momentum ${options.momentum ?? 0}`);
  }

  protected update(theta: FloatArray, g: FloatArray, options: SGDOptions, [accumulator]: FloatArray[], { lr }: UpdateContext): void {
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
