import { describe, expect, it } from 'vitest';
import { tensor, optim, Tensor } from '../packages/nnlab/src/index.js';

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
    expect(() => new optim.SGD([p], { nesterov: true })).toThrow('SGD: nesterov needs a momentum above 0, got momentum 0');
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

  it('RMSProp({ epsilonInside: true }): θ ← θ − lr·g/√(v + ε), Keras\'s form, a different step for small gradients', () => {
    const inside = param([0], [1e-4]);
    const outside = param([0], [1e-4]);
    new optim.RMSProp([inside], { lr: 0.01, epsilonInside: true }).step();
    new optim.RMSProp([outside], { lr: 0.01 }).step();
    const v = (1 - 0.9) * 1e-4 * 1e-4;
    expect(inside.data[0]).toBeCloseTo(-(0.01 * 1e-4) / Math.sqrt(v + 1e-7), 16);
    expect(outside.data[0]).toBeCloseTo(-(0.01 * 1e-4) / (Math.sqrt(v) + 1e-7), 16);
    expect(outside.data[0] / inside.data[0]).toBeGreaterThan(3);
    expect(() => new optim.RMSProp([inside], { epsilonInside: 1 as unknown as boolean })).toThrow('RMSProp: epsilonInside must be true or false, got 1');
  });

  it("Adam's bias correction counts each parameter's own updates: one that joins late moves as on its first step", () => {
    const early = param([0], [1]);
    const late = tensor([0], 'float64').requireGrad();
    const opt = new optim.Adam([early, late], { lr: 0.01 });
    for (let i = 0; i < 5; i++) opt.step(); // late has no gradient yet: untouched
    expect(values(late)).toEqual([0]);
    late.grad = tensor([1], 'float64');
    opt.step();
    const fresh = param([0], [1]);
    new optim.Adam([fresh], { lr: 0.01 }).step();
    expect(values(late)).toEqual(values(fresh));
    expect(opt.stepCount).toBe(6);
  });

  it('AdamW decays θ by lr·λ·θ apart from the gradient, then takes Adam\'s step; weightDecay defaults to 0.01', () => {
    const p = param([2], [0.5]);
    new optim.AdamW([p], { lr: 0.1, weightDecay: 0.2 }).step();
    expect(p.data[0]).toBeCloseTo(2 * (1 - 0.1 * 0.2) - 0.1 * (0.5 / (Math.sqrt(0.25) + 1e-8)), 14);
    const q = param([2], [0.5]);
    const coupled = param([2], [0.5]);
    new optim.AdamW([q], { lr: 0.1 }).step();
    new optim.Adam([coupled], { lr: 0.1, weightDecay: 0.01 }).step();
    expect(q.data[0]).toBeCloseTo(2 * (1 - 0.1 * 0.01) - 0.1, 8);
    // Coupled decay goes through Adam's scaling: the gradient 0.5 + 0.02 still makes a step of about lr.
    expect(coupled.data[0]).toBeCloseTo(2 - 0.1, 8);
    expect(() => new optim.AdamW([p], { beta1: 1 })).toThrow('AdamW: beta1 must be in [0, 1), got 1');
  });
});

describe('setOptions(partial, group?)', () => {
  const twoGroups = (): optim.SGD => {
    const w = param([1], [1]);
    const b = param([1], [1]);
    return new optim.SGD([{ params: [w], options: { weightDecay: 0.1 } }, { params: [b] }], { lr: 0.1 });
  };

  it('changes an option of every group when group is omitted, from the next step on', () => {
    const opt = twoGroups();
    opt.setOptions({ lr: 0.5, momentum: 0.9 });
    expect(opt.groups.map((g) => [g.options.lr, g.options.momentum, g.options.weightDecay ?? 0])).toEqual([[0.5, 0.9, 0.1], [0.5, 0.9, 0]]);
    expect(opt.learningRate(1)).toBe(0.5);
  });

  it('changes one group given its index, and leaves the others alone', () => {
    const opt = twoGroups();
    opt.setOptions({ weightDecay: 0 }, 0);
    opt.setOptions({ lr: 0.2 }, 1);
    expect(opt.groups.map((g) => [g.options.lr, g.options.weightDecay ?? 0])).toEqual([[0.1, 0], [0.2, 0]]);
  });

  it('validates as the constructor does, naming the option, the rule, the value and the group', () => {
    const opt = twoGroups();
    expect(() => opt.setOptions({ momentum: 1.5 })).toThrow('SGD: momentum must be in [0, 1), got 1.5 (group 0)');
    expect(() => opt.setOptions({ lr: 0 }, 1)).toThrow('SGD: lr must be a positive finite number or a schedule, got 0 (group 1)');
    expect(() => opt.setOptions({ nesterov: true }, 1)).toThrow('SGD: nesterov needs a momentum above 0, got momentum 0');
    const single = new optim.Adam([param([1], [1])]);
    expect(() => single.setOptions({ beta2: -1 })).toThrow('Adam: beta2 must be in [0, 1), got -1');
  });

  it('rejects unknown option names and group indices out of range', () => {
    const opt = twoGroups();
    expect(() => opt.setOptions({ momentun: 0.9 } as optim.SGDOptions)).toThrow("SGD.setOptions: unknown option 'momentun' (SGD has lr, weightDecay, l1, momentum, nesterov)");
    expect(() => opt.setOptions({ lr: 1 }, 2)).toThrow('SGD.setOptions: group must be an integer in [0, 1], got 2');
    expect(() => opt.setOptions({ lr: 1 }, 0.5)).toThrow('SGD.setOptions: group must be an integer in [0, 1], got 0.5');
  });

  it('changes nothing when any group would be invalid, and skips keys set to undefined', () => {
    const w = param([1], [1]);
    const b = param([1], [1]);
    const opt = new optim.SGD([{ params: [w], options: { momentum: 0.5 } }, { params: [b] }], { lr: 0.1 });
    // nesterov is valid for group 0 (momentum 0.5) but not group 1 (momentum 0): neither changes.
    expect(() => opt.setOptions({ nesterov: true })).toThrow('SGD: nesterov needs a momentum above 0, got momentum 0');
    expect(opt.groups.map((g) => g.options.nesterov)).toEqual([false, false]);
    opt.setOptions({ lr: undefined, momentum: 0.25 });
    expect(opt.groups.map((g) => [g.options.lr, g.options.momentum])).toEqual([[0.1, 0.25], [0.1, 0.25]]);
  });

  it('keeps the optimiser state: momentum carries across the change', () => {
    const p = param([0], [1]);
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    opt.step(); // a = 1, θ = −0.1
    opt.setOptions({ lr: 1 });
    opt.step(); // a = 1.9, θ = −0.1 − 1.9
    expect(p.data[0]).toBeCloseTo(-2, 14);
  });

  it("changes each group's options object in place, so a reference to it sees the change", () => {
    const opt = twoGroups();
    const held = opt.groups[1].options;
    opt.setOptions({ momentum: 0.5 });
    expect(held.momentum).toBe(0.5);
  });

  it('takes a schedule for lr', () => {
    const opt = new optim.SGD([param([0], [1])], { lr: 0.1 });
    opt.setOptions({ lr: optim.schedules.stepDecay(1, 1, 0.5) });
    opt.step();
    expect(opt.learningRate()).toBe(0.5);
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
