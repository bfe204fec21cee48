/**
 * The Tensor: a contiguous typed array, a shape and, when it was computed from tensors that
 * require gradients, the node of the op that made it (for the backward pass).
 *
 * Methods are thin aliases of the functions in `ops/`, so `a.add(b).sum()` and
 * `sum(add(a, b))` are the same computation.
 */
import { allocate, dtypeOf } from './dtype.js';
import type { DType, FloatArray } from './dtype.js';
import { formatShape, sizeOf, sameShape } from './shape.js';
import type { Shape } from './shape.js';
import { formatTensor } from './format.js';
import type { GradNode } from '../autograd/node.js';
import { runBackward } from '../autograd/backward.js';
import * as ops from '../ops/index.js';

/** Nested arrays of numbers of any depth, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];
/** Anything an op accepts where a tensor is expected: numbers become scalars of the other operand's dtype. */
export type TensorLike = Tensor | number;

/**
 * An n-dimensional array of float32 or float64 values that records the ops computing it, so
 * `backward()` can send gradients to the leaves that require them. Make one with {@link tensor},
 * {@link zeros}, {@link randomNormal}…; its methods alias the op functions (`a.add(b)` is `add(a, b)`).
 */
export class Tensor {
  /** The values, row-major; a Float32Array or Float64Array by dtype. */
  readonly data: FloatArray;
  /** The size of each axis (`[]` for a scalar). */
  readonly shape: Shape;
  /** `float32` or `float64`, from the storage's type. */
  readonly dtype: DType;
  /** Whether the backward pass computes a gradient for this tensor. Parameters set it. */
  requiresGrad = false;
  /** The accumulated gradient of a leaf tensor after `backward()`; `null` before. */
  grad: Tensor | null = null;
  /** The op that computed this tensor, kept only while gradients are being recorded. */
  node: GradNode | null = null;
  /**
   * Bookkeeping of the backward pass (which pass last visited this tensor, and the gradient
   * collected for it so far). Fields rather than a Map: the pass runs once per training step.
   * @internal
   */
  backwardPass = 0;
  /** @internal */
  pendingGrad: Tensor | null = null;
  /** Whether pendingGrad's storage may belong to another tensor (then a leaf copies it). @internal */
  pendingShared = false;

  constructor(data: FloatArray, shape: Shape) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.data = data;
    this.shape = shape;
    this.dtype = dtypeOf(data);
  }

  /** The number of values: the product of the shape. */
  get size(): number {
    return this.data.length;
  }

  /** The number of axes (0 for a scalar). */
  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item: tensor must have exactly one element, got shape ${formatShape(this.shape)}`);
    }
    return this.data[0];
  }

  /** Nested arrays of plain numbers (a number for a scalar). */
  toArray(): NestedArray {
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return this.data[offset];
      const inner = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  /** `Tensor(shape=[2, 2], dtype=float32)` and the values in NumPy-like nested brackets (long axes elided). */
  toString(): string {
    return formatTensor(this.data, this.shape, this.dtype);
  }

  /** Marks this tensor as a leaf whose gradient `backward()` accumulates into `.grad`. */
  requireGrad(value = true): this {
    if (value && this.node !== null) {
      throw new Error('requireGrad: only leaf tensors can require gradients; call detach() first');
    }
    this.requiresGrad = value;
    return this;
  }

  /** The same values, cut from the graph: no gradient flows through the result. Shares storage. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** A copy with its own storage, cut from the graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /**
   * Backpropagates from this tensor. A scalar needs no seed gradient; any other shape needs
   * `grad` of the same shape. Leaf tensors that require gradients accumulate into `.grad`.
   */
  backward(grad?: Tensor): void {
    runBackward(this, grad);
  }

  /** Zeros of the same shape and dtype. */
  zerosLike(): Tensor {
    return new Tensor(allocate(this.dtype, this.size), this.shape);
  }

  /** Whether `other` has exactly this shape (no broadcasting). */
  equalShape(other: Tensor): boolean {
    return sameShape(this.shape, other.shape);
  }

  // Arithmetic
  /** this + b, broadcasting: {@link ops.add | add}. */
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  /** this − b, broadcasting: {@link ops.sub | sub}. */
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  /** this · b elementwise, broadcasting: {@link ops.mul | mul}. */
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  /** this / b elementwise, broadcasting: {@link ops.div | div}. */
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  /** this ^ b elementwise, broadcasting: {@link ops.pow | pow}. */
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  /** The larger of this and b elementwise: {@link ops.maximum | maximum}. */
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  /** The smaller of this and b elementwise: {@link ops.minimum | minimum}. */
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  /** −this: {@link ops.neg | neg}. */
  neg(): Tensor { return ops.neg(this); }
  /** e^this: {@link ops.exp | exp}. */
  exp(): Tensor { return ops.exp(this); }
  /** The natural logarithm: {@link ops.log | log}. */
  log(): Tensor { return ops.log(this); }
  /** ln(1 + this): {@link ops.log1p | log1p}. */
  log1p(): Tensor { return ops.log1p(this); }
  /** The square root: {@link ops.sqrt | sqrt}. */
  sqrt(): Tensor { return ops.sqrt(this); }
  /** this²: {@link ops.square | square}. */
  square(): Tensor { return ops.square(this); }
  /** |this|: {@link ops.abs | abs}. */
  abs(): Tensor { return ops.abs(this); }
  /** Values limited to [min, max]: {@link ops.clamp | clamp}. */
  clamp(min: number, max: number): Tensor { return ops.clamp(this, min, max); }
  /** The same values in another dtype: {@link ops.cast | cast}. */
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }

  // Comparisons (values 0 and 1, never differentiated)
  /** 1 where this = b, else 0: {@link ops.equal | equal}. */
  equal(b: TensorLike): Tensor { return ops.equal(this, b); }
  /** 1 where this ≠ b, else 0: {@link ops.notEqual | notEqual}. */
  notEqual(b: TensorLike): Tensor { return ops.notEqual(this, b); }
  /** 1 where this < b, else 0: {@link ops.less | less}. */
  less(b: TensorLike): Tensor { return ops.less(this, b); }
  /** 1 where this ≤ b, else 0: {@link ops.lessEqual | lessEqual}. */
  lessEqual(b: TensorLike): Tensor { return ops.lessEqual(this, b); }
  /** 1 where this > b, else 0: {@link ops.greater | greater}. */
  greater(b: TensorLike): Tensor { return ops.greater(this, b); }
  /** 1 where this ≥ b, else 0: {@link ops.greaterEqual | greaterEqual}. */
  greaterEqual(b: TensorLike): Tensor { return ops.greaterEqual(this, b); }

  // Activations
  /** σ(this): {@link ops.sigmoid | sigmoid}. */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /** tanh(this): {@link ops.tanh | tanh}. */
  tanh(): Tensor { return ops.tanh(this); }
  /** max(0, this): {@link ops.relu | relu}. */
  relu(): Tensor { return ops.relu(this); }
  /** max(slope·this, this), slope 0.01 by default: {@link ops.leakyRelu | leakyRelu}. */
  leakyRelu(slope?: number): Tensor { return ops.leakyRelu(this, slope); }
  /** ln(1 + e^this): {@link ops.softplus | softplus}. */
  softplus(): Tensor { return ops.softplus(this); }
  /** ELU with alpha 1 by default: {@link ops.elu | elu}. */
  elu(alpha?: number): Tensor { return ops.elu(this, alpha); }
  /** this·σ(this): {@link ops.silu | silu}. */
  silu(): Tensor { return ops.silu(this); }
  /** Softmax along `axis` (default the last): {@link ops.softmax | softmax}. */
  softmax(axis?: number): Tensor { return ops.softmax(this, axis); }
  /** ln softmax along `axis` (default the last): {@link ops.logSoftmax | logSoftmax}. */
  logSoftmax(axis?: number): Tensor { return ops.logSoftmax(this, axis); }

  // Linear algebra and shapes
  /** The matrix product this · b, batch axes broadcasting: {@link ops.matmul | matmul}. */
  matmul(b: Tensor): Tensor { return ops.matmul(this, b); }
  /** The axes permuted (default reversed): {@link ops.transpose | transpose}. */
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  /** The transpose of a matrix (the last two axes swapped). */
  get T(): Tensor { return ops.swapLastAxes(this); }
  /** The same values in a new shape (one size may be -1): {@link ops.reshape | reshape}. */
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  /** The values as one axis: `reshape([-1])`. */
  flatten(): Tensor { return ops.reshape(this, [-1]); }
  /** Repeated along size-1 or missing leading axes to `shape`: {@link ops.broadcastTo | broadcastTo}. */
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  /** The box from `begin` to `end` (exclusive) on each axis: {@link ops.slice | slice}. */
  slice(begin: readonly number[], end?: readonly (number | undefined)[]): Tensor { return ops.slice(this, begin, end); }
  /** The entries at `indices` along `axis` (default 0): {@link ops.gather | gather}. */
  gather(indices: ops.Indices, axis?: number): Tensor { return ops.gather(this, indices, axis); }

  // Reductions
  /** Σ over `axes` (default all): {@link ops.sum | sum}. */
  sum(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.sum(this, axes, keepDims); }
  /** The mean over `axes` (default all): {@link ops.mean | mean}. */
  mean(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.mean(this, axes, keepDims); }
  /** The maximum over `axes` (default all): {@link ops.max | max}. */
  max(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.max(this, axes, keepDims); }
  /** The minimum over `axes` (default all): {@link ops.min | min}. */
  min(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.min(this, axes, keepDims); }
  /** ln Σ e^this over `axes` (default all): {@link ops.logsumexp | logsumexp}. */
  logsumexp(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.logsumexp(this, axes, keepDims); }
  /** The index of the largest value along `axis` (default the last): {@link ops.argmax | argmax}. */
  argmax(axis?: number): number[] { return ops.argmax(this, axis); }
}
