/**
 * An op's arithmetic at buffer level, written once against a small vocabulary (`Exec`):
 * elementwise maps of scalar functions, sums back over broadcast axes, matrix products, the
 * dense layer's epilogue gradient, and calls of buffer functions for anything irregular.
 *
 * Three executors read the same kernel, so the modes agree by construction:
 *  - eager (here): runs each step at once on the tensors' arrays;
 *  - the capture's replay (src/capture/replay.ts): runs the kernel once to record its steps as
 *    closures over buffers allocated once, with index maps built once;
 *  - the capture's compiler (src/capture/compile.ts): runs it once to write one JavaScript
 *    function, shapes as constants, scalar functions written in place.
 * A kernel therefore decides everything from shapes and attributes, never from values: values
 * are only touched inside `map`, `sumTo`, `gemm`, `epilogueGrad` and `call`.
 */
import type { DType, FloatArray } from '../tensor/dtype.js';
import { allocate } from '../tensor/dtype.js';
import { broadcastIndex, isTrailingBroadcast, sameShape, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { epilogueGrad, gemm } from '../kernels/index.js';
import { Read, loopFor, sameShapeLoop } from './scalar.js';
import type { ScalarFunction } from './scalar.js';

/** A buffer as a kernel sees it: a shape, and (in the capture) the name of the step's input it is. */
export interface Buf {
  /** The buffer's shape. */
  readonly shape: Shape;
  /** The captured step's input this buffer is, if it is one (for errors about its values). */
  readonly input?: string;
}

/** Options of {@link Exec.gemm}. */
export interface GemmBufOptions {
  /** `a` is stored as [k, m] and used transposed. */
  transA?: boolean;
  /** `b` is stored as [n, k] and used transposed. */
  transB?: boolean;
  /** Added to every row after the product (gemm's epilogue). */
  bias?: Buf;
  /** ReLU after the bias, in gemm's epilogue (x <= 0 ? 0 : x). */
  relu?: boolean;
  /** float32's tanh or sigmoid kernel after the bias, in gemm's epilogue (float32 outputs only). */
  activation?: 'tanh' | 'sigmoid';
}

/** A buffer function's argument: a buffer (passed as its array) or a constant. */
export type CallArgument = Buf | number | string | boolean | object | null;

/** The vocabulary a kernel is written in; eager runs and captured steps each implement it. */
export interface Exec {
  /** Who runs the kernel, for errors: the op's name, or 'captureStep'. */
  readonly caller: string;
  /**
   * The dtype of the op's buffers when the executor knows it (eager runs, captured steps, an
   * eager forward plan); undefined for a backward plan, which serves dy of either dtype. A
   * forward may pick a float32-only kernel by it (linear's fused tanh and sigmoid).
   */
  readonly dtype: DType | undefined;
  /** out[i] = f(ins[0] at i, ins[1] at i, …, attrs), each input broadcast to out's shape. */
  map(out: Buf, f: ScalarFunction, ins: readonly Buf[], attrs?: unknown): void;
  /** target = source summed over the axes target is broadcast along (a copy when the shapes agree). */
  sumTo(target: Buf, source: Buf): void;
  /** out [m, n] = op(a) · op(b), with gemm's epilogue (src/kernels/gemm.ts). */
  gemm(out: Buf, a: Buf, b: Buf, m: number, k: number, n: number, options?: GemmBufOptions): void;
  /** dz = relu ? (y <= 0 ? 0 : dy) : dy and sums = its column sums (src/kernels/elementwise.ts). */
  epilogueGrad(dy: Buf, y: Buf | null, rows: number, cols: number, dz: Buf | null, sums: Buf | null): void;
  /** fn(args), buffers passed as their arrays: for arithmetic no map expresses (softmax rows, picks). */
  call(fn: (...args: never[]) => void, args: readonly CallArgument[]): void;
  /** A fresh buffer of the op's dtype (allocated once in a captured step). */
  scratch(shape: Shape): Buf;
  /** The same storage under another shape of the same size. */
  view(buf: Buf, shape: Shape): Buf;
}

/** What a kernel's backward receives. */
export interface KernelBackward<Name extends string, Attrs, Saved> {
  /** The op's inputs, by name. */
  readonly inputs: Readonly<Record<Name, Buf>>;
  /** The op's output. */
  readonly out: Buf;
  /** The buffers to write each wanted input gradient into, in full (absent: not wanted). */
  readonly grads: Readonly<Partial<Record<Name, Buf>>>;
  /** The attributes the op was called with. */
  readonly attrs: Attrs;
  /** What the kernel's `saved` returned for this call. */
  readonly saved: Saved;
}

/**
 * An op's buffer-level definition. `shape` gives the output's shape; `saved` the per-call state
 * shared by forward and backward (constant-size arrays, or buffers from `k.scratch`).
 */
export interface OpKernel<Name extends string, Attrs, Saved> {
  /** The output's shape (and where the op checks its inputs' shapes). */
  shape(inputs: Readonly<Record<Name, Buf>>, attrs: Attrs): Shape;
  /** The per-call state shared by forward and backward. */
  saved?(inputs: Readonly<Record<Name, Buf>>, attrs: Attrs): Saved;
  /** Writes the output into `out` through `k`. */
  forward(k: Exec, inputs: Readonly<Record<Name, Buf>>, out: Buf, attrs: Attrs, saved: Saved): void;
  /** Writes each wanted input's gradient, given `dy`, into `ctx.grads`. */
  backward(k: Exec, dy: Buf, ctx: KernelBackward<Name, Attrs, Saved>): void;
}

/** A buffer of the eager executor: the array itself with its shape (a Tensor is one). */
export interface EagerBuf extends Buf {
  readonly data: FloatArray;
}

const NO_INDEX: (Int32Array | null)[] = [];

/** The eager executor: each step runs at once. One per dtype; buffers are EagerBufs. */
export class EagerExec implements Exec {
  constructor(readonly caller: string, readonly dtype: DType) {}

  /** The input arrays of the map running now, by count (reused: a loop keeps no reference to them). */
  private readonly arrays: FloatArray[][] = [[], [], [], [], []];
  private readonly reads: Read[][] = [[], [], [], [], []];
  private readonly index: (Int32Array | null)[][] = [[], [], [], [], []];

  map(out: Buf, f: ScalarFunction, ins: readonly Buf[], attrs?: unknown): void {
    const o = out as EagerBuf;
    const arrays = this.arrays[ins.length] ?? new Array<FloatArray>(ins.length);
    const shape = out.shape;
    let same = true;
    for (let k = 0; k < ins.length; k++) {
      const input = ins[k] as EagerBuf;
      arrays[k] = input.data;
      if (input.shape !== shape && (arrays[k].length !== o.data.length || !sameShape(input.shape, shape))) same = false;
    }
    if (same) {
      sameShapeLoop(f, ins.length)(o.data, o.data.length, arrays, NO_INDEX, attrs);
      return;
    }
    const reads = this.reads[ins.length] ?? new Array<Read>(ins.length);
    const index = this.index[ins.length] ?? new Array<Int32Array | null>(ins.length);
    for (let k = 0; k < ins.length; k++) {
      const input = ins[k];
      // The readOf rule, without its pair: same shape, one value, or an index map.
      const one = arrays[k].length === 1;
      const same = !one && (input.shape === shape || sameShape(input.shape, shape));
      reads[k] = same ? Read.Same : one ? Read.One : Read.Index;
      index[k] = same || one ? null : broadcastIndex(input.shape, shape);
    }
    loopFor(f, reads)(o.data, o.data.length, arrays, index, attrs);
  }

  sumTo(target: Buf, source: Buf): void {
    sumInto((target as EagerBuf).data, target.shape, (source as EagerBuf).data, source.shape);
  }

  gemm(out: Buf, a: Buf, b: Buf, m: number, k: number, n: number, options?: GemmBufOptions): void {
    gemm((out as EagerBuf).data, (a as EagerBuf).data, (b as EagerBuf).data, m, k, n, options === undefined ? undefined : gemmOptions(options, (x) => (x as EagerBuf).data));
  }

  epilogueGrad(dy: Buf, y: Buf | null, rows: number, cols: number, dz: Buf | null, sums: Buf | null): void {
    epilogueGrad((dy as EagerBuf).data, arrayOf(y), rows, cols, arrayOf(dz), arrayOf(sums));
  }

  call(fn: (...args: never[]) => void, args: readonly CallArgument[]): void {
    (fn as (...a: unknown[]) => void)(...args.map((a) => (isBuf(a) ? (a as EagerBuf).data : a)));
  }

  scratch(shape: Shape): Buf {
    const buf: EagerBuf = { data: allocate(this.dtype, sizeOf(shape)), shape };
    return buf;
  }

  view(buf: Buf, shape: Shape): Buf {
    const view: EagerBuf = { data: (buf as EagerBuf).data, shape };
    return view;
  }
}

function arrayOf(buf: Buf | null): FloatArray | null {
  return buf === null ? null : (buf as EagerBuf).data;
}

/** Whether a call argument is a buffer (its array is passed) rather than a constant. */
export function isBuf(value: unknown): value is Buf {
  return typeof value === 'object' && value !== null && Array.isArray((value as Buf).shape);
}

/** gemm's options with the bias buffer resolved by `resolve`. */
export function gemmOptions<T>(options: GemmBufOptions, resolve: (buf: Buf) => T): { transA?: boolean; transB?: boolean; bias?: T; relu?: boolean; activation?: 'tanh' | 'sigmoid' } {
  const { transA, transB, bias, relu, activation } = options;
  return bias === undefined ? { transA, transB, relu, activation } : { transA, transB, bias: resolve(bias), relu, activation };
}

/** How an input of `shape` (size `size`) is read at each element of `full`, and its index map if it needs one. */
export function readOf(shape: Shape, size: number, full: Shape): [Read, Int32Array | null] {
  if (sameShape(shape, full)) return [Read.Same, null];
  if (size === 1) return [Read.One, null];
  return [Read.Index, broadcastIndex(shape, full)];
}

/**
 * target (of `shape`) = source (of `full`) summed over the broadcast axes: a copy when they agree,
 * a double-precision total to one value, else accumulation into target in element order.
 */
export function sumInto(target: FloatArray, shape: Shape, source: FloatArray, full: Shape): void {
  if (sameShape(shape, full)) {
    if (target !== source) target.set(source);
    return;
  }
  if (target.length === 1) {
    let total = 0;
    for (let i = 0; i < source.length; i++) total += source[i];
    target[0] = total;
    return;
  }
  target.fill(0);
  if (isTrailingBroadcast(shape, full)) {
    const size = target.length;
    for (let i = 0, j = 0; i < source.length; i++, j = j + 1 === size ? 0 : j + 1) target[j] += source[i];
    return;
  }
  const index = broadcastIndex(shape, full);
  for (let i = 0; i < source.length; i++) target[index[i]] += source[i];
}
