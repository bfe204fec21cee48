/** Making tensors: from nested arrays, filled, ranges, identity, one-hot, and 2-D grids. */
import { Tensor } from './tensor.js';
import type { NestedArray } from './tensor.js';
import { allocate, checkDType } from './dtype.js';
import type { DType, FloatArray } from './dtype.js';
import { checkShape, formatShape, sizeOf } from './shape.js';

/**
 * A tensor from nested arrays (or a typed array plus `shape`): `tensor([[0, 1], [1, 0]])`.
 * Rows must be rectangular. dtype defaults to float32.
 */
export function tensor(values: NestedArray | FloatArray | readonly number[], dtype: DType = 'float32', shape?: readonly number[]): Tensor {
  checkDType('tensor', dtype);
  if (values instanceof Float32Array || values instanceof Float64Array) {
    const data = allocate(dtype, values.length);
    data.set(values);
    return new Tensor(data, shape ?? [values.length]);
  }
  const inferred = inferShape(values);
  const data = allocate(dtype, sizeOf(inferred));
  let at = 0;
  const fill = (v: NestedArray, depth: number, path: number[]): void => {
    if (Array.isArray(v)) {
      if (depth === inferred.length) {
        throw new Error(`tensor: ragged nested array: expected a number at [${path.join(', ')}], got an array`);
      }
      if (v.length !== inferred[depth]) {
        throw new Error(`tensor: ragged nested array: the row at [${path.join(', ')}] has ${v.length} entries, expected ${inferred[depth]}`);
      }
      v.forEach((item, i) => fill(item, depth + 1, [...path, i]));
    } else {
      if (typeof v !== 'number' || depth !== inferred.length) {
        throw new Error(`tensor: expected ${depth !== inferred.length ? 'an array' : 'a number'} at [${path.join(', ')}], got ${JSON.stringify(v)}`);
      }
      data[at++] = v;
    }
  };
  fill(values as NestedArray, 0, []);
  const target = shape ?? inferred;
  if (sizeOf(target) !== data.length) {
    throw new Error(`tensor: ${data.length} values do not fill shape ${formatShape(target)}`);
  }
  return new Tensor(data, target);
}

function inferShape(values: NestedArray | readonly number[]): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/** A rank-0 tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return full([], value, dtype);
}

/** A tensor of `shape` with every value `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  checkShape('full', shape);
  const data = allocate(checkDType('full', dtype), sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, [...shape]);
}

/** A tensor of `shape` filled with 0. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 0, dtype);
}

/** A tensor of `shape` filled with 1. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return full(shape, 1, dtype);
}

/** Zeros of x's shape and dtype. */
export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape, x.dtype);
}

/** Ones of x's shape and dtype. */
export function onesLike(x: Tensor): Tensor {
  return ones(x.shape, x.dtype);
}

/** `count` evenly spaced values from `start` to `stop`, both included (NumPy's linspace). */
export function linspace(start: number, stop: number, count: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(count) || count < 0) throw new Error(`linspace: count must be a non-negative integer, got ${count}`);
  const data = allocate(dtype, count);
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  if (count > 1) data[count - 1] = stop; // no rounding drift at the end
  return new Tensor(data, [count]);
}

/** start, start + step, … up to but excluding stop; `arange(n)` is 0..n−1. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new Error(`arange: step must be a nonzero finite number, got ${step}`);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(dtype, count);
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  return new Tensor(data, [count]);
}

/** The identity matrix, n × m (m defaults to n). */
export function eye(n: number, m = n, dtype: DType = 'float32'): Tensor {
  checkShape('eye', [n, m]);
  const data = allocate(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m]);
}

/** One row per class index, with a 1 in that column: `oneHot([0, 2], 3)` is [[1, 0, 0], [0, 0, 1]]. */
export function oneHot(indices: readonly number[] | Int32Array | Tensor, depth: number, dtype: DType = 'float32'): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, got ${depth}`);
  const list = indices instanceof Tensor ? Array.from(indices.data) : Array.from(indices);
  const data = allocate(dtype, list.length * depth);
  list.forEach((c, row) => {
    if (!Number.isInteger(c) || c < 0 || c >= depth) {
      throw new Error(`oneHot: class index ${c} at position ${row} is outside [0, ${depth - 1}]`);
    }
    data[row * depth + c] = 1;
  });
  const leading = indices instanceof Tensor ? indices.shape : [list.length];
  return new Tensor(data, [...leading, depth]);
}

/** Options of {@link grid2d}. */
export interface GridOptions {
  /** Points per axis (default 50, as the chapter's heat maps). */
  resolution?: number;
  /** [low, high] of x0 (default [0, 1]). */
  x0Range?: readonly [number, number];
  /** [low, high] of x1 (default [0, 1]). */
  x1Range?: readonly [number, number];
  /** The points' dtype (default float32). */
  dtype?: DType;
}

/**
 * The points of a resolution × resolution grid as a [resolution², 2] tensor of (x0, x1) rows,
 * for evaluating a 2-input network over a square. Row r, column c of the grid is point
 * r·resolution + c, with x0 = c-th value (left to right) and x1 = r-th value (low to high):
 * reshape an output column to [resolution, resolution] to get the heat map.
 */
export function grid2d(options: GridOptions = {}): Tensor {
  const { resolution = 50, x0Range = [0, 1], x1Range = [0, 1], dtype = 'float32' } = options;
  if (!Number.isInteger(resolution) || resolution < 2) {
    throw new Error(`grid2d: resolution must be an integer of at least 2, got ${resolution}`);
  }
  const x0 = linspace(x0Range[0], x0Range[1], resolution, 'float64').data;
  const x1 = linspace(x1Range[0], x1Range[1], resolution, 'float64').data;
  const data = allocate(dtype, resolution * resolution * 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const at = (r * resolution + c) * 2;
      data[at] = x0[c];
      data[at + 1] = x1[r];
    }
  }
  return new Tensor(data, [resolution * resolution, 2]);
}
