/**
 * A property test of the public API's argument checks (issue #14): each public function and
 * constructor is called with valid arguments where one or two are replaced by random wrong
 * values (numbers for arrays, strings, bigints, null, undefined, objects, arrays with holes,
 * NaN sizes…). Each call either returns or throws an Error whose message starts with the
 * function's name: never a TypeError or RangeError from inside a kernel. Fixed seed, so a
 * failure is the same failure on every run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as N from '../packages/nnlab/src/index.js';

const { nn, optim } = N;

/** Wrong values of every kind, kept small: a wrong *type* is the point, not a huge allocation. */
const holey = fc.constantFrom([1, , 3], [, 2], [[1, 2], [, 4]]); // eslint-disable-line no-sparse-arrays
const number = fc.oneof(fc.integer({ min: -4, max: 6 }), fc.double({ min: -10, max: 10 }), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, 1e300, 2 ** 53));
const wrong: fc.Arbitrary<unknown> = fc.oneof(
  number,
  fc.string({ maxLength: 4 }),
  fc.bigInt({ min: -5n, max: 5n }),
  fc.constantFrom(null, undefined, true, false, {}, { length: 2 }, () => 1, Symbol('s'), new Int32Array(2), new Float64Array(3)),
  fc.array(fc.oneof(number, fc.string({ maxLength: 2 }), fc.constantFrom(null, undefined, [1], 1n)), { maxLength: 3 }),
  fc.array(fc.array(number, { maxLength: 2 }), { maxLength: 2 }),
  holey,
  fc.constant(N.tensor([[1, 2], [3, 4]])),
  fc.constant(N.tensor([1, 2, 3], 'float64')),
  fc.dictionary(fc.constantFrom('lr', 'params', 'shape', 'dtype', 'weight', 'inputs', 'resolution'), number, { maxKeys: 2 }),
);

interface Entry {
  /** What the message must start with, before ':' (or '.': a layer's `dense.forward: …` is its own). */
  name: string;
  /** Valid arguments, fresh per call (some are mutated: parameters, generators). */
  valid: () => unknown[];
  call: (...args: unknown[]) => unknown;
}

const m = () => N.tensor([[1, 2], [3, 4]]);
const v = () => N.tensor([0.25, 0.5]);
const param = () => N.tensor([1, 2]).requireGrad();
const dense = () => new nn.Dense(2, 2, { rng: N.rng(1) });
// Untyped on purpose: the calls pass what TypeScript would refuse, as a JavaScript caller may.
type Fn = (...args: unknown[]) => unknown;
const f = (fn: unknown): Fn => fn as Fn;
const ctor = (C: unknown): Fn => (...args) => new (C as new (...a: unknown[]) => unknown)(...args);

const binary = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'squaredDifference', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'prelu'] as const;
const unary = ['neg', 'exp', 'log', 'log1p', 'sqrt', 'square', 'abs', 'sigmoid', 'tanh', 'relu', 'softplus', 'silu', 'zerosLike', 'onesLike'] as const;
const reductions = ['sum', 'mean', 'max', 'min', 'logsumexp'] as const;

const ENTRIES: Entry[] = [
  { name: 'tensor', valid: () => [[[1, 2], [3, 4]], 'float32', [2, 2]], call: f(N.tensor) },
  { name: 'tensor', valid: () => [new Float32Array(4), 'float64', [4]], call: f(N.tensor) },
  { name: 'scalar', valid: () => [1, 'float32'], call: f(N.scalar) },
  { name: 'full', valid: () => [[2, 2], 3, 'float32'], call: f(N.full) },
  { name: 'zeros', valid: () => [[2, 3], 'float64'], call: f(N.zeros) },
  { name: 'ones', valid: () => [[3], 'float32'], call: f(N.ones) },
  { name: 'linspace', valid: () => [0, 1, 5, 'float32'], call: f(N.linspace) },
  { name: 'arange', valid: () => [0, 5, 1, 'float32'], call: f(N.arange) },
  { name: 'eye', valid: () => [3, 2, 'float32'], call: f(N.eye) },
  { name: 'oneHot', valid: () => [[0, 2], 3, 'float32'], call: f(N.oneHot) },
  { name: 'grid2d', valid: () => [{ resolution: 3, x0Range: [0, 1], x1Range: [-1, 1], dtype: 'float64' }], call: f(N.grid2d) },
  { name: 'randomUniform', valid: () => [[2], N.rng(1), 0, 1, 'float32'], call: f(N.randomUniform) },
  { name: 'randomNormal', valid: () => [[2], N.rng(1), 0, 1, 'float32'], call: f(N.randomNormal) },
  { name: 'randomBernoulli', valid: () => [[2], N.rng(1), 0.5, 'float32'], call: f(N.randomBernoulli) },
  { name: 'Generator', valid: () => [7], call: f(N.rng) },
  { name: 'Generator', valid: () => [7], call: ctor(N.Generator) },
  ...(['permutation', 'uniform', 'integer', 'normal', 'bernoulli', 'shuffle'] as const).map((method) => ({
    name: `Generator.${method}`,
    valid: () => ({ permutation: [4], uniform: [0, 1], integer: [0, 3], normal: [0, 1], bernoulli: [0.5], shuffle: [[1, 2, 3]] })[method],
    call: (...args: unknown[]) => f(N.rng(1)[method].bind(N.rng(1)))(...args),
  })),
  ...binary.map((name) => ({ name, valid: () => [v(), v()], call: f(N[name]) })),
  ...unary.map((name) => ({ name, valid: () => [m()], call: f(N[name]) })),
  ...reductions.map((name) => ({ name, valid: () => [m(), [0], true], call: f(N[name]) })),
  { name: 'where', valid: () => [v(), v(), 1], call: f(N.where) },
  { name: 'clamp', valid: () => [m(), 0, 2], call: f(N.clamp) },
  { name: 'cast', valid: () => [m(), 'float64'], call: f(N.cast) },
  { name: 'leakyRelu', valid: () => [m(), 0.1], call: f(N.leakyRelu) },
  { name: 'elu', valid: () => [m(), 1], call: f(N.elu) },
  { name: 'softmax', valid: () => [m(), -1], call: f(N.softmax) },
  { name: 'logSoftmax', valid: () => [m(), 0], call: f(N.logSoftmax) },
  { name: 'argmax', valid: () => [m(), 1], call: f(N.argmax) },
  { name: 'matmul', valid: () => [m(), m()], call: f(N.matmul) },
  { name: 'linear', valid: () => [m(), m(), v(), 'relu'], call: f(N.linear) },
  { name: 'reshape', valid: () => [m(), [4, -1]], call: f(N.reshape) },
  { name: 'transpose', valid: () => [m(), [1, 0]], call: f(N.transpose) },
  { name: 'swapLastAxes', valid: () => [m()], call: f(N.swapLastAxes) },
  { name: 'broadcastTo', valid: () => [v(), [3, 2]], call: f(N.broadcastTo) },
  { name: 'slice', valid: () => [m(), [0, 1], [2, 2]], call: f(N.slice) },
  { name: 'concat', valid: () => [[m(), m()], 1], call: f(N.concat) },
  { name: 'gather', valid: () => [m(), [1, 0], 0], call: f(N.gather) },
  { name: 'backward', valid: () => [N.tensor([1, 1])], call: (g) => N.tensor([1, 2]).requireGrad().mul(2).backward(g as N.Tensor) },
  { name: 'dense', valid: () => [2, 3, { activation: 'tanh', rng: N.rng(1), dtype: 'float64' }], call: ctor(nn.Dense) },
  { name: 'dense', valid: () => [m()], call: (x) => dense().forward(x as N.Tensor) },
  { name: 'dropout', valid: () => [0.5, { rng: N.rng(1) }], call: ctor(nn.Dropout) },
  { name: 'loadStateDict', valid: () => [dense().stateDict()], call: (state) => dense().loadStateDict(state as Record<string, N.Tensor>) },
  ...(['mseLoss', 'bceLoss', 'bceWithLogitsLoss'] as const).map((name) => ({ name, valid: () => [m().sigmoid(), m().div(4), { reduction: 'sum' }], call: f(nn[name]) })),
  { name: 'crossEntropyLoss', valid: () => [m(), [0, 1], { reduction: 'none' }], call: f(nn.crossEntropyLoss) },
  ...(['SGD', 'RMSProp', 'Adam', 'AdamW'] as const).map((name) => ({ name, valid: () => [[param()], { lr: 0.1 }], call: ctor(optim[name]) })),
  { name: 'SGD', valid: () => [[{ params: [param()], options: { lr: 0.1 } }], { momentum: 0.5 }], call: ctor(optim.SGD) },
  {
    name: 'SGD',
    valid: () => [param(), (step: number) => 0.1 / (step + 1)],
    call: (p, lr) => {
      const q = p as N.Tensor;
      const sgd = new optim.SGD([q], { lr: lr as number });
      q.grad = N.tensor([1, 1]);
      sgd.step();
    },
  },
  { name: 'SGD', valid: () => [{ lr: 0.5 }, 0], call: (options, group) => new optim.SGD([param()]).setOptions(options as object, group as number) },
  { name: 'clipGradNorm', valid: () => [[param()], 1], call: f(optim.clipGradNorm) },
  { name: 'clipGradValue', valid: () => [[param()], 1], call: f(optim.clipGradValue) },
  { name: 'train', valid: () => [dense(), { inputs: m(), targets: m(), loss: nn.mseLoss, optimizer: new optim.SGD(dense().parameters()), epochs: 1 }], call: f(N.fit) },
  { name: 'setGemmThreads', valid: () => [1], call: f(N.setGemmThreads) },
];

/** Where a wrong value goes: (entry, which argument, the value), plus sometimes a second. */
const calls = fc.record({
  entry: fc.integer({ min: 0, max: ENTRIES.length - 1 }),
  position: fc.nat(),
  value: wrong,
  second: fc.option(fc.record({ position: fc.nat(), value: wrong }), { nil: undefined }),
});

let tried = 0;

/** The first call whose failure is not the function's own message, or null. */
function run({ entry, position, value, second }: { entry: number; position: number; value: unknown; second?: { position: number; value: unknown } }): string | null {
  const { name, valid, call } = ENTRIES[entry];
  const args = valid();
  args[position % args.length] = value;
  if (second !== undefined) args[second.position % args.length] = second.value;
  tried++;
  try {
    call(...args);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const own = error instanceof Error && /^[:. ]/.test(message.slice(name.length)) && message.startsWith(name);
    return own ? null : `${name}(${args.map(show).join(', ')}) threw ${error instanceof Error ? error.name : typeof error}: ${message.split('\n')[0]}`;
  }
}

function show(x: unknown): string {
  if (x instanceof N.Tensor) return `tensor ${N.formatShape(x.shape)}`;
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'function' || typeof x === 'symbol') return typeof x;
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

describe('the public API given wrong arguments', () => {
  it('returns, or throws an Error whose message starts with the function name (fast-check, seed 1)', () => {
    const threads = N.gemmThreads();
    try {
      fc.assert(
        fc.property(calls, (c) => {
          const failure = run(c);
          if (failure !== null) throw new Error(failure);
        }),
        { seed: 1, numRuns: 10000 },
      );
    } finally {
      N.setGemmThreads(threads);
    }
    expect(tried).toBeGreaterThanOrEqual(10000);
    console.log(`boundary fuzz: ${tried} calls over ${ENTRIES.length} entries (public functions, methods and constructors)`);
  });
});
