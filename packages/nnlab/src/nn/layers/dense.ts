/** Dense (fully connected) layer: y = activation(x·W + b), with W of shape [in, out] as in the chapter. */
import type { Tensor } from '../../tensor/tensor.js';
import { isFusedActivation, linear } from '../../ops/linear.js';
import type { DType } from '../../tensor/dtype.js';
import { formatShape } from '../../tensor/shape.js';
import type { Generator } from '../../random/generator.js';
import { Module } from '../module.js';
import * as init from '../init.js';
import type { Initializer } from '../init.js';
import { MAX_SIZE, describeValue } from '../../tensor/arguments.js';
import { applyActivation, checkActivation } from './activation.js';
import type { ActivationName } from './activation.js';
import { registerModuleType } from '../config.js';
import type { ModuleConfig } from '../config.js';

/** Options of {@link Dense}. */
export interface DenseOptions {
  /** Applied to x·W + b (default 'linear', i.e. none). */
  activation?: ActivationName;
  /** Whether the layer has a bias (default true). */
  bias?: boolean;
  /** Default Glorot uniform (as Keras), which needs `rng`. */
  weightInit?: Initializer;
  /** Default zeros. */
  biasInit?: Initializer;
  /** The generator random initialisers draw from. */
  rng?: Generator;
  /** The parameters' dtype (default float32). */
  dtype?: DType;
  /** How errors refer to the layer; containers name unnamed layers by their path. */
  name?: string;
}

/**
 * A fully connected layer: y = activation(x·W + b) for x of shape [n, inFeatures], with W of
 * shape [inFeatures, outFeatures] as in the chapter.
 */
export class Dense extends Module {
  readonly kind = 'dense';
  /** The input width. */
  readonly inFeatures: number;
  /** The output width (the number of units). */
  readonly outFeatures: number;
  /** Applied to x·W + b ('linear': none). */
  readonly activation: ActivationName;
  /** [inFeatures, outFeatures] */
  readonly weight: Tensor;
  /** [outFeatures], or null without bias. */
  readonly bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: DenseOptions = {}) {
    super();
    for (const [label, value] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`dense: ${label} must be a positive integer, got ${describeValue(value)}`);
    }
    if (inFeatures * outFeatures > MAX_SIZE) throw new Error(`dense: a weight of ${inFeatures} × ${outFeatures} is more values than a tensor may hold (${MAX_SIZE})`);
    if (typeof options !== 'object' || options === null) throw new Error(`dense: options must be an object, got ${describeValue(options)}`);
    this.name = options.name ?? '';
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.activation = checkActivation('dense', options.activation ?? 'linear');
    const context = { rng: options.rng, dtype: options.dtype ?? 'float32', owner: this.describe() };
    this.weight = (options.weightInit ?? init.glorotUniform())([inFeatures, outFeatures], context).requireGrad();
    this.bias = options.bias === false ? null : (options.biasInit ?? init.zeros())([outFeatures], context).requireGrad();
  }

  forward(x: Tensor): Tensor {
    this.expectInput(x);
    const width = x.shape[x.rank - 1];
    if (x.rank < 2 || width !== this.inFeatures) {
      throw new Error(
        x.rank < 2
          ? `${this.describe()}: expected a batch of rows [n, ${this.inFeatures}], got input ${formatShape(x.shape)}`
          : `${this.describe()}: expected input width ${this.inFeatures}, got ${width} (input ${formatShape(x.shape)})`,
      );
    }
    // The common case, [n, in] · [in, out] + [out] → [n, out] with an activation op (or none), is one op.
    if (this.bias !== null && x.rank === 2 && isFusedActivation(this.activation)) return linear(x, this.weight, this.bias, this.activation);
    const z = x.matmul(this.weight);
    return applyActivation(this.activation, this.bias === null ? z : z.add(this.bias));
  }

  override toConfig(): ModuleConfig {
    return { type: 'dense', inFeatures: this.inFeatures, outFeatures: this.outFeatures, activation: this.activation, bias: this.bias !== null };
  }
}

registerModuleType(
  'dense',
  (config, { dtype }) =>
    new Dense(Number(config.inFeatures), Number(config.outFeatures), {
      activation: checkActivation('dense', String(config.activation)),
      bias: config.bias !== false,
      weightInit: init.zeros(),
      dtype,
    }),
);
