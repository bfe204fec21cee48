/**
 * The gradient-check table: one or more rows per registered op, each comparing backprop's full
 * Jacobian with central differences in float64 on inputs drawn from the op's valid domain.
 *
 * Adding an op means adding a row here: the suite fails while a registered op has none.
 */
import { describe, expect, it } from 'vitest';
import {
  Generator,
  abs,
  add,
  assertGradients,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  broadcastTo,
  captureStep,
  cast,
  clamp,
  concat,
  div,
  elu,
  exp,
  formatShape,
  gather,
  grad,
  leakyRelu,
  linear,
  log,
  log1p,
  logSoftmax,
  logsumexp,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  optim,
  pow,
  prelu,
  registeredOps,
  relu,
  reshape,
  sigmoid,
  silu,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squaredDifference,
  sub,
  sum,
  tanh,
  tensor,
  transpose,
  where,
} from '../packages/nnlab/src/index.js';
import type { CaptureMode, DType, GradcheckOptions, Shape, Tensor } from '../packages/nnlab/src/index.js';
import { expectAllClose, f64 } from './helpers.js';
import { pickPerRow } from '../packages/nnlab/src/ops/pick.js';

/** How the values of one input are drawn, given the row's generator and the input's size. */
type Domain = (rng: Generator, size: number) => number[];

const uniform =
  (low: number, high: number): Domain =>
  (rng, size) =>
    Array.from({ length: size }, () => rng.uniform(low, high));

/** Uniform in [low, high), but at least `margin` from every kink, so h = 1e-6 never crosses one. */
const awayFrom =
  (kinks: readonly number[], margin: number, low: number, high: number): Domain =>
  (rng, size) =>
    Array.from({ length: size }, () => {
      for (;;) {
        const v = rng.uniform(low, high);
        if (kinks.every((k) => Math.abs(v - k) >= margin)) return v;
      }
    });

/** Evenly spaced, jittered, shuffled values: no two within (high − low) / 2n, so max/min have no ties. */
const distinct =
  (low: number, high: number): Domain =>
  (rng, size) =>
    rng.permutation(size).map((i) => low + ((high - low) * (i + 0.25 + 0.5 * rng.uniform())) / size);

/** start + step·k for random integers k in [0, count): two lattices with different starts never tie. */
const lattice =
  (start: number, step: number, count: number): Domain =>
  (rng, size) =>
    Array.from({ length: size }, () => start + step * rng.integer(0, count));

/** The given values, repeated to fill the input. */
const fixed =
  (values: readonly number[]): Domain =>
  (_rng, size) =>
    Array.from({ length: size }, (_, i) => values[i % values.length]);

interface Input {
  shape: Shape;
  domain: Domain;
}

const input = (shape: Shape, domain: Domain): Input => ({ shape, domain });

interface Row {
  /** The registered op this row checks (its graph must contain it). */
  op: string;
  /** Input shapes and attributes, as they appear in the test name. */
  case: string;
  inputs: readonly Input[];
  f: (...inputs: Tensor[]) => Tensor;
  /** Inputs that get no gradient (targets, conditions). */
  constant?: readonly number[];
  /** Looser settings, with the reason in `why`. */
  options?: GradcheckOptions;
  why?: string;
}

const real = uniform(-2, 2);
const positive = uniform(0.2, 3);
const awayFromZero = awayFrom([0], 0.1, -2, 2);
const logits = uniform(-4, 4);
const probabilities = uniform(0.05, 0.95);
const targets = uniform(0, 1);

const table: readonly Row[] = [
  // Arithmetic, with broadcasting on either side.
  { op: 'add', case: '[2, 3] + [2, 3]', inputs: [input([2, 3], real), input([2, 3], real)], f: (a, b) => add(a, b) },
  { op: 'add', case: '[2, 3] + [3]', inputs: [input([2, 3], real), input([3], real)], f: (a, b) => add(a, b) },
  { op: 'add', case: '[3] + [2, 3]', inputs: [input([3], real), input([2, 3], real)], f: (a, b) => add(a, b) },
  { op: 'add', case: '[2, 1] + [1, 3]', inputs: [input([2, 1], real), input([1, 3], real)], f: (a, b) => add(a, b) },
  { op: 'add', case: '[] + [2, 3]', inputs: [input([], real), input([2, 3], real)], f: (a, b) => add(a, b) },
  { op: 'sub', case: '[2, 3] − [2, 1]', inputs: [input([2, 3], real), input([2, 1], real)], f: (a, b) => sub(a, b) },
  { op: 'sub', case: '[3] − [2, 3]', inputs: [input([3], real), input([2, 3], real)], f: (a, b) => sub(a, b) },
  { op: 'mul', case: '[2, 3] · [2, 3]', inputs: [input([2, 3], real), input([2, 3], real)], f: (a, b) => mul(a, b) },
  { op: 'mul', case: '[2, 1] · [1, 3]', inputs: [input([2, 1], real), input([1, 3], real)], f: (a, b) => mul(a, b) },
  { op: 'mul', case: '[2, 3, 2] · [3, 1]', inputs: [input([2, 3, 2], real), input([3, 1], real)], f: (a, b) => mul(a, b) },
  { op: 'div', case: '[2, 3] / [3]', inputs: [input([2, 3], real), input([3], awayFrom([0], 0.5, -2, 2))], f: (a, b) => div(a, b) },
  { op: 'div', case: '[3] / [2, 3]', inputs: [input([3], real), input([2, 3], awayFrom([0], 0.5, -2, 2))], f: (a, b) => div(a, b) },
  { op: 'pow', case: '[2, 3] ^ [2, 3] (base > 0)', inputs: [input([2, 3], uniform(0.3, 2)), input([2, 3], real)], f: (a, b) => pow(a, b) },
  { op: 'pow', case: '[2, 3] ^ [3] (base > 0)', inputs: [input([2, 3], uniform(0.3, 2)), input([3], real)], f: (a, b) => pow(a, b) },
  { op: 'pow', case: '[2, 3] ^ 3 (any base)', inputs: [input([2, 3], real)], f: (a) => pow(a, 3) },
  {
    op: 'maximum',
    case: '[2, 3], [2, 3]',
    inputs: [input([2, 3], lattice(-1, 0.4, 6)), input([2, 3], lattice(-0.8, 0.4, 6))],
    f: (a, b) => maximum(a, b),
  },
  {
    op: 'maximum',
    case: '[2, 3], [3]',
    inputs: [input([2, 3], lattice(-1, 0.4, 6)), input([3], lattice(-0.8, 0.4, 6))],
    f: (a, b) => maximum(a, b),
  },
  {
    op: 'minimum',
    case: '[2, 3], [2, 3]',
    inputs: [input([2, 3], lattice(-1, 0.4, 6)), input([2, 3], lattice(-0.8, 0.4, 6))],
    f: (a, b) => minimum(a, b),
  },
  {
    op: 'minimum',
    case: '[2, 1], [1, 3]',
    inputs: [input([2, 1], lattice(-1, 0.4, 6)), input([1, 3], lattice(-0.8, 0.4, 6))],
    f: (a, b) => minimum(a, b),
  },

  // Elementwise functions of one tensor, each on its domain.
  { op: 'neg', case: '[2, 3]', inputs: [input([2, 3], real)], f: (x) => neg(x) },
  { op: 'exp', case: '[2, 3]', inputs: [input([2, 3], real)], f: (x) => exp(x) },
  { op: 'log', case: '[2, 3] (x > 0)', inputs: [input([2, 3], positive)], f: (x) => log(x) },
  { op: 'log1p', case: '[2, 3] (x > −1)', inputs: [input([2, 3], uniform(-0.7, 2))], f: (x) => log1p(x) },
  { op: 'sqrt', case: '[2, 3] (x > 0)', inputs: [input([2, 3], positive)], f: (x) => sqrt(x) },
  { op: 'square', case: '[2, 3]', inputs: [input([2, 3], real)], f: (x) => square(x) },
  { op: 'abs', case: '[2, 3] (x ≠ 0)', inputs: [input([2, 3], awayFromZero)], f: (x) => abs(x) },
  {
    op: 'clamp',
    case: '[3, 4] to [−0.5, 0.5]',
    inputs: [input([3, 4], awayFrom([-0.5, 0.5], 0.1, -1.5, 1.5))],
    f: (x) => clamp(x, -0.5, 0.5),
  },
  { op: 'clamp', case: '[2, 3] to [0, ∞)', inputs: [input([2, 3], awayFromZero)], f: (x) => clamp(x, 0, Infinity) },
  {
    op: 'cast',
    case: '[2, 3] float64 → float32 → float64',
    inputs: [input([2, 3], real)],
    f: (x) => cast(cast(x, 'float32'), 'float64'),
    // A step of 1e-6 is only ~8 float32 ulps near 1, so the rounded forward values make the
    // central difference off by up to ~6%. A step of 1e-3 brings that error below 1.2e-4.
    options: { eps: 1e-3, atol: 5e-4, rtol: 1e-4 },
    why: 'the forward values are rounded to float32',
  },

  // Activations.
  { op: 'sigmoid', case: '[2, 3]', inputs: [input([2, 3], logits)], f: (x) => sigmoid(x) },
  { op: 'tanh', case: '[2, 3]', inputs: [input([2, 3], uniform(-3, 3))], f: (x) => tanh(x) },
  { op: 'relu', case: '[2, 3] (x ≠ 0)', inputs: [input([2, 3], awayFromZero)], f: (x) => relu(x) },
  { op: 'leakyRelu', case: '[2, 3] (x ≠ 0)', inputs: [input([2, 3], awayFromZero)], f: (x) => leakyRelu(x) },
  { op: 'leakyRelu', case: '[2, 3] slope 0.2 (x ≠ 0)', inputs: [input([2, 3], awayFromZero)], f: (x) => leakyRelu(x, 0.2) },
  { op: 'softplus', case: '[2, 3]', inputs: [input([2, 3], uniform(-5, 5))], f: (x) => softplus(x) },
  { op: 'silu', case: '[2, 3]', inputs: [input([2, 3], real)], f: (x) => silu(x) },
  { op: 'elu', case: '[2, 3] alpha 0.7 (x ≠ 0)', inputs: [input([2, 3], awayFromZero)], f: (x) => elu(x, 0.7) },
  {
    op: 'prelu',
    case: '[2, 3] with per-channel alpha [3]',
    inputs: [input([2, 3], awayFromZero), input([3], uniform(0.05, 0.5))],
    f: (x, alpha) => prelu(x, alpha),
  },
  {
    op: 'prelu',
    case: '[2, 3, 2] with per-channel alpha [3, 1]',
    inputs: [input([2, 3, 2], awayFromZero), input([3, 1], uniform(0.05, 0.5))],
    f: (x, alpha) => prelu(x, alpha),
  },
  {
    op: 'prelu',
    case: '[2, 3] with shared alpha []',
    inputs: [input([2, 3], awayFromZero), input([], uniform(0.05, 0.5))],
    f: (x, alpha) => prelu(x, alpha),
  },
  { op: 'softmax', case: '[2, 3] axis -1', inputs: [input([2, 3], real)], f: (x) => softmax(x, -1) },
  { op: 'softmax', case: '[3, 2] axis 0', inputs: [input([3, 2], real)], f: (x) => softmax(x, 0) },
  { op: 'softmax', case: '[2, 3, 2] axis 1', inputs: [input([2, 3, 2], real)], f: (x) => softmax(x, 1) },
  { op: 'logSoftmax', case: '[2, 3] axis -1', inputs: [input([2, 3], real)], f: (x) => logSoftmax(x, -1) },
  { op: 'logSoftmax', case: '[3, 2] axis 0', inputs: [input([3, 2], real)], f: (x) => logSoftmax(x, 0) },
  { op: 'logSoftmax', case: '[2, 3, 2] axis 1', inputs: [input([2, 3, 2], real)], f: (x) => logSoftmax(x, 1) },

  // Selection with a fixed condition: the condition gets no gradient.
  {
    op: 'where',
    case: '[2, 3] ? [2, 3] : [2, 3]',
    inputs: [input([2, 3], fixed([1, 0, 0, 1, 1, 0])), input([2, 3], real), input([2, 3], real)],
    f: (c, a, b) => where(c, a, b),
    constant: [0],
  },
  {
    op: 'where',
    case: '[2, 3] ? [2, 1] : [3]',
    inputs: [input([2, 3], fixed([0, 1, 1, 1, 0, 0])), input([2, 1], real), input([3], real)],
    f: (c, a, b) => where(c, a, b),
    constant: [0],
  },

  // Reductions: one axis, several axes, all axes, with and without keepDims.
  { op: 'sum', case: '[2, 3] axis 1', inputs: [input([2, 3], real)], f: (x) => sum(x, 1) },
  { op: 'sum', case: '[2, 3, 2] axes [0, 2]', inputs: [input([2, 3, 2], real)], f: (x) => sum(x, [0, 2]) },
  { op: 'sum', case: '[2, 3] all axes', inputs: [input([2, 3], real)], f: (x) => sum(x) },
  { op: 'sum', case: '[2, 3, 2] axis -1 keepDims', inputs: [input([2, 3, 2], real)], f: (x) => sum(x, -1, true) },
  { op: 'sum', case: '[2, 3, 2] axes [0, 1] keepDims', inputs: [input([2, 3, 2], real)], f: (x) => sum(x, [0, 1], true) },
  { op: 'mean', case: '[2, 3] axis 0', inputs: [input([2, 3], real)], f: (x) => mean(x, 0) },
  { op: 'mean', case: '[2, 3, 2] axes [1, 2] keepDims', inputs: [input([2, 3, 2], real)], f: (x) => mean(x, [1, 2], true) },
  { op: 'mean', case: '[2, 3] all axes', inputs: [input([2, 3], real)], f: (x) => mean(x) },
  { op: 'mean', case: '[2, 3] all axes keepDims', inputs: [input([2, 3], real)], f: (x) => mean(x, undefined, true) },
  { op: 'max', case: '[2, 3] axis 1 (no ties)', inputs: [input([2, 3], distinct(-2, 2))], f: (x) => max(x, 1) },
  { op: 'max', case: '[2, 3, 2] axes [0, 2] keepDims (no ties)', inputs: [input([2, 3, 2], distinct(-2, 2))], f: (x) => max(x, [0, 2], true) },
  { op: 'max', case: '[2, 3] all axes (no ties)', inputs: [input([2, 3], distinct(-2, 2))], f: (x) => max(x) },
  { op: 'min', case: '[2, 3] axis 0 (no ties)', inputs: [input([2, 3], distinct(-2, 2))], f: (x) => min(x, 0) },
  { op: 'min', case: '[2, 3, 2] axes [1, 2] (no ties)', inputs: [input([2, 3, 2], distinct(-2, 2))], f: (x) => min(x, [1, 2]) },
  { op: 'min', case: '[2, 3] all axes keepDims (no ties)', inputs: [input([2, 3], distinct(-2, 2))], f: (x) => min(x, undefined, true) },
  { op: 'logsumexp', case: '[2, 3] axis -1', inputs: [input([2, 3], real)], f: (x) => logsumexp(x, -1) },
  { op: 'logsumexp', case: '[2, 3, 2] axes [0, 2]', inputs: [input([2, 3, 2], real)], f: (x) => logsumexp(x, [0, 2]) },
  { op: 'logsumexp', case: '[2, 3] all axes keepDims', inputs: [input([2, 3], real)], f: (x) => logsumexp(x, undefined, true) },

  // Matrix products, plain and batched with broadcast batch axes.
  { op: 'matmul', case: '[2, 3] × [3, 4]', inputs: [input([2, 3], real), input([3, 4], real)], f: (a, b) => matmul(a, b) },
  { op: 'matmul', case: '[2, 2, 3] × [3, 4]', inputs: [input([2, 2, 3], real), input([3, 4], real)], f: (a, b) => matmul(a, b) },
  { op: 'matmul', case: '[3, 2] × [2, 2, 4]', inputs: [input([3, 2], real), input([2, 2, 4], real)], f: (a, b) => matmul(a, b) },
  {
    op: 'matmul',
    case: '[2, 1, 2, 3] × [3, 3, 2]',
    inputs: [input([2, 1, 2, 3], real), input([3, 3, 2], real)],
    f: (a, b) => matmul(a, b),
  },
  {
    op: 'linear',
    case: 'x [3, 2] · weight [2, 4] + bias [4]',
    inputs: [input([3, 2], real), input([2, 4], real), input([4], real)],
    f: (x, w, b) => linear(x, w, b),
  },
  ...(['sigmoid', 'tanh', 'relu'] as const).map((activation) => ({
    op: 'linear',
    case: `${activation}(x [3, 2] · weight [2, 4] + bias [4])`,
    inputs: [input([3, 2], real), input([2, 4], real), input([4], real)],
    f: (x: Tensor, w: Tensor, b: Tensor) => linear(x, w, b, activation),
  })),

  // Moving values around.
  { op: 'reshape', case: '[2, 3, 2] to [3, -1]', inputs: [input([2, 3, 2], real)], f: (x) => reshape(x, [3, -1]) },
  { op: 'transpose', case: '[2, 3, 4] perm [2, 0, 1]', inputs: [input([2, 3, 4], real)], f: (x) => transpose(x, [2, 0, 1]) },
  { op: 'transpose', case: '[3, 4] default perm', inputs: [input([3, 4], real)], f: (x) => transpose(x) },
  { op: 'transpose', case: '[2, 3, 4] .T (last two axes)', inputs: [input([2, 3, 4], real)], f: (x) => x.T },
  { op: 'broadcastTo', case: '[3, 1] to [2, 3, 4]', inputs: [input([3, 1], real)], f: (x) => broadcastTo(x, [2, 3, 4]) },
  { op: 'broadcastTo', case: '[] to [2, 2]', inputs: [input([], real)], f: (x) => broadcastTo(x, [2, 2]) },
  { op: 'slice', case: '[4, 5] from [1, -3] to [-1, end]', inputs: [input([4, 5], real)], f: (x) => slice(x, [1, -3], [-1, undefined]) },
  { op: 'slice', case: '[3, 4, 2] from [0, 1] to [2, -1]', inputs: [input([3, 4, 2], real)], f: (x) => slice(x, [0, 1], [2, -1]) },
  {
    op: 'concat',
    case: '[2, 1], [2, 3], [2, 2] on axis 1',
    inputs: [input([2, 1], real), input([2, 3], real), input([2, 2], real)],
    f: (a, b, c) => concat([a, b, c], 1),
  },
  {
    op: 'concat',
    case: '[1, 3], [2, 3] on axis -2',
    inputs: [input([1, 3], real), input([2, 3], real)],
    f: (a, b) => concat([a, b], -2),
  },
  { op: 'gather', case: '[4, 3] rows [3, 0, 3, 1] (a repeat)', inputs: [input([4, 3], real)], f: (x) => gather(x, [3, 0, 3, 1]) },
  {
    op: 'gather',
    case: '[2, 4] axis 1 indices [[1, 1], [3, 0]] (repeats)',
    inputs: [input([2, 4], real)],
    f: (x) => gather(x, tensor([[1, 1], [3, 0]]), 1),
  },

  {
    op: 'pickPerRow',
    case: 'x [3, 4], indices [3] = [2, 0, 3]',
    inputs: [input([3, 4], real), input([3], fixed([2, 0, 3]))],
    f: (x, indices) => pickPerRow(x, indices),
    constant: [1],
  },
  // Losses: targets are constants.
  {
    op: 'binaryCrossEntropy',
    case: 'p [2, 3] in (0.05, 0.95), t [2, 3] in [0, 1]',
    inputs: [input([2, 3], probabilities), input([2, 3], targets)],
    f: (p, t) => binaryCrossEntropy(p, t),
    constant: [1],
  },
  {
    op: 'binaryCrossEntropy',
    case: 'p [2, 3] in (0.05, 0.95), t = 1',
    inputs: [input([2, 3], probabilities)],
    f: (p) => binaryCrossEntropy(p, 1),
  },
  {
    op: 'binaryCrossEntropyWithLogits',
    case: 'z [2, 3], t [2, 3] in [0, 1]',
    inputs: [input([2, 3], logits), input([2, 3], targets)],
    f: (z, t) => binaryCrossEntropyWithLogits(z, t),
    constant: [1],
  },
  {
    op: 'binaryCrossEntropyWithLogits',
    case: 'z [2, 3], t ∈ {0, 1}',
    inputs: [input([2, 3], logits), input([2, 3], fixed([0, 1, 1, 0, 1, 0]))],
    f: (z, t) => binaryCrossEntropyWithLogits(z, t),
    constant: [1],
  },
  {
    op: 'squaredDifference',
    case: 'a [2, 3] − b [2, 3]',
    inputs: [input([2, 3], real), input([2, 3], real)],
    f: (a, b) => squaredDifference(a, b),
  },
  {
    op: 'squaredDifference',
    case: 'a [2, 3] − b [3] (broadcast)',
    inputs: [input([2, 3], real), input([3], real)],
    f: (a, b) => squaredDifference(a, b),
  },
];

const nameOf = (row: Row): string => `gradcheck: ${row.op} ${row.case}`;

/** Float64 inputs for a row, from a generator seeded by the row's name (so rows do not depend on order). */
function inputsOf(row: Row): Tensor[] {
  const rng = new Generator(nameOf(row));
  return row.inputs.map(({ shape, domain }) => {
    const size = shape.reduce((n, d) => n * d, 1);
    return tensor(Float64Array.from(domain(rng, size)), 'float64', shape);
  });
}

/** The names of every op in the graph that computed `out`. */
function opsInGraph(out: Tensor): Set<string> {
  const names = new Set<string>();
  const seen = new Set<Tensor>();
  const stack = [out];
  while (stack.length > 0) {
    const t = stack.pop() as Tensor;
    if (seen.has(t) || t.node === null) continue;
    seen.add(t);
    names.add(t.node.op.name);
    stack.push(...t.node.inputs);
  }
  return names;
}

describe('gradcheck table', () => {
  it('has a row for every registered op', () => {
    const covered = new Set(table.map((row) => row.op));
    const missing = [...registeredOps().keys()].filter((name) => !covered.has(name));
    expect(missing, `registered ops without a gradcheck row: ${missing.join(', ')}`).toEqual([]);
  });

  it('names only registered ops', () => {
    const unknown = [...new Set(table.map((row) => row.op))].filter((name) => !registeredOps().has(name));
    expect(unknown, `rows naming ops that are not registered: ${unknown.join(', ')}`).toEqual([]);
  });

  it('gives every row a distinct name', () => {
    const names = table.map(nameOf);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it("lists every input's shape in each row's name", () => {
    const unlisted = table.filter((row) => row.inputs.some(({ shape }) => !row.case.includes(formatShape(shape))));
    expect(unlisted.map(nameOf)).toEqual([]);
  });

  it('explains every loosened tolerance', () => {
    expect(table.filter((row) => (row.options === undefined) !== (row.why === undefined)).map(nameOf)).toEqual([]);
  });

  for (const row of table) {
    it(nameOf(row), () => {
      const inputs = inputsOf(row);
      const wrt = inputs.map((_, i) => i).filter((i) => !(row.constant ?? []).includes(i));

      // The row must exercise the op it names.
      const leaves = inputs.map((x, i) => (wrt.includes(i) ? x.clone().requireGrad() : x));
      expect([...opsInGraph(row.f(...leaves))]).toContain(row.op);

      assertGradients(nameOf(row), row.f, inputs, { ...row.options, wrt });
    });
  }
});

/**
 * A captured step runs each op's own kernel (eager runs it at once, the replay records it, the
 * compiler writes it out), so a captured step equals eager by construction; this checks that
 * construction on every row whose graph is made of ops with kernels, in both dtypes: the loss
 * sum(f(inputs)) and every input's gradient, bit for bit, replayed twice.
 */
describe('captured = eager, bit for bit, for every row whose ops all have buffer kernels', () => {
  const capturable = (row: Row): boolean => {
    const leaves = inputsOf(row).map((x, i) => ((row.constant ?? []).includes(i) ? x : x.clone().requireGrad()));
    return [...opsInGraph(row.f(...leaves))].every((name) => registeredOps().get(name)?.kernel !== undefined);
  };
  const rows = table.filter(capturable);

  it('covers every op that has a kernel', () => {
    const covered = new Set(rows.map((row) => row.op));
    const missing = [...registeredOps().values()].filter((op) => op.kernel !== undefined && !covered.has(op.name)).map((op) => op.name);
    expect(missing).toEqual([]);
  });

  for (const dtype of ['float64', 'float32'] as DType[]) {
    for (const row of rows) {
      it(`${dtype}: ${nameOf(row)}`, () => {
        const leavesOf = () => inputsOf(row).map((x) => (x.dtype === dtype ? x : x.cast(dtype))).map((x, i) => ((row.constant ?? []).includes(i) ? x : x.requireGrad()));
        const eagerLeaves = leavesOf();
        const eagerLoss = sum(row.f(...eagerLeaves));
        eagerLoss.backward();
        const expected = [Array.from(eagerLoss.data), ...eagerLeaves.map((x) => Array.from(x.grad?.data ?? []))];
        for (const mode of ['compiled', 'closures'] as CaptureMode[]) {
          const leaves = leavesOf();
          const params = leaves.filter((x) => x.requiresGrad);
          const start = params.map((x) => x.data.slice());
          const step = captureStep({ loss: () => sum(row.f(...leaves)), optimizer: new optim.SGD(params, { lr: 1 }), inputs: {}, mode });
          for (let replay = 0; replay < 2; replay++) {
            params.forEach((x, i) => x.data.set(start[i])); // undo the update, so the replay sees the same inputs
            const loss = step.run();
            expect([[loss], ...leaves.map((x) => Array.from(x.grad?.data ?? []))], `${mode}, replay ${replay + 1}`).toEqual(expected);
          }
        }
      });
    }
  }
});

describe('cast', () => {
  it('cast(cast(x, float32), float64) passes the upstream gradient back to a float64 leaf unchanged', () => {
    const x = f64([[0.1, -2.5, 3]]);
    const w = f64([[1.5, -0.25, 7]]);
    const [g] = grad((v: Tensor) => sum(mul(cast(cast(v, 'float32'), 'float64'), w)))(x);
    expect(g.dtype).toBe('float64');
    expectAllClose(g, w, { atol: 0, rtol: 0 });
  });

  it('cast(x, float64) of a float32 leaf delivers the gradient to the leaf in float32', () => {
    const x = tensor([1, 2, 3]).requireGrad();
    sum(mul(cast(x, 'float64'), f64([0.5, -1, 4]))).backward();
    expect(x.grad?.dtype).toBe('float32');
    expectAllClose(x.grad as Tensor, [0.5, -1, 4], { atol: 0, rtol: 0 });
  });
});

describe('subgradients at kinks (documented choices)', () => {
  const gradientOf = (f: (x: Tensor) => Tensor, values: number[]): Tensor => grad((x: Tensor) => sum(f(x)))(f64(values))[0];

  it("relu(x) has gradient 0 at x = 0, as TensorFlow", () => {
    expectAllClose(gradientOf(relu, [-1, 0, 2]), [0, 0, 1], { atol: 0, rtol: 0 });
  });

  it('leakyRelu(x, slope) has gradient slope at x = 0', () => {
    expectAllClose(gradientOf((x) => leakyRelu(x, 0.2), [-1, 0, 2]), [0.2, 0.2, 1], { atol: 0, rtol: 0 });
    expectAllClose(gradientOf((x) => leakyRelu(x), [0]), [0.01], { atol: 0, rtol: 0 });
  });

  it('abs(x) has gradient 0 at x = 0, as sign(0)', () => {
    expectAllClose(gradientOf(abs, [-2, 0, 3]), [-1, 0, 1], { atol: 0, rtol: 0 });
  });

  it('binaryCrossEntropyWithLogits(z, t) at z = 0 has gradient sigmoid(0) − t = 0.5 − t', () => {
    const t = f64([0, 0.25, 0.5, 1]);
    const [g] = grad((z: Tensor) => sum(binaryCrossEntropyWithLogits(z, t)))(f64([0, 0, 0, 0]));
    expectAllClose(g, [0.5, 0.25, 0, -0.5], { atol: 0, rtol: 0 });
  });

  it('clamp(x, min, max) passes the gradient at the bounds themselves', () => {
    expectAllClose(gradientOf((x) => clamp(x, -1, 1), [-2, -1, 0, 1, 2]), [0, 1, 1, 1, 0], { atol: 0, rtol: 0 });
  });

  it('maximum(a, b) and minimum(a, b) split the gradient in half at ties, as torch.maximum', () => {
    const b = f64([1, 1]);
    const a = f64([1, 0]);
    const [ga, gb] = grad((x: Tensor, y: Tensor) => sum(maximum(x, y)))(a, b);
    expectAllClose(ga, [0.5, 0], { atol: 0, rtol: 0 });
    expectAllClose(gb, [0.5, 1], { atol: 0, rtol: 0 });
    const [ha, hb] = grad((x: Tensor, y: Tensor) => sum(minimum(x, y)))(a, b);
    expectAllClose(ha, [0.5, 1], { atol: 0, rtol: 0 });
    expectAllClose(hb, [0.5, 0], { atol: 0, rtol: 0 });
  });

  it('maximum(a, b) and minimum(a, b) are NaN when either side is NaN, and both sides then get the whole gradient (PyTorch)', () => {
    const a = f64([NaN, 1, NaN]);
    const b = f64([1, NaN, NaN]);
    for (const op of [maximum, minimum]) {
      expect(Array.from(op(a, b).data)).toEqual([NaN, NaN, NaN]);
      const [ga, gb] = grad((x: Tensor, y: Tensor) => sum(op(x, y)))(a, b);
      expect([Array.from(ga.data), Array.from(gb.data)]).toEqual([[1, 1, 1], [1, 1, 1]]);
    }
  });

  it('pow(a, b) has gradient 0 with respect to b where a = 0 and b ≥ 0 (PyTorch, TensorFlow), a^b·ln a elsewhere', () => {
    const [g] = grad((y: Tensor) => sum(pow(f64([0, 0, 0]), y)))(f64([0, 0.5, 2]));
    expect(Array.from(g.data)).toEqual([0, 0, 0]);
    const [h] = grad((y: Tensor) => sum(pow(f64([0, 2]), y)))(f64([-1, 3]));
    expect(Array.from(h.data)).toEqual([-Infinity, 8 * Math.log(2)]); // b < 0: 0^−1 · ln 0 = Infinity · −Infinity, as PyTorch
  });

  it('relu(NaN) is NaN, and its gradient there passes dy (PyTorch: threshold_backward keeps dy unless y <= 0)', () => {
    const x = f64([NaN, -1, 0, 2]);
    expect(Array.from(relu(x).data)).toEqual([NaN, 0, 0, 2]);
    expect(Array.from(gradientOf(relu, [NaN, -1, 0, 2]).data)).toEqual([1, 0, 0, 1]);
  });

  it('max(x) and min(x) split the gradient equally among tied extremes', () => {
    expectAllClose(gradientOf((x) => max(x), [3, 1, 3, 3]), [1 / 3, 0, 1 / 3, 1 / 3], { atol: 0, rtol: 0 });
    expectAllClose(gradientOf((x) => min(x), [0, 2, 0]), [0.5, 0, 0.5], { atol: 0, rtol: 0 });
  });

  it('pow(a, b) has a finite gradient with respect to a at a = 0 for b ≥ 1', () => {
    expectAllClose(gradientOf((x) => pow(x, 2), [0]), [0], { atol: 0, rtol: 0 });
    expectAllClose(gradientOf((x) => pow(x, 1), [0]), [1], { atol: 0, rtol: 0 });
  });
});
