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

export class Tensor {
  readonly data: FloatArray;
  readonly shape: Shape;
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

  get size(): number {
    return this.data.length;
  }

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

  equalShape(other: Tensor): boolean {
    return sameShape(this.shape, other.shape);
  }

  // Arithmetic
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  log1p(): Tensor { return ops.log1p(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  square(): Tensor { return ops.square(this); }
  abs(): Tensor { return ops.abs(this); }
  clamp(min: number, max: number): Tensor { return ops.clamp(this, min, max); }
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }

  // Comparisons (values 0 and 1, never differentiated)
  equal(b: TensorLike): Tensor { return ops.equal(this, b); }
  notEqual(b: TensorLike): Tensor { return ops.notEqual(this, b); }
  less(b: TensorLike): Tensor { return ops.less(this, b); }
  lessEqual(b: TensorLike): Tensor { return ops.lessEqual(this, b); }
  greater(b: TensorLike): Tensor { return ops.greater(this, b); }
  greaterEqual(b: TensorLike): Tensor { return ops.greaterEqual(this, b); }

  // Activations
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  relu(): Tensor { return ops.relu(this); }
  leakyRelu(slope?: number): Tensor { return ops.leakyRelu(this, slope); }
  softplus(): Tensor { return ops.softplus(this); }
  elu(alpha?: number): Tensor { return ops.elu(this, alpha); }
  silu(): Tensor { return ops.silu(this); }
  softmax(axis?: number): Tensor { return ops.softmax(this, axis); }
  logSoftmax(axis?: number): Tensor { return ops.logSoftmax(this, axis); }

  // Linear algebra and shapes
  matmul(b: Tensor): Tensor { return ops.matmul(this, b); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  /** The transpose of a matrix (the last two axes swapped). */
  get T(): Tensor { return ops.swapLastAxes(this); }
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  flatten(): Tensor { return ops.reshape(this, [-1]); }
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  slice(begin: readonly number[], end?: readonly (number | undefined)[]): Tensor { return ops.slice(this, begin, end); }
  gather(indices: ops.Indices, axis?: number): Tensor { return ops.gather(this, indices, axis); }

  // Reductions
  sum(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.sum(this, axes, keepDims); }
  mean(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.mean(this, axes, keepDims); }
  max(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.max(this, axes, keepDims); }
  min(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.min(this, axes, keepDims); }
  logsumexp(axes?: number | readonly number[], keepDims?: boolean): Tensor { return ops.logsumexp(this, axes, keepDims); }
  argmax(axis?: number): number[] { return ops.argmax(this, axis); }
}
