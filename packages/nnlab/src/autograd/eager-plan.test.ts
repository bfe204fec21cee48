/**
 * Eager kernel ops run by plans recorded once per call shape (eager-plan.ts): a plan must fit
 * only calls it was recorded for, and per-call state (outputs, saved buffers) must stay per call.
 */
import { describe, expect, it } from 'vitest';
import { defineOp, tensor } from '../index.js';
import type { Tensor } from '../index.js';

interface Scale {
  factor: number;
}

const scaleOp = defineOp<'x', Scale>({
  name: 'eagerPlanTestScale',
  inputs: ['x'],
  kernel: {
    shape: ({ x }) => x.shape,
    forward: (k, { x }, out, attrs) => k.map(out, (v: number, a: Scale) => v * a.factor, [x], attrs),
    backward: (k, dy, { grads: { x: dx }, attrs }) => {
      if (dx !== undefined) k.map(dx, (g: number, a: Scale) => g * a.factor, [dy], attrs);
    },
  },
});

/** x³ with x² kept from the forward pass in a scratch buffer, and a scratch buffer in backward. */
const cubeOp = defineOp<'x', undefined, { square: unknown }>({
  name: 'eagerPlanTestCube',
  inputs: ['x'],
  kernel: {
    shape: ({ x }) => x.shape,
    saved: () => ({ square: null }),
    forward: (k, { x }, out, _attrs, saved) => {
      const square = k.scratch(x.shape);
      saved.square = square;
      k.map(square, (v: number) => v * v, [x]);
      k.map(out, (s: number, v: number) => s * v, [square, x]);
    },
    backward: (k, dy, { grads: { x: dx }, saved }) => {
      if (dx === undefined) return;
      const local = k.scratch(dy.shape);
      k.map(local, (s: number) => 3 * s, [saved.square as never]);
      k.map(dx, (g: number, l: number) => g * l, [dy, local]);
    },
  },
});

const values = (t: Tensor | null): number[] => Array.from(t!.data);

describe('eager plans', () => {
  it('follow attributes changed in place between calls, and a gradient uses what its forward saw', () => {
    const x = tensor([1, 2, 3], 'float64').requireGrad();
    const attrs = { factor: 2 };
    const y1 = scaleOp({ x }, attrs);
    attrs.factor = 3;
    const y2 = scaleOp({ x }, attrs);
    expect(values(y1)).toEqual([2, 4, 6]);
    expect(values(y2)).toEqual([3, 6, 9]);
    y1.sum().backward();
    expect(values(x.grad)).toEqual([2, 2, 2]);
  });

  it('a plan recorded for a factor of 0 does not serve −0, nor one for { factor } an object with other keys', () => {
    const x = tensor([-1, 2], 'float64');
    expect(Object.is(scaleOp({ x }, { factor: 0 }).data[0], -0)).toBe(true);
    expect(Object.is(scaleOp({ x }, { factor: -0 }).data[0], 0)).toBe(true);
    const other = { other: 1 } as unknown as Scale; // factor undefined: NaN products
    expect(values(scaleOp({ x }, other))).toEqual([NaN, NaN]);
  });

  it('a plan fits only its shapes and dtype', () => {
    const a = scaleOp({ x: tensor([1, 2], 'float32') }, { factor: 2 });
    const b = scaleOp({ x: tensor([[1], [2], [3]], 'float64') }, { factor: 2 });
    expect([a.shape, a.dtype, values(a)]).toEqual([[2], 'float32', [2, 4]]);
    expect([b.shape, b.dtype, values(b)]).toEqual([[3, 1], 'float64', [2, 4, 6]]);
  });

  it('two calls of one plan keep their own saved buffers until their backward passes', () => {
    const x1 = tensor([1, 2], 'float64').requireGrad();
    const x2 = tensor([3, -1], 'float64').requireGrad();
    const y1 = cubeOp({ x: x1 }, undefined);
    const y2 = cubeOp({ x: x2 }, undefined);
    expect(values(y1)).toEqual([1, 8]);
    expect(values(y2)).toEqual([27, -1]);
    y1.add(y2).sum().backward();
    // d/dx x³ = 3x², each from its own call's x².
    expect(values(x1.grad)).toEqual([3, 12]);
    expect(values(x2.grad)).toEqual([27, 3]);
    // Backward again through new calls: the reused backward scratch holds nothing stale.
    const x3 = tensor([2, 0], 'float64').requireGrad();
    cubeOp({ x: x3 }, undefined).sum().backward();
    expect(values(x3.grad)).toEqual([12, 0]);
  });
});
