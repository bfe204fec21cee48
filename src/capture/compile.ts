/**
 * The compiled replay: one JavaScript function per captured step, generated from the plan with
 * every shape a constant, tiny matrix products written out in full, and every buffer a local.
 *
 * This is the fast path where `new Function` is allowed (Node, and pages whose
 * Content-Security-Policy has 'unsafe-eval'); elsewhere the closures of kernels.ts replay the
 * same plan. Both repeat the eager ops' arithmetic exactly (see kernels.ts): the products below
 * are the strided loop of src/kernels/matmul.ts unrolled, so `s = 0; s += a·b; …` becomes
 * `0 + a·b + …`, evaluated left to right in double as the loop does; anything larger calls the
 * same `gemm` as the eager op. A value stored into a typed array is rounded there, as in eager.
 */
import type { FloatArray } from '../tensor/dtype.js';
import { formatShape, sameShape, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { TINY_MAX_WORK, WASM_MIN_GRAD, epilogueGrad, gemm, wasmSgd } from '../kernels/index.js';
import { aroundAxis, sigmoidValue } from '../ops/activations.js';
import { broadcastIndex } from '../ops/elementwise.js';
import { classIndexError } from '../ops/pick.js';
import { keptShape } from './kernels.js';
import { refusedOp } from './refused.js';

/** A buffer as the generated code names it. */
export interface Ref {
  readonly name: string;
  readonly shape: Shape;
  readonly size: number;
  /** The name of the captured step's input this buffer is, if it is one (for errors about its values). */
  readonly input?: string;
}

export interface EmitContext {
  readonly op: string;
  readonly attrs: unknown;
  readonly inputs: readonly Ref[];
  readonly out: Ref;
  readonly dy: Ref;
  /** Per input, the buffer its gradient is written into (in full), or null. */
  readonly grads: readonly (Ref | null)[];
  /** A scratch buffer of the output's dtype. */
  scratch(size: number): string;
  /** A constant (index map or options object) the code may read. */
  constant(value: unknown): string;
  /** The buffer a ref names (to build an options object holding it, say). */
  valueOf(ref: Ref): unknown;
}

export interface Emitted {
  forward: string;
  backward: string;
}

export type Emitter = (ctx: EmitContext) => Emitted;

/** Helpers the generated code calls, passed in as `H`. */
export const HELPERS = { gemm, epilogueGrad, sigmoidValue, classIndexError, wasmSgd } as const;

const TRANS_A = { transA: true };
const TRANS_B = { transB: true };

/** out[m×n] = op(A)·op(B), as src/kernels/matmul.ts's gemm computes it (see the header). */
function product(ctx: EmitContext, out: string, a: string, b: string, m: number, k: number, n: number, transA: boolean, transB: boolean): string {
  if (m === 0 || n === 0) return '';
  if (k === 0) return `${out}.fill(0);`;
  if (m * k * n > TINY_MAX_WORK) {
    const options = transA ? ctx.constant(TRANS_A) : transB ? ctx.constant(TRANS_B) : 'undefined';
    return `H.gemm(${out}, ${a}, ${b}, ${m}, ${k}, ${n}, ${options});`;
  }
  const aRow = transA ? 1 : k;
  const aStep = transA ? m : 1;
  const bCol = transB ? k : 1;
  const bStep = transB ? 1 : n;
  const lines: string[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = '0';
      for (let p = 0; p < k; p++) sum += ` + ${a}[${i * aRow + p * aStep}] * ${b}[${j * bCol + p * bStep}]`;
      lines.push(`${out}[${i * n + j}] = ${sum};`);
    }
  }
  return lines.join('\n');
}

type Activation = 'linear' | 'sigmoid' | 'tanh' | 'relu';

/** The derivative through an activation, from the output y (the eager throughActivation). */
const ACTIVATION_BACKWARD: Record<Exclude<Activation, 'linear'>, (g: string, y: string) => string> = {
  sigmoid: (g, y) => `${g} * ${y} * (1 - ${y})`,
  tanh: (g, y) => `${g} * (1 - ${y} * ${y})`,
  // NOTE: ReLU's derivative at 0 is 0; y > 0 exactly when z > 0.
  relu: (g, y) => `${y} > 0 ? ${g} : 0`,
};

const ACTIVATION_FORWARD: Record<Activation, (z: string) => string> = {
  linear: (z) => z,
  sigmoid: (z) => `sig(${z})`,
  tanh: (z) => `Math.tanh(${z})`,
  relu: (z) => `${z} > 0 ? ${z} : 0`,
};

const linear: Emitter = (ctx) => {
  const { inputs: [x, weight, bias], out, dy, grads: [dx, dw, db], attrs } = ctx;
  const activation = attrs as Activation;
  const [n, k] = x.shape;
  const m = weight.shape[1];
  const y = out.name;
  const dz = activation === 'linear' ? dy.name : ctx.scratch(out.size);
  const activate = activation === 'linear' ? '' : each(out.size, `${y}[i] = ${ACTIVATION_FORWARD[activation](`${y}[i]`)};`);
  // Products too large to write out call gemm with the bias (and ReLU) in its epilogue, as the eager op does.
  const large = n * k * m > TINY_MAX_WORK;
  const epilogue = (): string => ctx.constant(activation === 'relu' ? { bias: ctx.valueOf(bias), relu: true } : { bias: ctx.valueOf(bias) });
  const forward = large
    ? [`H.gemm(${y}, ${x.name}, ${weight.name}, ${n}, ${k}, ${m}, ${epilogue()});`, activation === 'relu' ? '' : activate]
    : [product(ctx, y, x.name, weight.name, n, k, m, false, false), eachRow(n, m, `${y}[at] += ${bias.name}[j];`), activate];
  // dz and the bias gradient: with many elements, epilogueGrad as the eager op calls it (it may
  // run in wasm, with the same numbers); with few, its loops written out.
  const dzLoop = activation === 'linear' || activation === 'relu' ? '' : each(out.size, `${dz}[i] = ${ACTIVATION_BACKWARD[activation](`${dy.name}[i]`, `${y}[i]`)};`);
  const throughActivation = n * m >= WASM_MIN_GRAD
    ? activation === 'relu'
      ? `H.epilogueGrad(${dy.name}, ${y}, ${n}, ${m}, ${dz}, ${db === null ? 'null' : db.name});`
      : join([dzLoop, db === null ? '' : `H.epilogueGrad(${dz}, null, ${n}, ${m}, null, ${db.name});`])
    : join([
        activation === 'relu' ? each(out.size, `${dz}[i] = ${ACTIVATION_BACKWARD.relu(`${dy.name}[i]`, `${y}[i]`)};`) : dzLoop,
        db === null ? '' : `${zero(db)}\n${eachRow(n, m, `${db.name}[j] += ${dz}[at];`)}`,
      ]);
  const backward = [
    throughActivation,
    dx === null ? '' : product(ctx, dx.name, dz, weight.name, n, m, k, false, true),
    dw === null ? '' : product(ctx, dw.name, x.name, dz, k, n, m, true, false),
  ];
  return { forward: join(forward), backward: join(backward) };
};

const matmul: Emitter = (ctx) => {
  const { op, inputs: [a, b], out, dy, grads: [da, db] } = ctx;
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw refusedOp(op, `is captured for matrices only, got ${formatShape(a.shape)} × ${formatShape(b.shape)}`);
  }
  const [m, k] = a.shape;
  const n = b.shape[1];
  return {
    forward: product(ctx, out.name, a.name, b.name, m, k, n, false, false),
    backward: join([
      da === null ? '' : product(ctx, da.name, dy.name, b.name, m, n, k, false, true),
      db === null ? '' : product(ctx, db.name, a.name, dy.name, k, m, n, true, false),
    ]),
  };
};

function elementwise(f: (x: string) => string, derivative: (g: string, x: string, y: string) => string): Emitter {
  return ({ inputs: [x], out, dy, grads: [dx] }) => ({
    forward: each(out.size, `${out.name}[i] = ${f(`${x.name}[i]`)};`),
    backward: dx === null ? '' : each(out.size, `${dx.name}[i] = ${derivative(`${dy.name}[i]`, `${x.name}[i]`, `${out.name}[i]`)};`),
  });
}

// ---------------------------------------------------------------------------------------------
// Broadcasting: reads through index maps made once, and the eager sumToShape's three cases.

/** The expression reading `ref` at output element `i` of shape `full`. */
function read(ctx: EmitContext, ref: Ref, full: Shape): string {
  if (sameShape(ref.shape, full)) return `${ref.name}[i]`;
  if (ref.size === 1) return `${ref.name}[0]`;
  return `${ref.name}[${ctx.constant(broadcastIndex(ref.shape, full))}[i]]`;
}

/** target (of its shape) = g (of `full`) summed back over the broadcast axes. */
function reduceTo(ctx: EmitContext, target: Ref, g: string, full: Shape): string {
  const size = sizeOf(full);
  if (sameShape(target.shape, full)) return each(size, `${target.name}[i] = ${g}[i];`);
  if (target.size === 1) return `{ let total = 0; ${each(size, `total += ${g}[i];`)} ${target.name}[0] = total; }`;
  const index = ctx.constant(broadcastIndex(target.shape, full));
  return `${zero(target)}\n${each(size, `${target.name}[${index}[i]] += ${g}[i];`)}`;
}

/** Loops of up to this many iterations are written out, one block per index. */
const UNROLL = 16;

/**
 * `for (let i = 0; i < n; i++) body`, or for small n the body n times, each in a block with
 * `const i` set to its index (no loop counter or bounds checks left once V8 folds the constant).
 */
export function each(n: number, body: string): string {
  if (n > UNROLL) return `for (let i = 0; i < ${n}; i++) ${body}`;
  return Array.from({ length: n }, (_, k) => `{ const i = ${k}; ${body} }`).join(' ');
}

/** The same over the rows of an [n, m] matrix, with `at` the flat index and `j` the column. */
function eachRow(n: number, m: number, body: string): string {
  if (n * m > UNROLL) return `for (let r = 0, at = 0; r < ${n}; r++) for (let j = 0; j < ${m}; j++, at++) ${body}`;
  return Array.from({ length: n * m }, (_, k) => `{ const at = ${k}, j = ${k % m}; ${body} }`).join(' ');
}

/** ref.fill(0), written out for a few elements (a call costs more than the stores). */
function zero(ref: Ref): string {
  if (ref.size > 8) return `${ref.name}.fill(0);`;
  return Array.from({ length: ref.size }, (_, i) => `${ref.name}[${i}] = 0;`).join(' ');
}

function binary(f: (x: string, y: string) => string, backward: (ctx: EmitContext, a: string, b: string) => string): Emitter {
  return (ctx) => {
    const { inputs: [a, b], out } = ctx;
    const x = read(ctx, a, out.shape);
    const y = read(ctx, b, out.shape);
    return {
      forward: each(out.size, `${out.name}[i] = ${f(x, y)};`),
      backward: backward(ctx, x, y),
    };
  };
}

const add = binary((x, y) => `${x} + ${y}`, (ctx) => {
  const { out, dy, grads: [da, db] } = ctx;
  return join([da === null ? '' : reduceTo(ctx, da, dy.name, out.shape), db === null ? '' : reduceTo(ctx, db, dy.name, out.shape)]);
});

const sub = binary((x, y) => `${x} - ${y}`, (ctx) => {
  const { out, dy, grads: [da, db] } = ctx;
  const negated = db === null ? '' : ctx.scratch(out.size);
  return join([
    da === null ? '' : reduceTo(ctx, da, dy.name, out.shape),
    db === null ? '' : `${each(out.size, `${negated}[i] = -${dy.name}[i];`)}\n${reduceTo(ctx, db, negated, out.shape)}`,
  ]);
});

const mul = binary((x, y) => `${x} * ${y}`, (ctx, x, y) => {
  const { out, dy, grads: [da, db] } = ctx;
  const scratch = da === null && db === null ? '' : ctx.scratch(out.size);
  return join([
    da === null ? '' : `${each(out.size, `${scratch}[i] = ${dy.name}[i] * ${y};`)}\n${reduceTo(ctx, da, scratch, out.shape)}`,
    db === null ? '' : `${each(out.size, `${scratch}[i] = ${dy.name}[i] * ${x};`)}\n${reduceTo(ctx, db, scratch, out.shape)}`,
  ]);
});

const squaredDifference = binary((x, y) => `(${x} - ${y}) * (${x} - ${y})`, (ctx, x, y) => {
  const { out, dy, grads: [da, db] } = ctx;
  if (da === null && db === null) return '';
  const twice = ctx.scratch(out.size);
  const negated = db === null ? '' : ctx.scratch(out.size);
  return join([
    // 2(a − b), stored, then times dy in place, as the eager op.
    each(out.size, `${twice}[i] = 2 * (${x} - ${y});`),
    each(out.size, `${twice}[i] *= ${dy.name}[i];`),
    da === null ? '' : reduceTo(ctx, da, twice, out.shape),
    db === null ? '' : `${each(out.size, `${negated}[i] = -${twice}[i];`)}\n${reduceTo(ctx, db, negated, out.shape)}`,
  ]);
});

const binaryCrossEntropyWithLogits = binary(
  (x, y) => `Math.max(${x}, 0) - ${x} * ${y} + Math.log1p(Math.exp(-Math.abs(${x})))`,
  (ctx, x, y) => {
    const { op, inputs: [z], out, dy, grads: [dz] } = ctx;
    if (!sameShape(z.shape, out.shape)) throw refusedOp(op, `is captured for logits of the output's shape, got ${formatShape(z.shape)}`);
    if (dz === null) return '';
    const rate = ctx.scratch(out.size);
    // σ(z) − t, stored, then times dy, as the eager op's two maps.
    return join([
      each(out.size, `${rate}[i] = sig(${x}) - ${y};`),
      each(out.size, `${dz.name}[i] = ${dy.name}[i] * ${rate}[i];`),
    ]);
  },
);

/** sum and mean over axes (see the kernel in kernels.ts): a double total to one value, stored partial sums otherwise. */
function reduction(mean: boolean): Emitter {
  return (ctx) => {
    const { inputs: [x], out, attrs, dy, grads: [dx] } = ctx;
    const count = x.size / out.size;
    if (out.size === 1) {
      return {
        forward: join([
          `{ let acc = 0; ${each(x.size, `acc = acc + ${x.name}[i];`)} ${out.name}[0] = acc; }`,
          mean ? `${out.name}[0] /= ${count};` : '',
        ]),
        backward: dx === null ? '' : join([
          each(x.size, `${dx.name}[i] = ${dy.name}[0];`),
          // 1 / n as a double, as the eager op's scale.
          mean ? `${each(x.size, `${dx.name}[i] *= ${numberLiteral(1 / count)};`)}` : '',
        ]),
      };
    }
    const index = ctx.constant(broadcastIndex(keptShape(x.shape, attrs), x.shape));
    return {
      forward: join([
        zero(out),
        each(x.size, `${out.name}[${index}[i]] = ${out.name}[${index}[i]] + ${x.name}[i];`),
        mean ? each(out.size, `${out.name}[i] /= ${count};`) : '',
      ]),
      backward: dx === null ? '' : join([
        each(x.size, `${dx.name}[i] = ${dy.name}[${index}[i]];`),
        mean ? each(x.size, `${dx.name}[i] *= ${numberLiteral(1 / count)};`) : '',
      ]),
    };
  };
}

/** log softmax along an axis: the eager softmaxKernel's loops with the sizes written in. */
const logSoftmax: Emitter = ({ inputs: [x], out, attrs, dy, grads: [dx] }) => {
  const [outer, length, inner] = aroundAxis(x.shape, attrs as number);
  const at = (k: string): string => (inner === 1 ? `base + ${k}` : `base + ${k} * ${inner}`);
  const rows = (body: string): string =>
    `for (let o = 0; o < ${outer}; o++) for (let i = 0; i < ${inner}; i++) { const base = o * ${length * inner} + i; ${body} }`;
  const src = x.name;
  const y = out.name;
  return {
    forward: rows(
      [
        `let max = -Infinity; for (let k = 0; k < ${length}; k++) max = Math.max(max, ${src}[${at('k')}]);`,
        'if (max === -Infinity) max = 0;',
        `let total = 0; for (let k = 0; k < ${length}; k++) total += Math.exp(${src}[${at('k')}] - max);`,
        'const logTotal = Math.log(total);',
        `for (let k = 0; k < ${length}; k++) { const shifted = ${src}[${at('k')}] - max; ${y}[${at('k')}] = shifted - logTotal; }`,
      ].join('\n'),
    ),
    backward: dx === null ? '' : rows(
      [
        `let total = 0; for (let k = 0; k < ${length}; k++) total += ${dy.name}[${at('k')}];`,
        `for (let k = 0; k < ${length}; k++) ${dx.name}[${at('k')}] = ${dy.name}[${at('k')}] - Math.exp(${y}[${at('k')}]) * total;`,
      ].join('\n'),
    ),
  };
};

/** x[r, labels[r]] per row, checking each label as it is read (the labels may be an input that changed). */
const pickPerRow: Emitter = (ctx) => {
  const { inputs: [x, labels], out, dy, grads: [dx] } = ctx;
  const [n, classes] = x.shape;
  const positions = ctx.constant(new Int32Array(n));
  const where = ctx.constant(labels.input === undefined ? '' : ` of input '${labels.input}'`);
  return {
    forward:
      `for (let r = 0; r < ${n}; r++) { const c = ${labels.name}[r]; ` +
      `if (!Number.isInteger(c) || c < 0 || c >= ${classes}) throw H.classIndexError('captureStep', c, r, ${classes}, ${where}); ` +
      `${positions}[r] = r * ${classes} + c; ${out.name}[r] = ${x.name}[${positions}[r]]; }`,
    backward: dx === null ? '' : `${zero(dx)}\nfor (let r = 0; r < ${n}; r++) ${dx.name}[${positions}[r]] += ${dy.name}[r];`,
  };
};

/** A number as source text that reads back as the same double. */
function numberLiteral(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}


function join(parts: readonly string[]): string {
  return parts.filter((p) => p !== '').join('\n');
}

/** The ops the compiled replay emits, by registry name (the same set as kernels.ts). */
export const EMITTERS: ReadonlyMap<string, Emitter> = new Map([
  ['linear', linear],
  ['matmul', matmul],
  ['sigmoid', elementwise((x) => `sig(${x})`, (g, _x, y) => `${g} * ${y} * (1 - ${y})`)],
  ['tanh', elementwise((x) => `Math.tanh(${x})`, (g, _x, y) => `${g} * (1 - ${y} * ${y})`)],
  ['relu', elementwise((x) => `${x} > 0 ? ${x} : 0`, (g, x) => `${x} > 0 ? ${g} : 0`)],
  ['add', add],
  ['sub', sub],
  ['mul', mul],
  ['squaredDifference', squaredDifference],
  ['binaryCrossEntropyWithLogits', binaryCrossEntropyWithLogits],
  ['sum', reduction(false)],
  ['mean', reduction(true)],
  ['neg', elementwise((x) => `-${x}`, (g) => `${g} * -1`)],
  ['logSoftmax', logSoftmax],
  ['pickPerRow', pickPerRow],
  ['reshape', elementwise((x) => x, (g) => g)], // a copy: the replay gives each tensor its own buffer
]);

/** Whether this realm lets code be generated (a Content-Security-Policy without 'unsafe-eval' does not). */
export function canCompile(): boolean {
  try {
    return new Function('return 1')() === 1;
  } catch {
    return false;
  }
}

/** Builds the generated function: `factory(B, H)` binds the buffers `B` and returns the step. */
export function compileFunction<T>(body: string, buffers: readonly unknown[]): T {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('B', 'H', body) as (b: readonly unknown[], h: typeof HELPERS) => T;
  return factory(buffers, HELPERS);
}

export type { FloatArray };
