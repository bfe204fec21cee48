import { describe, expect, it } from 'vitest';
import { tensor, optim, Tensor } from '../src/index.js';

/** A float64 parameter with a fixed gradient. */
function param(values: number[], grad: number[]): Tensor {
  const p = tensor(values, 'float64').requireGrad();
  p.grad = tensor(grad, 'float64');
  return p;
}

function values(p: Tensor): number[] {
  return Array.from(p.data);
}

describe('SGD', () => {
  it('step() moves θ by −lr·g', () => {
    const p = param([1, 2], [0.5, -1]);
    new optim.SGD([p], { lr: 0.1 }).step();
    expect(values(p)).toEqual([1 - 0.05, 2 + 0.1]);
  });

  it("momentum follows TensorFlow's update: a ← m·a + g; θ ← θ − lr·a", () => {
    const p = param([0], [1]);
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    let a = 0;
    let theta = 0;
    for (let step = 0; step < 3; step++) {
      opt.step();
      a = 0.9 * a + 1;
      theta -= 0.1 * a;
      expect(p.data[0]).toBeCloseTo(theta, 14);
    }
  });

  it('Nesterov momentum moves θ by −lr·(g + m·a)', () => {
    const p = param([0], [1]);
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true });
    opt.step();
    expect(p.data[0]).toBeCloseTo(-0.1 * (1 + 0.9 * 1), 14);
    opt.step();
    expect(p.data[0]).toBeCloseTo(-0.19 - 0.1 * (1 + 0.9 * 1.9), 14);
  });

  it('weightDecay adds λ·θ and l1 adds λ·sign(θ) to the gradient', () => {
    const p = param([2, -2], [0, 0]);
    new optim.SGD([p], { lr: 0.5, weightDecay: 0.1 }).step();
    expect(values(p)).toEqual([2 - 0.5 * 0.2, -2 + 0.5 * 0.2]);
    const q = param([2, -2], [0, 0]);
    new optim.SGD([q], { lr: 0.5, l1: 0.1 }).step();
    expect(values(q)).toEqual([2 - 0.05, -2 + 0.05]);
  });

  it('parameter groups override options: weights decay, biases do not', () => {
    const w = param([1], [0]);
    const b = param([1], [0]);
    new optim.SGD([{ params: [w], options: { weightDecay: 1 } }, { params: [b] }], { lr: 0.1 }).step();
    expect(values(w)).toEqual([0.9]);
    expect(values(b)).toEqual([1]);
  });

  it('a schedule sets the learning rate from the step count', () => {
    const p = param([0], [1]);
    const opt = new optim.SGD([p], { lr: optim.schedules.stepDecay(1, 2, 0.5) });
    const rates: number[] = [];
    for (let i = 0; i < 5; i++) {
      rates.push(opt.learningRate());
      opt.step();
    }
    expect(rates).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(p.data[0]).toBeCloseTo(-3.25, 14);
  });

  it('zeroGrad() clears gradients and parameters without a gradient are skipped', () => {
    const p = param([1], [1]);
    const opt = new optim.SGD([p], { lr: 1 });
    opt.zeroGrad();
    expect(p.grad).toBeNull();
    opt.step();
    expect(values(p)).toEqual([1]);
  });

  it('rejects bad options by name and value', () => {
    const p = param([1], [1]);
    expect(() => new optim.SGD([p], { lr: -1 })).toThrow('SGD: lr must be a positive finite number or a schedule, got -1');
    expect(() => new optim.SGD([p], { momentum: 1 })).toThrow('SGD: momentum must be in [0, 1), got 1');
    expect(() => new optim.SGD([p], { nesterov: true })).toThrow('SGD: nesterov needs a momentum above 0');
    expect(() => new optim.Adam([p], { beta2: 1.5 })).toThrow('Adam: beta2 must be in [0, 1), got 1.5');
    expect(() => new optim.SGD([tensor([1])])).toThrow('SGD: parameter 0 is not a leaf tensor that requires gradients');
  });
});

describe('Adam and RMSProp', () => {
  it('Adam: the first step moves each parameter by about lr against its gradient sign (bias correction)', () => {
    const p = param([1, 1], [3, -0.01]);
    new optim.Adam([p], { lr: 0.01 }).step();
    expect(p.data[0]).toBeCloseTo(0.99, 6);
    expect(p.data[1]).toBeCloseTo(1.01, 5);
  });

  it('Adam matches the update written out for two steps', () => {
    const p = param([0.5], [0.2]);
    const opt = new optim.Adam([p], { lr: 0.1, beta1: 0.8, beta2: 0.9, eps: 1e-8 });
    let m = 0;
    let v = 0;
    let theta = 0.5;
    for (let t = 1; t <= 2; t++) {
      opt.step();
      m = 0.8 * m + 0.2 * 0.2;
      v = 0.9 * v + 0.1 * 0.04;
      theta -= (0.1 * (m / (1 - 0.8 ** t))) / (Math.sqrt(v / (1 - 0.9 ** t)) + 1e-8);
      expect(p.data[0]).toBeCloseTo(theta, 14);
    }
  });

  it('RMSProp: v ← ρv + (1 − ρ)g²; θ ← θ − lr·g/(√v + ε)', () => {
    const p = param([1], [2]);
    new optim.RMSProp([p], { lr: 0.01, rho: 0.9, eps: 1e-7 }).step();
    const v = 0.1 * 4;
    expect(p.data[0]).toBeCloseTo(1 - (0.01 * 2) / (Math.sqrt(v) + 1e-7), 14);
  });
});

describe('clipping', () => {
  it('clipGradNorm returns the norm before clipping and scales all gradients to maxNorm', () => {
    const a = param([0], [3]);
    const b = param([0], [4]);
    expect(optim.clipGradNorm([a, b], 1)).toBeCloseTo(5, 14);
    expect(values(a.grad!)).toEqual([0.6000000000000001]);
    expect(values(b.grad!)[0]).toBeCloseTo(0.8, 15);
    expect(optim.globalGradNorm([a, b])).toBeCloseTo(1, 14);
  });

  it('clipGradNorm leaves gradients below maxNorm unchanged', () => {
    const a = param([0], [0.3]);
    expect(optim.clipGradNorm([a], 1)).toBeCloseTo(0.3, 15);
    expect(values(a.grad!)).toEqual([0.3]);
  });

  it('clipGradValue clamps each element and returns the norm before clipping', () => {
    const a = param([0, 0, 0], [3, -4, 0.5]);
    expect(optim.clipGradValue([a], 1)).toBeCloseTo(Math.sqrt(9 + 16 + 0.25), 14);
    expect(values(a.grad!)).toEqual([1, -1, 0.5]);
  });
});

describe('schedules', () => {
  it('are plain functions of the step', () => {
    expect(optim.schedules.exponentialDecay(1, 0.5, 10)(20)).toBeCloseTo(0.25, 15);
    expect(optim.schedules.cosineDecay(1, 10)(10)).toBeCloseTo(0, 15);
    expect(optim.schedules.cosineDecay(1, 10)(5)).toBeCloseTo(0.5, 15);
    expect(optim.schedules.linearWarmup(optim.schedules.constant(1), 4)(1)).toBe(0.5);
  });
});
