/**
 * Replay kernels: for each op a captured step supports, its forward and backward written into
 * buffers allocated once, for the shapes seen when the step was captured.
 *
 * Each kernel repeats the arithmetic of the eager op in `src/ops/` expression for expression
 * (the same gemm calls, the same summation order, a store into a typed array wherever the
 * eager op stores one), so a replay gives bit-identical numbers. test/capture.test.ts checks
 * every kernel here against its eager op.
 */
import type { FloatArray } from '../tensor/dtype.js';
import { refusedOp } from './refused.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, sameShape, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { epilogueGrad, gemm } from '../kernels/index.js';
import { aroundAxis, logSoftmaxGradInto, sigmoidValue, softmaxInto } from '../ops/activations.js';
import { classIndexError } from '../ops/pick.js';
import { activateInPlace } from '../ops/linear.js';
import { broadcastIndex } from '../ops/elementwise.js';
import { broadcastShapes } from '../tensor/shape.js';

/** A tensor's storage and shape as the replay sees it. */
export interface Slot {
  readonly data: FloatArray;
  readonly shape: Shape;
  /** The name of the captured step's input this slot is, if it is one (for errors about its values). */
  readonly input?: string;
}

/** What a kernel is built from: the op's input and output slots, and where each input's gradient goes. */
export interface KernelContext {
  readonly op: string;
  readonly attrs: unknown;
  readonly inputs: readonly Slot[];
  readonly out: Slot;
  /** The gradient of the output (read by backward). */
  readonly dy: FloatArray;
  /** Per input, the buffer its gradient is written into (overwritten in full), or null when none is wanted. */
  readonly grads: readonly (FloatArray | null)[];
}

export interface Kernel {
  forward(): void;
  /** Absent when no input of the op receives a gradient. */
  backward?(): void;
}

export type KernelBuilder = (ctx: KernelContext) => Kernel;

const TRANS_A = { transA: true };
const TRANS_B = { transB: true };

// ---------------------------------------------------------------------------------------------
// Broadcasting helpers (the eager mapBinary and sumToShape, as index maps built once)

/** For each element of the output, the flat index of the input element it reads; null when they are the same. */
function readIndex(shape: Shape, full: Shape): Int32Array | null {
  return sameShape(shape, full) ? null : broadcastIndex(shape, full);
}

/**
 * A sumToShape that writes into `target` (of `shape`) from `g` (of `full`): a copy when the
 * shapes agree, a double-precision total for one element, and typed-array accumulation in
 * element order otherwise, as the eager helper does.
 */
function reducer(shape: Shape, full: Shape): (target: FloatArray, g: FloatArray) => void {
  if (sameShape(shape, full)) return (target, g) => target.set(g);
  if (sizeOf(shape) === 1) {
    return (target, g) => {
      let total = 0;
      for (let i = 0; i < g.length; i++) total += g[i];
      target[0] = total;
    };
  }
  const index = broadcastIndex(shape, full);
  return (target, g) => {
    target.fill(0);
    for (let i = 0; i < g.length; i++) target[index[i]] += g[i];
  };
}

/** f(a, b) elementwise with broadcasting, into out: the eager mapBinary with its index maps made once. */
function binaryForward(
  a: Slot, b: Slot, out: Slot, f: (x: number, y: number) => number,
): () => void {
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  const ai = readIndex(a.shape, out.shape);
  const bi = readIndex(b.shape, out.shape);
  if (ai === null && bi === null) return () => { for (let i = 0; i < od.length; i++) od[i] = f(ad[i], bd[i]); };
  if (ai === null && bi !== null) return () => { for (let i = 0; i < od.length; i++) od[i] = f(ad[i], bd[bi[i]]); };
  if (ai !== null && bi === null) return () => { for (let i = 0; i < od.length; i++) od[i] = f(ad[ai[i]], bd[i]); };
  const ax = ai as Int32Array;
  const bx = bi as Int32Array;
  return () => { for (let i = 0; i < od.length; i++) od[i] = f(ad[ax[i]], bd[bx[i]]); };
}

const plus = (x: number, y: number): number => x + y;
const minus = (x: number, y: number): number => x - y;
const times = (x: number, y: number): number => x * y;
const squared = (x: number, y: number): number => (x - y) * (x - y);

function checkBinaryShapes(ctx: KernelContext): void {
  const [a, b] = ctx.inputs;
  const shape = broadcastShapes(ctx.op, a.shape, b.shape);
  if (!sameShape(shape, ctx.out.shape)) throw refusedOp(ctx.op, `gave shape ${formatShape(ctx.out.shape)}, expected ${formatShape(shape)}`);
}

// ---------------------------------------------------------------------------------------------
// The kernels

type Activation = 'linear' | 'sigmoid' | 'tanh' | 'relu';

/**
 * dz = dy ⊙ activation'(z) from the output y, into dz, and the bias gradient into db when wanted:
 * the eager throughActivation, with epilogueGrad where it calls it (ReLU, and the column sums).
 */
function throughActivation(dz: FloatArray, g: FloatArray, y: FloatArray, activation: Activation, rows: number, cols: number, db: FloatArray | null): void {
  if (activation === 'linear') {
    epilogueGrad(g, null, rows, cols, null, db);
    return;
  }
  if (activation === 'relu') {
    epilogueGrad(g, y, rows, cols, dz, db);
    return;
  }
  if (activation === 'sigmoid') for (let i = 0; i < g.length; i++) dz[i] = g[i] * y[i] * (1 - y[i]);
  else for (let i = 0; i < g.length; i++) dz[i] = g[i] * (1 - y[i] * y[i]);
  epilogueGrad(dz, null, rows, cols, null, db);
}

const linear: KernelBuilder = ({ inputs: [x, weight, bias], out, attrs, dy, grads: [dx, dw, db] }) => {
  const activation = attrs as Activation;
  const [n, k] = x.shape;
  const m = weight.shape[1];
  const xd = x.data;
  const wd = weight.data;
  const y = out.data;
  // The bias (and ReLU) in gemm's epilogue, as the eager op asks for them.
  const epilogue = activation === 'relu' ? { bias: bias.data, relu: true } : { bias: bias.data };
  // With the identity activation dz is dy itself, as in the eager op.
  const dz = activation === 'linear' ? dy : allocate(out.data instanceof Float64Array ? 'float64' : 'float32', y.length);
  return {
    forward() {
      gemm(y, xd, wd, n, k, m, epilogue);
      if (activation !== 'relu') activateInPlace(y, activation);
    },
    backward() {
      throughActivation(dz, dy, y, activation, n, m, db);
      if (dx !== null) gemm(dx, dz, wd, n, m, k, TRANS_B);
      if (dw !== null) gemm(dw, xd, dz, k, n, m, TRANS_A);
    },
  };
};

const matmul: KernelBuilder = ({ op, inputs: [a, b], out, dy, grads: [da, db] }) => {
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw refusedOp(op, `is captured for matrices only, got ${formatShape(a.shape)} × ${formatShape(b.shape)}`);
  }
  const [m, k] = a.shape;
  const n = b.shape[1];
  const ad = a.data;
  const bd = b.data;
  const od = out.data;
  return {
    forward: () => gemm(od, ad, bd, m, k, n),
    backward() {
      if (da !== null) gemm(da, dy, bd, m, n, k, TRANS_B);
      if (db !== null) gemm(db, ad, dy, k, m, n, TRANS_A);
    },
  };
};

function elementwise(
  f: (x: number) => number, derivative: (g: number, x: number, y: number) => number,
): KernelBuilder {
  return ({ inputs: [x], out, dy, grads: [dx] }) => {
    const xd = x.data;
    const y = out.data;
    return {
      forward() { for (let i = 0; i < xd.length; i++) y[i] = f(xd[i]); },
      backward() { if (dx !== null) for (let i = 0; i < dy.length; i++) dx[i] = derivative(dy[i], xd[i], y[i]); },
    };
  };
}

// The eager ops' loops, as functions (the products are formed in the same order).
const sigmoid = elementwise(sigmoidValue, (g, _x, y) => g * y * (1 - y));
const tanh = elementwise(Math.tanh, (g, _x, y) => g * (1 - y * y));
// NOTE: ReLU's derivative at exactly 0 is 0, as in the eager op.
const relu = elementwise((x) => (x > 0 ? x : 0), (g, x) => (x > 0 ? g : 0));
// The eager neg is defineUnary's: −x forward, dy · (−1) back.
const neg = elementwise((x) => -x, (g) => g * -1);
// reshape shares storage in eager mode; the replay gives each tensor its own buffer, so it copies.
const reshape = elementwise((x) => x, (g) => g);

function scratchLike(slot: Slot): FloatArray {
  return allocate(slot.data instanceof Float64Array ? 'float64' : 'float32', slot.data.length);
}

const add: KernelBuilder = (ctx) => {
  checkBinaryShapes(ctx);
  const { inputs: [a, b], out, dy, grads: [da, db] } = ctx;
  const reduceA = reducer(a.shape, out.shape);
  const reduceB = reducer(b.shape, out.shape);
  return {
    forward: binaryForward(a, b, out, plus),
    backward() {
      if (da !== null) reduceA(da, dy);
      if (db !== null) reduceB(db, dy);
    },
  };
};

const sub: KernelBuilder = (ctx) => {
  checkBinaryShapes(ctx);
  const { inputs: [a, b], out, dy, grads: [da, db] } = ctx;
  const reduceA = reducer(a.shape, out.shape);
  const reduceB = reducer(b.shape, out.shape);
  const negated = scratchLike(out);
  return {
    forward: binaryForward(a, b, out, minus),
    backward() {
      if (da !== null) reduceA(da, dy);
      if (db !== null) {
        for (let i = 0; i < dy.length; i++) negated[i] = -dy[i];
        reduceB(db, negated);
      }
    },
  };
};

const mul: KernelBuilder = (ctx) => {
  checkBinaryShapes(ctx);
  const { inputs: [a, b], out, dy, grads: [da, db] } = ctx;
  const reduceA = reducer(a.shape, out.shape);
  const reduceB = reducer(b.shape, out.shape);
  const product = scratchLike(out);
  const ai = readIndex(a.shape, out.shape);
  const bi = readIndex(b.shape, out.shape);
  const ad = a.data;
  const bd = b.data;
  return {
    forward: binaryForward(a, b, out, times),
    backward() {
      if (da !== null) {
        for (let i = 0; i < dy.length; i++) product[i] = dy[i] * bd[bi === null ? i : bi[i]];
        reduceA(da, product);
      }
      if (db !== null) {
        for (let i = 0; i < dy.length; i++) product[i] = dy[i] * ad[ai === null ? i : ai[i]];
        reduceB(db, product);
      }
    },
  };
};

const squaredDifference: KernelBuilder = (ctx) => {
  checkBinaryShapes(ctx);
  const { inputs: [a, b], out, dy, grads: [da, db] } = ctx;
  const reduceA = reducer(a.shape, out.shape);
  const reduceB = reducer(b.shape, out.shape);
  const twice = scratchLike(out);
  const negated = scratchLike(out);
  const ai = readIndex(a.shape, out.shape);
  const bi = readIndex(b.shape, out.shape);
  const ad = a.data;
  const bd = b.data;
  return {
    forward: binaryForward(a, b, out, squared),
    backward() {
      // twice = 2(a − b), stored, then multiplied by dy in place, as the eager op does.
      for (let i = 0; i < twice.length; i++) twice[i] = 2 * (ad[ai === null ? i : ai[i]] - bd[bi === null ? i : bi[i]]);
      for (let i = 0; i < twice.length; i++) twice[i] *= dy[i];
      if (da !== null) reduceA(da, twice);
      if (db !== null) {
        for (let i = 0; i < twice.length; i++) negated[i] = -twice[i];
        reduceB(db, negated);
      }
    },
  };
};

/** Binary cross entropy from logits z against constant targets t (its eager op's forms, see ops/losses.ts). */
const binaryCrossEntropyWithLogits: KernelBuilder = (ctx) => {
  checkBinaryShapes(ctx);
  const { op, inputs: [z, t], out, dy, grads: [dz] } = ctx;
  if (!sameShape(z.shape, out.shape)) throw refusedOp(op, `is captured for logits of the output's shape, got ${formatShape(z.shape)}`);
  const td = t.data;
  const ti = readIndex(t.shape, out.shape);
  const zd = z.data;
  const rate = scratchLike(out);
  return {
    forward: binaryForward(z, t, out, (x, y) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)))),
    backward() {
      if (dz === null) return;
      // σ(z) − t, stored, then times dy, as the eager op's two maps.
      for (let i = 0; i < rate.length; i++) rate[i] = sigmoidValue(zd[i]) - td[ti === null ? i : ti[i]];
      for (let i = 0; i < rate.length; i++) dz[i] = dy[i] * rate[i];
    },
  };
};

/** The axes a reduction reduces over, kept as size 1: the shape its output broadcasts back from (the eager keptShape). */
export function keptShape(x: Shape, attrs: unknown): number[] {
  const { axes } = attrs as { axes: readonly number[] };
  return x.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * sum and mean over axes, as the eager reduceKernel and spread: to one value a double-precision
 * total; otherwise accumulation into the output in element order, each partial sum stored.
 * `mean` divides the stored totals by the count, and scales the spread gradient by 1 / count.
 */
function reduction(mean: boolean): KernelBuilder {
  return ({ inputs: [x], out, attrs, dy, grads: [dx] }) => {
    const xd = x.data;
    const od = out.data;
    const count = xd.length / od.length;
    const scale = 1 / count;
    const index = od.length === 1 ? null : broadcastIndex(keptShape(x.shape, attrs), x.shape);
    return {
      forward() {
        if (index === null) {
          let acc = 0;
          for (let i = 0; i < xd.length; i++) acc = acc + xd[i];
          od[0] = acc;
        } else {
          od.fill(0);
          for (let i = 0; i < xd.length; i++) od[index[i]] = od[index[i]] + xd[i];
        }
        if (mean) for (let i = 0; i < od.length; i++) od[i] /= count;
      },
      backward() {
        if (dx === null) return;
        if (index === null) for (let i = 0; i < dx.length; i++) dx[i] = dy[0];
        else for (let i = 0; i < dx.length; i++) dx[i] = dy[index[i]];
        if (mean) for (let i = 0; i < dx.length; i++) dx[i] *= scale;
      },
    };
  };
}

/** log softmax along an axis: the eager op's own loops (softmaxInto, logSoftmaxGradInto), into the replay's buffers. */
const logSoftmax: KernelBuilder = ({ inputs: [x], out, attrs, dy, grads: [dx] }) => {
  const around = aroundAxis(x.shape, attrs as number);
  return {
    forward: () => softmaxInto(x.data, out.data, around, true),
    backward() {
      if (dx !== null) logSoftmaxGradInto(dy, out.data, dx, around);
    },
  };
};

/** x[r, labels[r]] per row, checking the labels at every replay: they may be an input that changed. */
const pickPerRow: KernelBuilder = ({ inputs: [x, labels], out, dy, grads: [dx] }) => {
  const [n, classes] = x.shape;
  const xd = x.data;
  const ld = labels.data;
  const y = out.data;
  const where = labels.input === undefined ? '' : ` of input '${labels.input}'`;
  const positions = new Int32Array(n);
  return {
    forward() {
      for (let r = 0; r < n; r++) {
        const c = ld[r];
        if (!Number.isInteger(c) || c < 0 || c >= classes) throw classIndexError('captureStep', c, r, classes, where);
        positions[r] = r * classes + c;
        y[r] = xd[positions[r]];
      }
    },
    backward() {
      if (dx === null) return;
      dx.fill(0);
      for (let r = 0; r < n; r++) dx[positions[r]] += dy[r];
    },
  };
};

/** The ops a captured step can replay, by their registry name. */
export const KERNELS: ReadonlyMap<string, KernelBuilder> = new Map([
  ['linear', linear],
  ['matmul', matmul],
  ['sigmoid', sigmoid],
  ['tanh', tanh],
  ['relu', relu],
  ['add', add],
  ['sub', sub],
  ['mul', mul],
  ['squaredDifference', squaredDifference],
  ['binaryCrossEntropyWithLogits', binaryCrossEntropyWithLogits],
  ['sum', reduction(false)],
  ['mean', reduction(true)],
  ['neg', neg],
  ['logSoftmax', logSoftmax],
  ['pickPerRow', pickPerRow],
  ['reshape', reshape],
]);
