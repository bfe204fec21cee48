/** Reductions over axes: sum, mean (with buffer kernels), max, min, logsumexp (on tensors), and argmax. */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { normalizeAxes, normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';
import { broadcastIndex } from './elementwise.js';
import { aroundAxis } from './activations.js';
import * as math from '../math/index.js';
import { describeValue, expectTensor } from '../tensor/arguments.js';

interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** The shape with reduced axes kept as size 1: the shape the output broadcasts back from. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

const SCALAR: number[] = [];

function outputShape(shape: Shape, { axes, keepDims }: ReduceAttrs): number[] {
  if (!keepDims && axes.length === shape.length) return SCALAR; // the common full reduction, e.g. a mean loss
  return keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** For each element of x, the flat index of the output element it reduces into. */
function reductionIndex(x: Tensor, axes: readonly number[]): Int32Array {
  return broadcastIndex(keptShape(x.shape, axes), x.shape);
}

function reduceKernel(x: Tensor, attrs: ReduceAttrs, init: number, combine: (acc: number, v: number) => number): Tensor {
  const shape = outputShape(x.shape, attrs);
  const out = allocate(x.dtype, sizeOf(shape)).fill(init);
  const src = x.data;
  if (out.length === 1) {
    let acc = init;
    for (let i = 0; i < src.length; i++) acc = combine(acc, src[i]);
    out[0] = acc;
  } else {
    const index = reductionIndex(x, attrs.axes);
    for (let i = 0; i < src.length; i++) out[index[i]] = combine(out[index[i]], src[i]);
  }
  return new Tensor(out, shape);
}

/** dy (of the output's shape) spread back over x's shape, times an optional per-element weight. */
function spread(dy: Tensor, x: Tensor, axes: readonly number[], weight?: (i: number, j: number) => number): Tensor {
  const out = allocate(dy.dtype, x.size);
  const g = dy.data;
  if (g.length === 1) {
    // Reduced to one value (a mean loss, say): no index needed.
    for (let i = 0; i < out.length; i++) out[i] = weight === undefined ? g[0] : g[0] * weight(i, 0);
    return new Tensor(out, x.shape);
  }
  const index = reductionIndex(x, axes);
  for (let i = 0; i < out.length; i++) out[i] = weight === undefined ? g[index[i]] : g[index[i]] * weight(i, index[i]);
  return new Tensor(out, x.shape);
}

function countOf(shape: Shape, axes: readonly number[]): number {
  let n = 1;
  for (const axis of axes) n *= shape[axis];
  return n;
}

const copy = (g: number): number => g;
const divide = (total: number, count: number): number => total / count;
const scale = (g: number, factor: number): number => g * factor;

/**
 * sum and mean: the total is a sum back to the kept shape (to one value: a double-precision
 * total; else accumulation into the output in element order); mean then divides by the count.
 * Backward spreads dy over the reduced axes (mean: times 1 / count, once).
 */
function totalOp(name: 'sum' | 'mean') {
  return defineOp<'x', ReduceAttrs>({
    name,
    inputs: ['x'],
    kernel: {
      shape: ({ x }, attrs) => outputShape(x.shape, attrs),
      forward: (k, { x }, out, attrs) => {
        k.sumTo(k.view(out, keptShape(x.shape, attrs.axes)), x);
        if (name === 'mean') k.map(out, divide, [out], countOf(x.shape, attrs.axes));
      },
      backward: (k, dy, { inputs: { x }, grads: { x: dx }, attrs }) => {
        if (dx === undefined) return;
        const spreadFrom = k.view(dy, keptShape(x.shape, attrs.axes));
        if (name === 'mean') k.map(dx, scale, [spreadFrom], 1 / countOf(x.shape, attrs.axes));
        else k.map(dx, copy, [spreadFrom]);
      },
    },
  });
}
const sumOp = totalOp('sum');
const meanOp = totalOp('mean');

/** max and min send the gradient to the extreme elements, split equally among ties. */
function extremeOp(name: 'max' | 'min', better: (v: number, best: number) => boolean) {
  return defineOp<'x', ReduceAttrs>({
    name,
    inputs: ['x'],
    forward: ({ x }, attrs) => {
      if (x.size === 0) throw new Error(`${name}: cannot reduce an empty tensor`);
      return reduceKernel(x, attrs, name === 'max' ? -Infinity : Infinity, (best, v) => (better(v, best) || Number.isNaN(v) ? v : best));
    },
    backward: (dy, { inputs: { x }, out, attrs }) => {
      const index = reductionIndex(x, attrs.axes);
      const ties = new Float64Array(out.size);
      for (let i = 0; i < x.size; i++) if (x.data[i] === out.data[index[i]]) ties[index[i]]++;
      // NOTE: a result that is NaN (its row holds a NaN) gives NaN to every element of that row,
      // as PyTorch: a 0 there would hide the NaN from the gradient.
      return { x: spread(dy, x, attrs.axes, (i, j) => (x.data[i] === out.data[j] ? 1 / ties[j] : out.data[j] === out.data[j] ? 0 : NaN)) };
    },
  });
}
const maxOp = extremeOp('max', (v, best) => v > best);
const minOp = extremeOp('min', (v, best) => v < best);

const logsumexpOp = defineOp<'x', ReduceAttrs>({
  name: 'logsumexp',
  inputs: ['x'],
  forward: ({ x }, attrs) => {
    // ln Σ e^x = m + ln Σ e^(x − m), with m the maximum, so nothing overflows.
    const m = reduceKernel(x, { ...attrs, keepDims: true }, -Infinity, (best, v) => (v > best ? v : best));
    const index = reductionIndex(x, attrs.axes);
    const shift = (j: number): number => (Number.isFinite(m.data[j]) ? m.data[j] : 0);
    const totals = new Float64Array(m.size);
    for (let i = 0; i < x.size; i++) totals[index[i]] += math.exp(x.data[i] - shift(index[i]));
    const out = allocate(x.dtype, m.size);
    for (let j = 0; j < out.length; j++) out[j] = shift(j) + math.log(totals[j]);
    return new Tensor(out, outputShape(x.shape, attrs));
  },
  // d/dx ln Σ e^x = softmax(x) = e^(x − y)
  backward: (dy, { inputs: { x }, out, attrs }) => ({
    x: spread(dy, x, attrs.axes, (i, j) => math.exp(x.data[i] - out.data[j])),
  }),
});

type Axes = number | readonly number[] | undefined;

function reduction(name: string, op: (inputs: { x: Tensor }, attrs: ReduceAttrs) => Tensor) {
  return (x: Tensor, axes?: Axes, keepDims = false): Tensor => {
    if (!(x instanceof Tensor)) expectTensor(name, 'x', x);
    if (typeof keepDims !== 'boolean') throw new Error(`${name}: keepDims must be true or false, got ${describeValue(keepDims)}`);
    return op({ x }, axes === undefined && !keepDims ? fullReduction(x.rank) : { axes: normalizeAxes(name, axes, x.shape), keepDims });
  };
}

/**
 * The attributes of a full reduction (a mean loss, say), one frozen object per rank: an eager
 * op finds its plan for them by identity (src/autograd/eager-plan.ts) instead of comparing them.
 */
const FULL_REDUCTIONS: ReduceAttrs[] = [];
function fullReduction(rank: number): ReduceAttrs {
  return (FULL_REDUCTIONS[rank] ??= Object.freeze({ axes: Object.freeze(normalizeAxes('sum', undefined, rank)) as number[], keepDims: false }));
}

/** Σ over `axes` (default all); `keepDims` keeps reduced axes as size 1. */
export const sum = reduction('sum', sumOp);
/** The mean over `axes` (default all). */
export const mean = reduction('mean', meanOp);
/** The maximum over `axes` (default all); ties share the gradient equally. */
export const max = reduction('max', maxOp);
/** The minimum over `axes` (default all); ties share the gradient equally. */
export const min = reduction('min', minOp);
/** ln Σ e^x over `axes` (default all), stable for large x. */
export const logsumexp = reduction('logsumexp', logsumexpOp);

/**
 * The index of the largest value along `axis` (default the last), for each position of the other
 * axes, flattened row-major. The first index wins ties. NOTE: NaN counts as the largest value,
 * as NumPy's argmax: a row holding NaN gives its first NaN's index, wherever it stands.
 */
export function argmax(x: Tensor, axis = -1): number[] {
  expectTensor('argmax', 'x', x);
  const a = normalizeAxis('argmax', axis, x.shape);
  const [outer, length, inner] = aroundAxis(x.shape, a);
  if (length === 0) throw new Error(`argmax: axis ${axis} has size 0 in shape [${x.shape.join(', ')}]`);
  const result: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let best = 0;
      let top = x.data[base];
      for (let k = 1; k < length && top === top; k++) {
        const v = x.data[base + k * inner];
        if (v > top || v !== v) {
          best = k;
          top = v;
        }
      }
      result.push(best);
    }
  }
  return result;
}
