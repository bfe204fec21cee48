/** Making tensors: from nested arrays, filled, ranges, identity, one-hot, and 2-D grids. */
import { Tensor } from './tensor.js';
import type { NestedArray } from './tensor.js';
import { allocate, checkDType } from './dtype.js';
import type { DType, FloatArray } from './dtype.js';
import { formatShape, sizeOf } from './shape.js';
import { MAX_SIZE, describeValue, expectInteger, expectNumber, expectShape, expectTensor } from './arguments.js';

/**
 * A tensor from nested arrays (or a typed array plus `shape`): `tensor([[0, 1], [1, 0]])`.
 * Rows must be rectangular. dtype defaults to float32.
 */
export function tensor(values: NestedArray | FloatArray | readonly number[], dtype: DType = 'float32', shape?: readonly number[]): Tensor {
  checkDType('tensor', dtype);
  // Copied, so that changing the caller's array later cannot change the tensor's shape.
  const given = shape === undefined ? undefined : expectShape('tensor', shape);
  if (values instanceof Float32Array || values instanceof Float64Array) {
    const data = allocate(dtype, values.length);
    data.set(values);
    const target = given ?? [values.length];
    if (sizeOf(target) !== data.length) throw new Error(`tensor: ${data.length} values do not fill shape ${formatShape(target)}`);
    return new Tensor(data, target);
  }
  if (typeof values !== 'number' && !Array.isArray(values)) {
    throw new Error(`tensor: values must be a number, nested arrays of numbers or a Float32Array/Float64Array, got ${describeValue(values)}`);
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
      // A plain loop, not forEach, which skips holes: [1, , 3] must not become [1, 3, 0].
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw new Error(`tensor: expected a number at [${[...path, i].join(', ')}], got a hole (an empty slot in the array)`);
        fill(v[i], depth + 1, [...path, i]);
      }
    } else {
      if (typeof v !== 'number' || depth !== inferred.length) {
        throw new Error(`tensor: expected ${depth !== inferred.length ? 'an array' : 'a number'} at [${path.join(', ')}], got ${describeValue(v)}`);
      }
      data[at++] = v;
    }
  };
  fill(values as NestedArray, 0, []);
  const target = given ?? inferred;
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
  return filled('scalar', [], value, dtype);
}

/** A tensor of `shape` with every value `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  return filled('full', shape, value, dtype);
}

/** A tensor of `shape` filled with 0. */
export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('zeros', shape, 0, dtype);
}

/** A tensor of `shape` filled with 1. */
export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled('ones', shape, 1, dtype);
}

/** Zeros of x's shape and dtype. */
export function zerosLike(x: Tensor): Tensor {
  expectTensor('zerosLike', 'x', x);
  return zeros(x.shape, x.dtype);
}

/** Ones of x's shape and dtype. */
export function onesLike(x: Tensor): Tensor {
  expectTensor('onesLike', 'x', x);
  return ones(x.shape, x.dtype);
}

function filled(fn: string, shape: readonly number[], value: number, dtype: DType): Tensor {
  const dims = expectShape(fn, shape);
  expectNumber(fn, 'value', value);
  const data = allocate(checkDType(fn, dtype), sizeOf(dims));
  if (value !== 0) data.fill(value);
  return new Tensor(data, dims);
}

/** `count` evenly spaced values from `start` to `stop`, both included (NumPy's linspace). */
export function linspace(start: number, stop: number, count: number, dtype: DType = 'float32'): Tensor {
  expectNumber('linspace', 'start', start);
  expectNumber('linspace', 'stop', stop);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_SIZE) {
    throw new Error(`linspace: count must be a non-negative integer (at most ${MAX_SIZE}), got ${describeValue(count)}`);
  }
  const data = allocate(checkDType('linspace', dtype), count);
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  if (count > 1) data[count - 1] = stop; // no rounding drift at the end
  return new Tensor(data, [count]);
}

/** start, start + step, … up to but excluding stop; `arange(n)` is 0..n−1. */
export function arange(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  expectNumber('arange', 'start', start);
  expectNumber('arange', 'stop', stop);
  if (typeof step !== 'number' || step === 0 || !Number.isFinite(step)) throw new Error(`arange: step must be a nonzero finite number, got ${describeValue(step)}`);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (!(count <= MAX_SIZE)) throw new Error(`arange: [${start}, ${stop}) by ${step} would hold ${count} values, more than ${MAX_SIZE}`);
  const data = allocate(checkDType('arange', dtype), count);
  for (let i = 0; i < count; i++) data[i] = start + i * step;
  return new Tensor(data, [count]);
}

/** The identity matrix, n × m (m defaults to n). */
export function eye(n: number, m = n, dtype: DType = 'float32'): Tensor {
  expectInteger('eye', 'n', n);
  expectInteger('eye', 'm', m);
  if (n * m > MAX_SIZE) throw new Error(`eye: ${n} × ${m} is more values than a tensor may hold (${MAX_SIZE})`);
  const data = allocate(checkDType('eye', dtype), n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return new Tensor(data, [n, m]);
}

/** One row per class index, with a 1 in that column: `oneHot([0, 2], 3)` is [[1, 0, 0], [0, 0, 1]]. */
export function oneHot(indices: readonly number[] | Int32Array | Tensor, depth: number, dtype: DType = 'float32'): Tensor {
  expectInteger('oneHot', 'depth', depth, 1);
  if (!(indices instanceof Tensor) && !(indices instanceof Int32Array) && !Array.isArray(indices)) {
    throw new Error(`oneHot: indices must be an array, an Int32Array or a Tensor of class indices, got ${describeValue(indices)}`);
  }
  const list: unknown[] = indices instanceof Tensor ? Array.from(indices.data) : Array.from(indices);
  if (list.length * depth > MAX_SIZE) throw new Error(`oneHot: ${list.length} rows of depth ${depth} are more values than a tensor may hold (${MAX_SIZE})`);
  const data = allocate(checkDType('oneHot', dtype), list.length * depth);
  list.forEach((c, row) => {
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= depth) {
      throw new Error(`oneHot: class index ${describeValue(c)} at position ${row} is outside [0, ${depth - 1}]`);
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
  if (typeof options !== 'object' || options === null) throw new Error(`grid2d: options must be an object, got ${describeValue(options)}`);
  const { resolution = 50, x0Range = [0, 1], x1Range = [0, 1], dtype = 'float32' } = options;
  if (typeof resolution !== 'number' || !Number.isInteger(resolution) || resolution < 2 || 2 * resolution * resolution > MAX_SIZE) {
    throw new Error(`grid2d: resolution must be an integer from 2 to ${Math.floor(Math.sqrt(MAX_SIZE / 2))}, got ${describeValue(resolution)}`);
  }
  checkDType('grid2d', dtype);
  for (const [label, range] of [['x0Range', x0Range], ['x1Range', x1Range]] as const) {
    if (!Array.isArray(range) || range.length !== 2 || typeof range[0] !== 'number' || typeof range[1] !== 'number') {
      throw new Error(`grid2d: ${label} must be [low, high], two numbers, got ${describeValue(range)}`);
    }
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
