/** Skip connections: residual (x + f(x)) and highway (gate·f(x) + (1 − gate)·x). */
import type { Tensor } from '../../tensor/tensor.js';
import type { DType } from '../../tensor/dtype.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import type { Generator } from '../../random/generator.js';
import { Module } from '../module.js';
import { Dense } from './dense.js';
import * as init from '../init.js';
import type { Initializer } from '../init.js';
import { checkActivation } from './activation.js';
import type { ActivationName } from './activation.js';
import { registerModuleType } from '../config.js';
import type { ModuleConfig } from '../config.js';

/** y = x + f(x): the gradient reaches x directly through the identity path, however deep the stack. */
export class Residual extends Module {
  readonly kind = 'residual';

  constructor(
    /** f, the module whose output is added to x; it must keep x's shape. */
    readonly body: Module,
    options: { name?: string } = {},
  ) {
    super();
    this.name = options.name ?? '';
  }

  forward(x: Tensor): Tensor {
    this.expectInput(x);
    const fx = this.body.forward(x);
    if (!sameShape(fx.shape, x.shape)) {
      throw new Error(`${this.describe()}: its body maps ${formatShape(x.shape)} to ${formatShape(fx.shape)}; x + f(x) needs the same shape`);
    }
    return x.add(fx);
  }

  override toConfig(): ModuleConfig | null {
    const body = this.body.toConfig();
    return body === null ? null : { type: 'residual', body };
  }
}
registerModuleType('residual', (config, context) => new Residual(context.build(config.body as ModuleConfig)));

/** Options of {@link Highway}. */
export interface HighwayOptions {
  /** The transform f's activation (default 'relu'). */
  activation?: ActivationName;
  /**
   * The gate's initial bias (default −1): negative, so the layer starts out mostly carrying x
   * through, as Srivastava et al. recommend for training deep highway networks.
   */
  gateBias?: number;
  /** Initialiser for both weight matrices (default Glorot uniform, needs `rng`). */
  weightInit?: Initializer;
  /** The generator random initialisers draw from. */
  rng?: Generator;
  /** The parameters' dtype (default float32). */
  dtype?: DType;
  /** How errors refer to the layer; containers name unnamed layers by their path. */
  name?: string;
}

/** y = T(x)·f(x) + (1 − T(x))·x, with f a dense layer and T = sigmoid(x·W_T + b_T) a learned gate. */
export class Highway extends Module {
  readonly kind = 'highway';
  /** f, a width → width dense layer. */
  readonly transform: Dense;
  /** T, a width → width dense layer with sigmoid activation. */
  readonly gate: Dense;

  constructor(
    /** The input and output width. */
    readonly width: number,
    options: HighwayOptions = {},
  ) {
    super();
    this.name = options.name ?? '';
    const { activation = 'relu', gateBias = -1, weightInit, rng, dtype } = options;
    if (!Number.isFinite(gateBias)) throw new Error(`highway: gateBias must be a finite number, got ${gateBias}`);
    this.transform = new Dense(width, width, { activation: checkActivation('highway', activation), weightInit, rng, dtype });
    this.gate = new Dense(width, width, { activation: 'sigmoid', weightInit, biasInit: init.constant(gateBias), rng, dtype });
  }

  forward(x: Tensor): Tensor {
    this.expectInput(x);
    const width = x.shape[x.rank - 1];
    if (width !== this.width) {
      throw new Error(`${this.describe()}: expected input width ${this.width}, got ${width} (input ${formatShape(x.shape)})`);
    }
    const t = this.gateValues(x);
    // T·f(x) + (1 − T)·x, written as x + T·(f(x) − x) to save an op.
    return x.add(t.mul(this.transform.forward(x).sub(x)));
  }

  /** The gate's values T(x) in [0, 1]: 1 means "transform", 0 means "carry x through". */
  gateValues(x: Tensor): Tensor {
    return this.gate.forward(x);
  }

  override toConfig(): ModuleConfig {
    return { type: 'highway', width: this.width, activation: this.transform.activation };
  }
}
registerModuleType(
  'highway',
  (config, { dtype }) =>
    new Highway(Number(config.width), { activation: checkActivation('highway', String(config.activation)), weightInit: init.zeros(), dtype }),
);
