/**
 * Checks of the arguments a user passes to the public functions, for JavaScript callers (and
 * TypeScript callers past an `as`): a wrong type fails here with a message naming the function,
 * the argument and what it expects, instead of as a TypeError deep inside a kernel. They run
 * once per call, never per element.
 */
import { Tensor } from './tensor.js';
import { formatShape } from './shape.js';

/**
 * The most values a tensor made from a shape may hold: 2³¹ − 1, a bound every engine's typed
 * arrays allow (a larger one would fail inside the allocation with a bare RangeError).
 */
export const MAX_SIZE = 2 ** 31 - 1;

/** A value as an error message shows it: `3`, `the string '0'`, `an array`, `null`, `the bigint 1n`. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (x instanceof Tensor) return `a Tensor of shape ${formatShape(x.shape)}`;
  if (Array.isArray(x)) return 'an array';
  switch (typeof x) {
    case 'number':
      return String(x);
    case 'string':
      return `the string '${x.length > 20 ? `${x.slice(0, 20)}…` : x}'`;
    case 'bigint':
      return `the bigint ${x}n`;
    case 'boolean':
      return String(x);
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return ArrayBuffer.isView(x) ? `a ${x.constructor.name}` : 'an object';
  }
}

/** Throws unless `x` is a Tensor: `expectTensor('where', 'condition', c)`. */
export function expectTensor(fn: string, argument: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    const hint = Array.isArray(x) ? ' (wrap it with tensor(...))' : '';
    throw new Error(`${fn}: ${argument} must be a Tensor, got ${describeValue(x)}${hint}`);
  }
}

/** `x`, after checking it is a Tensor: `negOp({ x: tensorArgument('neg', x) })`, for wrappers that read nothing of x before the op. */
export function tensorArgument(fn: string, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) expectTensor(fn, 'x', x);
  return x;
}

/** Throws unless `x` is a number (NaN and ±Infinity included: the op decides what they mean). */
export function expectNumber(fn: string, argument: string, x: unknown): asserts x is number {
  if (typeof x !== 'number') throw new Error(`${fn}: ${argument} must be a number, got ${describeValue(x)}`);
}

/** Throws unless `x` is an integer ≥ `min`. */
export function expectInteger(fn: string, argument: string, x: unknown, min = 0): asserts x is number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
    throw new Error(`${fn}: ${argument} must be an integer ≥ ${min}, got ${describeValue(x)}`);
  }
}

/** Throws unless `x` is an array (its entries are the caller's to check). */
export function expectArray(fn: string, argument: string, x: unknown): asserts x is readonly unknown[] {
  if (!Array.isArray(x)) throw new Error(`${fn}: ${argument} must be an array, got ${describeValue(x)}`);
}

/**
 * A shape as a fresh array (never the caller's, which they may change later), after checking
 * it is an array without holes of non-negative integers.
 */
export function expectShape(fn: string, x: unknown, argument = 'shape'): number[] {
  if (!Array.isArray(x)) throw new Error(`${fn}: ${argument} must be an array of non-negative integers, got ${describeValue(x)}`);
  const shape = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) {
    // `i in x` is false at a hole ([2, , 3]), which reads as undefined.
    const d: unknown = x[i];
    if (!(i in x) || typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      const shown = Array.from({ length: x.length }, (_, k) => (k in x ? describeValue(x[k]) : 'a hole'));
      throw new Error(`${fn}: ${argument} sizes must be non-negative integers, got [${shown.join(', ')}]`);
    }
    shape[i] = d;
  }
  let size = 1;
  for (const d of shape) size *= d;
  if (size > MAX_SIZE) throw new Error(`${fn}: ${argument} ${formatShape(shape)} holds ${size} values, more than a tensor may (${MAX_SIZE})`);
  return shape;
}
