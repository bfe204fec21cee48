/** Random tensors, always drawn from an explicit generator. */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { DType } from '../tensor/dtype.js';
import { checkShape, sizeOf } from '../tensor/shape.js';
import type { Generator } from './generator.js';

function draw(op: string, shape: readonly number[], dtype: DType, sample: () => number): Tensor {
  checkShape(op, shape);
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = sample();
  return new Tensor(data, [...shape]);
}

/** Values drawn uniformly from [low, high) (default [0, 1)) by `rng`. */
export function randomUniform(shape: readonly number[], rng: Generator, low = 0, high = 1, dtype: DType = 'float32'): Tensor {
  return draw('randomUniform', shape, dtype, () => rng.uniform(low, high));
}

/** Values drawn from a normal distribution (default mean 0, std 1) by `rng`. */
export function randomNormal(shape: readonly number[], rng: Generator, mean = 0, std = 1, dtype: DType = 'float32'): Tensor {
  if (!(std >= 0)) throw new Error(`randomNormal: std must be non-negative, got ${std}`);
  return draw('randomNormal', shape, dtype, () => rng.normal(mean, std));
}

/** 1 with probability p, else 0. */
export function randomBernoulli(shape: readonly number[], rng: Generator, p: number, dtype: DType = 'float32'): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`randomBernoulli: p must be in [0, 1], got ${p}`);
  return draw('randomBernoulli', shape, dtype, () => rng.bernoulli(p));
}
