/** Random tensors, always drawn from an explicit generator. */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { DType } from '../tensor/dtype.js';
import { checkDType } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { describeValue, expectNumber, expectShape } from '../tensor/arguments.js';
import type { Generator } from './generator.js';

function draw(op: string, shape: readonly number[], rng: Generator, dtype: DType, sample: () => number): Tensor {
  const dims = expectShape(op, shape);
  // Any generator-like object with nextUint32 (not instanceof: two copies of nnlab may meet).
  if (typeof (rng as Partial<Generator> | null)?.nextUint32 !== 'function') throw new Error(`${op}: rng must be a Generator (rng(seed)), got ${describeValue(rng)}`);
  const data = allocate(checkDType(op, dtype), sizeOf(dims));
  for (let i = 0; i < data.length; i++) data[i] = sample();
  return new Tensor(data, dims);
}

/** Values drawn uniformly from [low, high) (default [0, 1)) by `rng`. */
export function randomUniform(shape: readonly number[], rng: Generator, low = 0, high = 1, dtype: DType = 'float32'): Tensor {
  expectNumber('randomUniform', 'low', low);
  expectNumber('randomUniform', 'high', high);
  if (!(low <= high)) throw new Error(`randomUniform: needs low ≤ high, got low ${low} and high ${high}`);
  return draw('randomUniform', shape, rng, dtype, () => rng.uniform(low, high));
}

/** Values drawn from a normal distribution (default mean 0, std 1) by `rng`. */
export function randomNormal(shape: readonly number[], rng: Generator, mean = 0, std = 1, dtype: DType = 'float32'): Tensor {
  expectNumber('randomNormal', 'mean', mean);
  if (typeof std !== 'number' || !(std >= 0)) throw new Error(`randomNormal: std must be non-negative, got ${describeValue(std)}`);
  return draw('randomNormal', shape, rng, dtype, () => rng.normal(mean, std));
}

/** 1 with probability p, else 0. */
export function randomBernoulli(shape: readonly number[], rng: Generator, p: number, dtype: DType = 'float32'): Tensor {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`randomBernoulli: p must be in [0, 1], got ${describeValue(p)}`);
  return draw('randomBernoulli', shape, rng, dtype, () => rng.bernoulli(p));
}
