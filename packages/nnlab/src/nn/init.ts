/**
 * Initialisers: functions from a shape to a fresh tensor. The random ones draw from the
 * generator they are given, never from a global source.
 * @packageDocumentation
 */
import type { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { full } from '../tensor/create.js';
import type { Generator } from '../random/generator.js';
import { randomNormal, randomUniform } from '../random/tensors.js';

/** What an initialiser receives besides the shape. */
export interface InitContext {
  /** The generator random initialisers draw from (they throw without one). */
  rng?: Generator;
  /** The dtype of the tensor to make. */
  dtype: DType;
  /** Who is initialising, for the error when a random initialiser has no generator. */
  owner: string;
}

/** A function from a shape to a fresh tensor of initial values. */
export type Initializer = (shape: readonly number[], context: InitContext) => Tensor;

/** Fan-in and fan-out of a weight of shape [in, out] (a vector counts as both). */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((n, d) => n * d, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

function needRng(name: string, context: InitContext): Generator {
  if (context.rng === undefined) {
    throw new Error(`${context.owner}: init.${name} draws random numbers and needs a seeded Generator: pass { rng } in the layer's options`);
  }
  return context.rng;
}

/** All zeros. */
export function zeros(): Initializer {
  return (shape, { dtype }) => full(shape, 0, dtype);
}

/** Every value `value`. */
export function constant(value: number): Initializer {
  return (shape, { dtype }) => full(shape, value, dtype);
}

/** Normal(mean, std): the chapter's normal(0, 0.3) is `init.normal(0, 0.3)`. */
export function normal(mean = 0, std = 1): Initializer {
  return (shape, context) => randomNormal(shape, needRng('normal', context), mean, std, context.dtype);
}

/** U(low, high), by default U(−0.05, 0.05) as Keras's RandomUniform. */
export function uniform(low = -0.05, high = 0.05): Initializer {
  return (shape, context) => randomUniform(shape, needRng('uniform', context), low, high, context.dtype);
}

/** Glorot/Xavier uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)); keeps activation variance steady for tanh/sigmoid. */
export function glorotUniform(): Initializer {
  return (shape, context) => {
    const [fanIn, fanOut] = fans(shape);
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return randomUniform(shape, needRng('glorotUniform', context), -limit, limit, context.dtype);
  };
}

/** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
export function glorotNormal(): Initializer {
  return (shape, context) => {
    const [fanIn, fanOut] = fans(shape);
    return randomNormal(shape, needRng('glorotNormal', context), 0, Math.sqrt(2 / (fanIn + fanOut)), context.dtype);
  };
}

/** He/Kaiming normal: N(0, 2 / fanIn), for ReLU layers. */
export function heNormal(): Initializer {
  return (shape, context) => {
    const [fanIn] = fans(shape);
    return randomNormal(shape, needRng('heNormal', context), 0, Math.sqrt(2 / fanIn), context.dtype);
  };
}

/** He/Kaiming uniform: U(−l, l) with l = √(6 / fanIn). */
export function heUniform(): Initializer {
  return (shape, context) => {
    const [fanIn] = fans(shape);
    const limit = Math.sqrt(6 / fanIn);
    return randomUniform(shape, needRng('heUniform', context), -limit, limit, context.dtype);
  };
}
