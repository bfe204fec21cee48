/** Activation layers, and the parameter-free activations a dense layer can apply by name. */
import type { Tensor } from '../../tensor/tensor.js';
import { full } from '../../tensor/create.js';
import type { DType } from '../../tensor/dtype.js';
import { formatShape } from '../../tensor/shape.js';
import { registeredOps } from '../../autograd/op.js';
import { elu, leakyRelu, logSoftmax, prelu, softmax } from '../../ops/activations.js';
import { activationOpNames } from '../../ops/linear.js';
import { Module } from '../module.js';
import { registerModuleType } from '../config.js';
import type { ModuleConfig } from '../config.js';

/**
 * A parameter-free activation's name: 'linear' (the identity), an activation op (an elementwise
 * op defined with `activation`, nnlab's or your own), 'softmax' or 'logSoftmax'.
 */
export type ActivationName = string;

/**
 * nnlab's activations, by name: the one list. Every activation op (src/ops/activations.ts) is
 * in it, in the order defined; ops you define with `activation` are accepted too.
 */
export const ACTIVATIONS: readonly ActivationName[] = ['linear', ...activationOpNames(), 'softmax', 'logSoftmax'];

function isActivation(name: string): boolean {
  return name === 'linear' || name === 'softmax' || name === 'logSoftmax' || registeredOps().get(name)?.elementwise?.activation !== undefined;
}

/** How an activation presents itself: its label for pages, and its output's range when bounded (a colour scale). */
export interface ActivationDescription {
  /** How pages name it, e.g. 'ReLU'. */
  label: string;
  /** The output's range when it is bounded, e.g. [0, 1] for sigmoid. */
  range?: readonly [number, number];
}

/** What pages show for an activation (label, bounded range), from the op's own `activation` info. */
export function activationInfo(name: ActivationName): ActivationDescription {
  if (name === 'softmax' || name === 'logSoftmax') return name === 'softmax' ? { label: name, range: [0, 1] } : { label: name };
  if (name === 'linear') return { label: name };
  const info = registeredOps().get(checkActivation('activationInfo', name))!.elementwise!.activation!;
  return info.range === undefined ? { label: info.label ?? name } : { label: info.label ?? name, range: info.range };
}

export function checkActivation(owner: string, name: string): ActivationName {
  if (!isActivation(name)) {
    throw new Error(`${owner}: unknown activation '${name}' (choose one of ${ACTIVATIONS.join(', ')}; PReLU is a layer: nn.PReLU)`);
  }
  return name;
}

/** Applies a named activation; leaky ReLU uses the default slope 0.01, softmax the last axis. */
export function applyActivation(name: ActivationName, x: Tensor): Tensor {
  if (name === 'linear') return x;
  if (name === 'softmax') return softmax(x);
  if (name === 'logSoftmax') return logSoftmax(x);
  const op = registeredOps().get(checkActivation('applyActivation', name))!;
  return op.apply({ x }, op.elementwise!.activation!.attrs);
}

/** A layer that applies one parameter-free activation. */
export class Activation extends Module {
  readonly kind: string;
  /** The activation's name, one of {@link ACTIVATIONS} or an op defined with `activation`. */
  readonly activation: ActivationName;

  constructor(activation: ActivationName) {
    super();
    this.activation = checkActivation('Activation', activation);
    this.kind = activation;
  }

  forward(x: Tensor): Tensor {
    this.expectInput(x);
    return applyActivation(this.activation, x);
  }

  override toConfig(): ModuleConfig {
    return { type: 'activation', activation: this.activation };
  }
}
registerModuleType('activation', (config) => new Activation(checkActivation('activation', String(config.activation))));

/** σ(x) = 1 / (1 + e^−x), in (0, 1). */
export class Sigmoid extends Activation {
  constructor() { super('sigmoid'); }
}
/** tanh(x), in (−1, 1). */
export class Tanh extends Activation {
  constructor() { super('tanh'); }
}
/** max(0, x); gradient 0 at 0. */
export class ReLU extends Activation {
  constructor() { super('relu'); }
}
/** ln(1 + e^x), a smooth ReLU. */
export class Softplus extends Activation {
  constructor() { super('softplus'); }
}

/** max(slope·x, x), slope 0.01 by default as in the chapter. */
export class LeakyReLU extends Module {
  readonly kind = 'leakyRelu';
  constructor(
    /** The slope for x ≤ 0. */
    readonly slope = 0.01,
  ) {
    super();
    if (!Number.isFinite(slope)) throw new Error(`LeakyReLU: slope must be a finite number, got ${slope}`);
  }
  forward(x: Tensor): Tensor {
    this.expectInput(x);
    return leakyRelu(x, this.slope);
  }
  override toConfig(): ModuleConfig {
    return { type: 'leakyRelu', slope: this.slope };
  }
}
registerModuleType('leakyRelu', (config) => new LeakyReLU(Number(config.slope)));

/** x for x > 0, alpha·(e^x − 1) otherwise (alpha 1 by default). */
export class ELU extends Module {
  readonly kind = 'elu';
  constructor(
    /** The scale of the negative branch: the output tends to −alpha as x → −∞. */
    readonly alpha = 1,
  ) {
    super();
    if (!Number.isFinite(alpha)) throw new Error(`ELU: alpha must be a finite number, got ${alpha}`);
  }
  forward(x: Tensor): Tensor {
    this.expectInput(x);
    return elu(x, this.alpha);
  }
  override toConfig(): ModuleConfig {
    return { type: 'elu', alpha: this.alpha };
  }
}
registerModuleType('elu', (config) => new ELU(Number(config.alpha)));

/** Softmax along `axis` (default the last). */
export class Softmax extends Module {
  readonly kind = 'softmax';
  constructor(
    /** The axis the values sum to 1 along (negative counts from the end). */
    readonly axis = -1,
  ) {
    super();
    if (!Number.isInteger(axis)) throw new Error(`softmax: axis must be an integer, got ${axis}`);
  }
  forward(x: Tensor): Tensor {
    this.expectInput(x);
    return softmax(x, this.axis);
  }
  override toConfig(): ModuleConfig {
    return { type: 'softmax', axis: this.axis };
  }
}
registerModuleType('softmax', (config) => new Softmax(Number(config.axis)));

/** Options of {@link PReLU}. */
export interface PReLUOptions {
  /** 1 (one slope shared by all units, the default) or the width of the last axis (one slope per unit). */
  numParameters?: number;
  /** The slopes' starting value (default 0.25, as He et al. and PyTorch). */
  init?: number;
  /** The slopes' dtype (default float32). */
  dtype?: DType;
}

/** Parametric ReLU: max(0, x) + alpha·min(0, x) with alpha learned. */
export class PReLU extends Module {
  readonly kind = 'prelu';
  /** The learned slopes for x < 0: [1] or [width]. */
  readonly alpha: Tensor;

  constructor(options: PReLUOptions = {}) {
    super();
    const { numParameters = 1, init = 0.25, dtype = 'float32' } = options;
    if (!Number.isInteger(numParameters) || numParameters < 1) {
      throw new Error(`PReLU: numParameters must be a positive integer, got ${numParameters}`);
    }
    this.alpha = full([numParameters], init, dtype).requireGrad();
  }

  forward(x: Tensor): Tensor {
    this.expectInput(x);
    const width = x.shape[x.rank - 1];
    if (this.alpha.size !== 1 && width !== this.alpha.size) {
      throw new Error(`${this.describe()}: has ${this.alpha.size} slopes but the input's last axis has ${width} units (input ${formatShape(x.shape)})`);
    }
    return prelu(x, this.alpha);
  }

  override toConfig(): ModuleConfig {
    return { type: 'prelu', numParameters: this.alpha.size };
  }
}
registerModuleType('prelu', (config, { dtype }) => new PReLU({ numParameters: Number(config.numParameters), dtype }));
