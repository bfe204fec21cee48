/** Behaviour of creation, formatting, autograd and the ops, and the exact text of their errors. */
import { describe, expect, it } from 'vitest';
import {
  add,
  arange,
  argmax,
  binaryCrossEntropy,
  broadcastTo,
  concat,
  exp,
  eye,
  full,
  gather,
  grad,
  grid2d,
  isGradEnabled,
  linspace,
  matmul,
  mul,
  noGrad,
  oneHot,
  ones,
  reshape,
  scalar,
  slice,
  softmax,
  square,
  sum,
  tensor,
  transpose,
  valueAndGrad,
  zeros,
} from '../packages/nnlab/src/index.js';
import type { NestedArray, Tensor } from '../packages/nnlab/src/index.js';
import { expectAllClose, f64, messageOf } from './helpers.js';

describe('creation', () => {
  it('tensor(nested arrays) infers the shape and stores values row-major, as float32 by default', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("tensor(values, 'float64') stores float64, and a plain number is a rank-0 tensor", () => {
    expect(tensor([0.1], 'float64').data[0]).toBe(0.1);
    expect(tensor(7).shape).toEqual([]);
    expect(scalar(7).item()).toBe(7);
  });

  it('tensor(typedArray, dtype, shape) copies the values into the given shape', () => {
    const source = new Float64Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(source, 'float32', [3, 2]);
    source[0] = 100;
    expect(t.shape).toEqual([3, 2]);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('tensor() on a ragged array names the row, its length and the expected length', () => {
    expect(messageOf(() => tensor([[1, 2, 3], [4, 5]]))).toBe('tensor: ragged nested array: the row at [1] has 2 entries, expected 3');
    expect(messageOf(() => tensor([1, [2]]))).toBe('tensor: ragged nested array: expected a number at [1], got an array');
    expect(messageOf(() => tensor([[1, 2], 3]))).toBe('tensor: expected an array at [1], got 3');
  });

  it('tensor(values, dtype, shape) rejects a shape the values do not fill', () => {
    expect(messageOf(() => tensor([1, 2, 3, 4, 5, 6], 'float32', [4, 2]))).toBe('tensor: 6 values do not fill shape [4, 2]');
  });

  it('zeros, ones and full fill the shape with one value in the requested dtype', () => {
    expect(zeros([2, 2]).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    const f = full([2, 1], 2.5, 'float64');
    expect(f.dtype).toBe('float64');
    expect(f.toArray()).toEqual([[2.5], [2.5]]);
    expect(messageOf(() => full([2, -1], 0))).toBe('full: shape sizes must be non-negative integers, got [2, -1]');
  });

  it('linspace(start, stop, n) includes both endpoints exactly', () => {
    const a = linspace(0.1, 0.7, 7, 'float64');
    expect(a.data[0]).toBe(0.1);
    expect(a.data[6]).toBe(0.7);
    expectAllClose(a, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], { atol: 1e-15 });
    expect(linspace(-1, 1, 11).data[10]).toBe(1);
    expect(linspace(3, 5, 1).toArray()).toEqual([3]);
    expect(linspace(3, 5, 0).shape).toEqual([0]);
  });

  it('arange(n) is 0..n−1 and arange(start, stop, step) excludes stop', () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(3, 0, -1).toArray()).toEqual([3, 2, 1]);
    expect(arange(2, 2).shape).toEqual([0]);
    expect(messageOf(() => arange(0, 1, 0))).toBe('arange: step must be a nonzero finite number, got 0');
  });

  it('eye(n, m) has ones on the main diagonal and zeros elsewhere', () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it("oneHot(indices, depth) puts a 1 in each row's class column and keeps a tensor's index shape", () => {
    expect(oneHot([0, 2], 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(oneHot(tensor([[0, 1], [2, 0]]), 3).shape).toEqual([2, 2, 3]);
    expect(messageOf(() => oneHot([0, 3], 3))).toBe('oneHot: class index 3 at position 1 is outside [0, 2]');
  });

  it('grid2d({ resolution: n }): point r·n + c is (x0 = c-th value, x1 = r-th value)', () => {
    const n = 3;
    const x0 = [-1, 0, 1];
    const x1 = [10, 15, 20];
    const grid = grid2d({ resolution: n, x0Range: [-1, 1], x1Range: [10, 20], dtype: 'float64' });
    expect(grid.shape).toEqual([n * n, 2]);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        expect([grid.data[(r * n + c) * 2], grid.data[(r * n + c) * 2 + 1]]).toEqual([x0[c], x1[r]]);
      }
    }
  });

  it('toArray() round-trips through tensor() for ranks 0 to 3', () => {
    const cases: NestedArray[] = [
      4,
      [1, 2, 3],
      [
        [1, 2],
        [3, 4],
      ],
      [
        [[1], [2]],
        [[3], [4]],
        [[5], [6]],
      ],
    ];
    for (const values of cases) expect(tensor(values).toArray()).toEqual(values);
  });
});

describe('formatting', () => {
  it('toString() shows the shape, the dtype and aligned values', () => {
    expect(tensor([[1.5, 2], [3, 4]]).toString()).toBe('Tensor(shape=[2, 2], dtype=float32)\n[[1.5,   2],\n [  3,   4]]');
    expect(scalar(3, 'float64').toString()).toBe('Tensor(shape=[], dtype=float64)\n3');
  });

  it('toString() of a 100×100 tensor is truncated with ... on both axes', () => {
    const text = arange(10_000).reshape([100, 100]).toString();
    const lines = text.split('\n');
    expect(lines[0]).toBe('Tensor(shape=[100, 100], dtype=float32)');
    expect(lines.length).toBeLessThan(10);
    expect(lines[1]).toBe('[[   0,    1,    2, ...,   97,   98,   99],');
    expect(lines).toContain(' ...,');
    expect(text).not.toContain('5000');
  });
});

describe('error messages name the op, the rule and the shapes', () => {
  it('matmul(a, b) with different inner dimensions', () => {
    expect(messageOf(() => matmul(zeros([2, 3]), zeros([4, 2])))).toBe('matmul: inner dimensions differ: a [2, 3] × b [4, 2]');
    expect(messageOf(() => matmul(zeros([3]), zeros([3, 2])))).toBe('matmul: both operands need rank 2 or more: a [3] × b [3, 2]');
  });

  it('add(a, b) with shapes that cannot broadcast, from the function and the method alike', () => {
    const message = 'add: shapes cannot broadcast: a [2, 3] and b [4] (axis -1 has sizes 3 and 4)';
    expect(messageOf(() => add(zeros([2, 3]), zeros([4])))).toBe(message);
    expect(messageOf(() => zeros([2, 3]).add(zeros([4])))).toBe(message);
    expect(messageOf(() => mul(zeros([2, 3]), zeros([2, 2])))).toBe('mul: shapes cannot broadcast: a [2, 3] and b [2, 2] (axis -1 has sizes 3 and 2)');
  });

  it('broadcastTo(x, shape) to a shape x does not broadcast to', () => {
    expect(messageOf(() => broadcastTo(zeros([2, 3]), [3]))).toBe('broadcastTo: cannot broadcast [2, 3] to [3]');
    expect(messageOf(() => broadcastTo(zeros([2]), [3]))).toBe('broadcastTo: shapes cannot broadcast: x [2] and shape [3] (axis -1 has sizes 2 and 3)');
  });

  it('reshape(x, shape) to a shape of another size, or with a bad -1', () => {
    expect(messageOf(() => reshape(zeros([2, 3]), [4, 2]))).toBe('reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)');
    expect(messageOf(() => reshape(zeros([2, 3]), [4, -1]))).toBe(
      'reshape: cannot reshape [2, 3] (6 elements) to [4, -1]: 6 is not a multiple of 4, so the -1 cannot be inferred',
    );
    expect(messageOf(() => reshape(zeros([2, 3]), [-1, -1]))).toBe('reshape: cannot reshape [2, 3] (6 elements) to [-1, -1]: only one size may be -1');
  });

  it('slice(x, begin, end) out of range', () => {
    expect(messageOf(() => slice(zeros([2, 3]), [0, 0], [2, 5]))).toBe('slice: axis 1 of [2, 3] needs 0 ≤ begin ≤ end ≤ 3, got begin 0 and end 5');
    expect(messageOf(() => slice(zeros([2, 3]), [-3]))).toBe('slice: axis 0 of [2, 3] needs 0 ≤ begin ≤ end ≤ 2, got begin -3 and end 2');
    expect(messageOf(() => slice(zeros([2, 3]), [0, 0, 0]))).toBe('slice: got 3 positions for a rank-2 tensor [2, 3]');
  });

  it('gather(x, indices) with an index out of range', () => {
    expect(messageOf(() => gather(zeros([3, 2]), [0, 3]))).toBe('gather: index 3 is out of range for axis 0 of size 3 (x [3, 2])');
    expect(messageOf(() => gather(zeros([3, 2]), [-1]))).toBe('gather: index -1 is out of range for axis 0 of size 3 (x [3, 2])');
    expect(messageOf(() => gather(zeros([3, 2]), [0.5], 1))).toBe('gather: index 0.5 is out of range for axis 1 of size 2 (x [3, 2])');
  });

  it('concat(tensors, axis) with sizes that differ outside the axis', () => {
    expect(messageOf(() => concat([zeros([2, 3]), zeros([2, 4])]))).toBe(
      'concat: tensor 1 has shape [2, 4], which does not match [2, 3] outside axis 0',
    );
    expect(messageOf(() => concat([]))).toBe('concat: needs at least one tensor, got none');
  });

  it('softmax(x, axis), reductions and argmax with an axis out of range', () => {
    expect(messageOf(() => softmax(zeros([2, 3]), 2))).toBe('softmax: axis must be an integer in [-2, 1] for shape [2, 3], got 2');
    expect(messageOf(() => softmax(zeros([]), -1))).toBe('softmax: shape [] has no axes, got axis -1');
    expect(messageOf(() => sum(zeros([2, 3]), -3))).toBe('sum: axis must be an integer in [-2, 1] for shape [2, 3], got -3');
    expect(messageOf(() => sum(zeros([2, 3]), [1, -1]))).toBe('sum: axes [1, -1] name the same axis twice for shape [2, 3]');
    expect(messageOf(() => argmax(zeros([2, 3]), 2))).toBe('argmax: axis must be an integer in [-2, 1] for shape [2, 3], got 2');
  });

  it('transpose(x, perm) with a perm that is not a permutation', () => {
    expect(messageOf(() => transpose(zeros([2, 3]), [0, 0]))).toBe(
      'transpose: perm must be a permutation of [0, …, 1] for shape [2, 3], got [0, 0]',
    );
  });

  it('binaryCrossEntropy(p, t) with targets of another shape', () => {
    expect(messageOf(() => binaryCrossEntropy(zeros([2, 3]), zeros([3])))).toBe(
      'binaryCrossEntropy: predictions [2, 3] and targets [3] must have the same shape',
    );
  });

  it('backward() on a non-scalar without a seed, with a wrong seed, or without gradients', () => {
    expect(messageOf(() => zeros([2, 3]).requireGrad().mul(2).backward())).toBe(
      'backward: a seed gradient is needed for a non-scalar tensor of shape [2, 3]; pass one of the same shape, or reduce to a scalar first (e.g. .sum())',
    );
    expect(messageOf(() => zeros([2, 3]).requireGrad().sum().backward(zeros([2])))).toBe(
      'backward: seed gradient shape [2] differs from tensor shape []',
    );
    expect(messageOf(() => zeros([2, 3]).sum().backward())).toBe(
      'backward: this tensor does not require gradients: no input of the computation had requiresGrad set (or it was computed inside noGrad)',
    );
  });

  it('item() on a tensor of more than one element', () => {
    expect(messageOf(() => zeros([2, 3]).item())).toBe('item: tensor must have exactly one element, got shape [2, 3]');
  });
});

describe('autograd', () => {
  it('add(float32, float64) is float64 and the gradient reaches the float32 leaf in float32', () => {
    const a = tensor([1, 2]).requireGrad();
    const b = f64([3, 4]).requireGrad();
    const y = mul(a, b);
    expect(y.dtype).toBe('float64');
    expect(add(a, b).dtype).toBe('float64');
    expect(tensor([1]).add(0.1).dtype).toBe('float32');
    y.sum().backward();
    expect(a.grad?.dtype).toBe('float32');
    expectAllClose(a.grad as Tensor, [3, 4], { atol: 0 });
    expect(b.grad?.dtype).toBe('float64');
    expectAllClose(b.grad as Tensor, [1, 2], { atol: 0 });
  });

  it('x·x accumulates both paths: d/dx Σ x·x = 2x', () => {
    const x = f64([1, -2, 3]).requireGrad();
    sum(mul(x, x)).backward();
    expectAllClose(x.grad as Tensor, [2, -4, 6], { atol: 0 });
  });

  it('x used in two branches receives the sum of both: d/dx Σ (eˣ + 3x) = eˣ + 3', () => {
    const x = f64([0, 1]).requireGrad();
    sum(add(exp(x), mul(x, 3))).backward();
    expectAllClose(x.grad as Tensor, [1 + 3, Math.E + 3], { atol: 1e-15 });
  });

  it('backward() twice accumulates into .grad', () => {
    const x = f64([1, 2]).requireGrad();
    const y = sum(square(x));
    y.backward();
    y.backward();
    expectAllClose(x.grad as Tensor, [4, 8], { atol: 0 });
  });

  it('noGrad(fn) builds no graph and restores recording afterwards, even when fn throws', () => {
    const x = f64([1, 2]).requireGrad();
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return sum(mul(x, 2));
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(isGradEnabled()).toBe(true);
    expect(mul(x, 2).requiresGrad).toBe(true);
  });

  it('backward() through a chain of 10,000 ops does not overflow the stack', () => {
    const x = f64([0.5]).requireGrad();
    let y = x;
    for (let i = 0; i < 10_000; i++) y = i % 2 === 0 ? y.add(1) : y.mul(1);
    y.sum().backward();
    expect(y.item()).toBe(5000.5);
    expectAllClose(x.grad as Tensor, [1], { atol: 0 });
  });

  it("valueAndGrad(f)(args) and grad(f)(args) leave the arguments' .grad untouched", () => {
    const f = (a: Tensor, b: Tensor): Tensor => sum(mul(square(a), b));
    const a = f64([1, 2]).requireGrad();
    const b = f64([3, 4]);
    const marker = f64([10, 10]);
    a.grad = marker;

    const { value, grads } = valueAndGrad(f)(a, b);
    expect(value.item()).toBe(1 * 3 + 4 * 4);
    expect(value.requiresGrad).toBe(false);
    expectAllClose(grads[0], [6, 16], { atol: 0 });
    expectAllClose(grads[1], [1, 4], { atol: 0 });
    expect(grad(f)(a, b).map((g) => g.toArray())).toEqual([
      [6, 16],
      [1, 4],
    ]);

    expect(a.grad).toBe(marker);
    expect(marker.toArray()).toEqual([10, 10]);
    expect(b.grad).toBeNull();
  });

  it('grad(f)(x) is zero when f ignores x', () => {
    const [g] = grad((_x: Tensor) => scalar(1, 'float64'))(f64([1, 2, 3]));
    expect(g.toArray()).toEqual([0, 0, 0]);
  });
});

describe('argmax', () => {
  it('argmax(x) picks the largest along the last axis; the first index wins ties', () => {
    const x = tensor([
      [1, 3, 2],
      [5, 0, 5],
    ]);
    expect(argmax(x)).toEqual([1, 0]);
    expect(x.argmax(-1)).toEqual([1, 0]);
  });

  it('argmax(x, axis) along another axis lists one index per remaining position, row-major', () => {
    const x = tensor([
      [1, 3, 2],
      [5, 0, 5],
    ]);
    expect(argmax(x, 0)).toEqual([1, 0, 1]);
    const cube = reshape(tensor([0, 9, 1, 8, 7, 2, 6, 3]), [2, 2, 2]);
    expect(argmax(cube, 1)).toEqual([1, 0, 0, 1]);
  });
});
