/**
 * The library's public boundary (issue #14, items 10–12): wrong argument types fail with a
 * message naming the function, the argument and what it expects; values that would silently
 * give a wrong result are refused; the GEMM thread count is capped.
 */
import { describe, expect, it } from 'vitest';
import {
  Tensor, argmax, binaryCrossEntropyWithLogits, concat, exp, fit, full, grid2d, nn, optim, randomNormal, rng, setGemmThreads, tensor, where, zeros,
} from '../packages/nnlab/src/index.js';
import { maxGemmThreads } from '../packages/nnlab/src/kernels/backend.js';

/** The message of what `f` throws (fails the test when it returns). */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, got a result');
}

/** Calls `f` with arguments TypeScript would refuse, as a JavaScript caller may. */
const untyped = <F extends (...args: never[]) => unknown>(f: F) => f as unknown as (...args: unknown[]) => ReturnType<F>;
/** A value of any type where a typed one is expected, as a JavaScript caller may pass it. */
const anything = (x: unknown): never => x as never;

describe('wrong argument types name the function, the argument and what it expects (item 10)', () => {
  const a = tensor([[1, 2], [3, 4]]);

  it.each([
    ['zeros(3)', () => untyped(zeros)(3), 'zeros: shape must be an array of non-negative integers, got 3'],
    ['tensor([1n])', () => untyped(tensor)([1n]), 'tensor: expected a number at [0], got the bigint 1n'],
    ["a.sum('0')", () => untyped(a.sum.bind(a))('0'), "sum: axes must be an integer or an array of integers, got the string '0'"],
    ['concat([a, [[1, 2]]])', () => untyped(concat)([a, [[1, 2]]]), 'concat: tensors[1] must be a Tensor, got an array (wrap it with tensor(...))'],
    ['dense.forward([[1, 2]])', () => untyped((x: Tensor) => new nn.Dense(2, 2, { rng: rng(1) }).forward(x))([[1, 2]]), 'dense.forward: x must be a Tensor, got an array (wrap it with tensor(...))'],
    ['where([1], a, a)', () => untyped(where)([1], a, a), 'where: condition must be a Tensor, got an array (wrap it with tensor(...))'],
    ["loss.backward('x')", () => untyped((g: Tensor) => a.clone().requireGrad().sum().backward(g))('x'), "backward: grad must be a Tensor, got the string 'x'"],
    ['new SGD(null)', () => new optim.SGD(anything(null)), 'SGD: params must be an array of parameter tensors or of groups { params, options }, got null'],
    ['new Adam([1])', () => new optim.Adam(anything([1])), 'Adam: params must be an array of parameter tensors or of groups { params, options }; entry 0 is 1'],
    ['loadStateDict(null)', () => new nn.Dense(2, 2, { rng: rng(1) }).loadStateDict(anything(null)), 'loadStateDict: 1 problem:\n  - the state must be an object of tensors by dotted name (as stateDict() returns), got null'],
    ['randomNormal([2])', () => untyped(randomNormal)([2]), 'randomNormal: rng must be a Generator (rng(seed)), got undefined'],
    ['exp([1, 2])', () => untyped(exp)([1, 2]), 'exp: x must be a Tensor, got an array (wrap it with tensor(...))'],
    ['binaryCrossEntropyWithLogits([1], a)', () => untyped(binaryCrossEntropyWithLogits)([1], a), 'binaryCrossEntropyWithLogits: operands must be Tensors or numbers, got an array (wrap it with tensor(...))'],
  ])('%s', (_, call, message) => {
    expect(messageOf(call)).toBe(message);
  });

  it('loadStateDict({ weight: 1 }) lists the entry that is not a tensor with the other problems', () => {
    const dense = new nn.Dense(2, 2, { rng: rng(1) });
    expect(messageOf(() => dense.loadStateDict(anything(({ weight: 1, bias: zeros([2]) }))))).toBe(
      "loadStateDict: 1 problem:\n  - parameter 'weight' must be a Tensor, got 1",
    );
  });

  it('fit(model, options) without an optimizer names it before training anything', () => {
    const model = new nn.Dense(2, 1, { rng: rng(1) });
    const options = { inputs: zeros([4, 2]), targets: zeros([4, 1]), loss: nn.mseLoss, epochs: 1 };
    expect(messageOf(() => fit(model, anything(options)))).toBe(
      'train: optimizer must be an optimiser (e.g. new optim.SGD(model.parameters())), got undefined',
    );
  });
});

describe('values that would silently give a wrong result are refused (item 11)', () => {
  it('tensor([1, , 3]) refuses the hole instead of shifting the values', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(messageOf(() => tensor(anything([1, , 3])))).toBe('tensor: expected a number at [1], got a hole (an empty slot in the array)');
  });

  it('tensor(data, dtype, shape) refuses negative and fractional sizes', () => {
    expect(messageOf(() => tensor(new Float32Array(4), 'float32', [-2, -2]))).toBe('tensor: shape sizes must be non-negative integers, got [-2, -2]');
    expect(messageOf(() => tensor(new Float32Array(4), 'float32', [1.5, 1]))).toBe('tensor: shape sizes must be non-negative integers, got [1.5, 1]');
    expect(messageOf(() => zeros([2, 2 ** 30]))).toBe('zeros: shape [2, 1073741824] holds 2147483648 values, more than a tensor may (2147483647)');
  });

  it('tensor(data, dtype, shape) copies the shape: changing the array later leaves the tensor alone', () => {
    const shape = [2, 2];
    const x = tensor(new Float32Array(4), 'float32', shape);
    shape[0] = 7;
    expect(x.shape).toEqual([2, 2]);
    const nestedShape = [4];
    const y = tensor([1, 2, 3, 4], 'float32', nestedShape);
    nestedShape[0] = 9;
    expect(y.shape).toEqual([4]);
  });

  it('binaryCrossEntropyWithLogits at z = ±Infinity gives the limits ∞ and 0, not NaN', () => {
    const z = tensor([Infinity, -Infinity, Infinity, -Infinity]);
    expect(binaryCrossEntropyWithLogits(z, tensor([0, 1, 1, 0])).toArray()).toEqual([Infinity, Infinity, 0, 0]);
  });

  it('argmax(x) takes NaN as the largest value, and the first NaN of a row, as NumPy', () => {
    expect([tensor([NaN, 1, 2]), tensor([1, NaN, 2]), tensor([3, 1, NaN]), tensor([1, NaN, NaN, 9])].map((x) => argmax(x))).toEqual([[0], [1], [2], [1]]);
    expect(argmax(tensor([[1, NaN, 3], [4, 5, NaN]]), 0)).toEqual([1, 0, 1]);
  });

  it('new SGD([q, q]) and every other optimiser refuse a parameter listed twice, across groups too', () => {
    const q = zeros([2]).requireGrad();
    for (const Optimizer of [optim.SGD, optim.RMSProp, optim.Adam, optim.AdamW]) {
      const name = Optimizer.name;
      expect(messageOf(() => new Optimizer([q, q]))).toBe(`${name}: parameter 1 is listed twice (also as parameter 0); each parameter may appear once`);
      expect(messageOf(() => new Optimizer([{ params: [q] }, { params: [q] }]))).toBe(
        `${name}: parameter 0 of group 1 is listed twice (also as parameter 0 of group 0); each parameter may appear once`,
      );
    }
  });

  it('optimizer.step() refuses a gradient of another shape than its parameter, before moving any parameter', () => {
    const p = tensor([1, 2]).requireGrad();
    const q = tensor([3, 4]).requireGrad();
    p.grad = tensor([1, 1]);
    q.grad = tensor([[1, 1]]);
    const sgd = new optim.SGD([p, q], { lr: 0.5 });
    expect(messageOf(() => sgd.step())).toBe('SGD: the gradient of a parameter of shape [2] has shape [1, 2]; nothing was updated');
    expect([p.toArray(), q.toArray(), sgd.stepCount]).toEqual([[1, 2], [3, 4], 0]);
  });

  it('a learning-rate schedule returning NaN, a negative rate or a non-number is refused with the step', () => {
    const p = tensor([1, 2]).requireGrad();
    p.grad = tensor([1, 1]);
    for (const [rate, shown] of [[NaN, 'NaN'], [-1, '-1'], ['0.1', "the string '0.1'"], [undefined, 'undefined']] as const) {
      const sgd = new optim.SGD([p], { lr: (step) => (step < 2 ? 0.5 : (rate as number)) });
      sgd.step();
      sgd.step();
      expect(messageOf(() => sgd.step())).toBe(`SGD: the learning-rate schedule must return a finite number ≥ 0, got ${shown} at step 2`);
      p.data.set([1, 2]);
    }
  });

  it.each([
    ['rng(1).permutation(-1)', () => rng(1).permutation(-1), 'Generator.permutation: n must be a non-negative integer (at most 2³² − 1), got -1'],
    ['rng(1).permutation(1.5)', () => rng(1).permutation(1.5), 'Generator.permutation: n must be a non-negative integer (at most 2³² − 1), got 1.5'],
    ["full([2], 'abc')", () => untyped(full)([2], 'abc'), "full: value must be a number, got the string 'abc'"],
    ["x.clamp('a', 'b')", () => untyped((min: number, max: number) => tensor([1]).clamp(min, max))('a', 'b'), "clamp: min and max must be numbers (±Infinity for no bound), got min the string 'a' and max the string 'b'"],
    ["grid2d({ dtype: 'int8' })", () => untyped(grid2d)({ dtype: 'int8' }), "grid2d: dtype must be 'float32' or 'float64', got 'int8'"],
  ])('%s is refused', (_, call, message) => {
    expect(messageOf(call)).toBe(message);
  });

  it('loadStateDict refuses float64 values for float32 parameters, as deserializeModel does, and changes nothing', () => {
    const dense = new nn.Dense(1, 1, { rng: rng(1) });
    const before = dense.weight.toArray();
    const state = { weight: tensor([[0.1]], 'float64'), bias: tensor([0.2], 'float64') };
    expect(messageOf(() => dense.loadStateDict(state))).toBe(
      'loadStateDict: 2 problems:\n' +
        "  - parameter 'weight' is float64 but the model's is float32, which would round its values (cast it, or build the model in float64)\n" +
        "  - parameter 'bias' is float64 but the model's is float32, which would round its values (cast it, or build the model in float64)",
    );
    expect(dense.weight.toArray()).toEqual(before);
    dense.loadStateDict({ weight: state.weight.cast('float32'), bias: state.bias.cast('float32') });
    expect(dense.weight.item()).toBe(Math.fround(0.1));
    const wide = new nn.Dense(1, 1, { rng: rng(1), dtype: 'float64' });
    wide.loadStateDict({ weight: tensor([[0.1]]), bias: tensor([0.2]) });
    expect(wide.weight.item()).toBe(Math.fround(0.1));
  });
});

describe('setGemmThreads(n) is capped at 4 × the available cores (item 12)', () => {
  it('refuses more threads than the cap and says the cap', () => {
    const cap = maxGemmThreads();
    expect(messageOf(() => setGemmThreads(1e6))).toMatch(new RegExp(`^setGemmThreads: threads must be at most ${cap} \\(4 × \\d+ available cores\\), got 1000000$`));
    expect(messageOf(() => setGemmThreads(cap + 1))).toContain(`at most ${cap}`);
  });
});
