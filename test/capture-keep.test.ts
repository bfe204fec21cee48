import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Generator, fit, nn, optim, randomNormal, tensor } from '../packages/nnlab/src/index.js';
import type { Tensor } from '../packages/nnlab/src/index.js';
import { KEPT_STEP_MAX_VALUES, captureOrReuse, sameTrace } from '../packages/nnlab/src/capture/keep.js';
import { traceStep } from '../packages/nnlab/src/capture/step.js';
import type { CaptureMode } from '../packages/nnlab/src/capture/step.js';

/** The exact bits of a tensor's values. */
function bits(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

function stateBits(model: nn.Module): Record<string, string> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([name, p]) => [name, bits(p)]));
}

const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const T = tensor([[0], [1], [1], [0]]);

/** The chapter's 2-2-1 sigmoid XOR net, from seed 1, and its optimiser. */
function xor(width = 2) {
  const rng = new Generator(1);
  const hidden = new nn.Dense(2, width, { activation: 'sigmoid', rng });
  const model = new nn.Sequential({ hidden, output: new nn.Dense(width, 1, { activation: 'sigmoid', rng }) });
  return { model, hidden, optimizer: new optim.SGD(model.parameters(), { lr: 5 }) };
}

type Loss = (predictions: Tensor, targets: Tensor) => Tensor;

/** captureOrReuse as fit calls it, on the model in training mode. */
function capture(model: nn.Module, optimizer: optim.Optimizer<optim.PenaltyOptions>, options: { loss?: Loss; x?: Tensor; t?: Tensor; mode?: CaptureMode } = {}) {
  const loss = options.loss ?? nn.mseLoss;
  model.train();
  return captureOrReuse({ model, optimizer, inputs: { x: options.x ?? X, t: options.t ?? T }, loss: (i) => loss(model.forward(i.x), i.t), mode: options.mode });
}

describe('captured steps kept between fit calls', () => {
  it('replays the step kept from an earlier call when the loss traces to the same graph', () => {
    const { model, optimizer } = xor();
    const first = capture(model, optimizer);
    expect(capture(model, optimizer)).toBe(first);
    // Another loss function object that traces to the same ops is the same step.
    expect(capture(model, optimizer, { loss: (p, t) => nn.mseLoss(p, t) })).toBe(first);
  });

  it('gives fit the bits of eager training, call after call', () => {
    const kept = xor();
    const eager = xor();
    const options = { inputs: X, targets: T, loss: nn.mseLoss, epochs: 50 };
    for (let call = 0; call < 3; call++) {
      const a = fit(kept.model, { ...options, optimizer: kept.optimizer });
      const b = fit(eager.model, { ...options, optimizer: eager.optimizer, capture: false });
      expect(a.map((e) => e.loss)).toEqual(b.map((e) => e.loss));
      expect(stateBits(kept.model)).toEqual(stateBits(eager.model));
    }
  });

  describe('captures afresh when what the replay depends on changes', () => {
    it('another optimizer', () => {
      const { model, optimizer } = xor();
      const first = capture(model, optimizer);
      expect(capture(model, new optim.SGD(model.parameters(), { lr: 5 }))).not.toBe(first);
    });

    it('a layer in another mode', () => {
      const { model, hidden, optimizer } = xor();
      const first = capture(model, optimizer);
      model.train();
      hidden.eval();
      expect(captureOrReuse({ model, optimizer, inputs: { x: X, t: T }, loss: (i) => nn.mseLoss(model.forward(i.x), i.t) })).not.toBe(first);
    });

    it("a layer's activation, changed in place", () => {
      const { model, hidden, optimizer } = xor();
      const first = capture(model, optimizer);
      (hidden as unknown as { activation: string }).activation = 'tanh';
      expect(capture(model, optimizer)).not.toBe(first);
    });

    it('inputs of another shape', () => {
      const { model, optimizer } = xor();
      const first = capture(model, optimizer);
      expect(capture(model, optimizer, { x: X.gather([0, 1], 0), t: T.gather([0, 1], 0) })).not.toBe(first);
    });

    it('another loss', () => {
      const { model, optimizer } = xor();
      const first = capture(model, optimizer);
      expect(capture(model, optimizer, { loss: (p, t) => nn.mseLoss(p, t).add(nn.mseLoss(p, t)) })).not.toBe(first);
    });

    it('a constant made anew (its array is what a step reads)', () => {
      const { model, optimizer } = xor();
      const scaled: Loss = (p, t) => nn.mseLoss(p, t).mul(tensor(2));
      const first = capture(model, optimizer, { loss: scaled });
      expect(capture(model, optimizer, { loss: scaled })).not.toBe(first);
    });

    it("but not a constant's values changed in place, which a fresh step would read in place too", () => {
      const { model, optimizer } = xor();
      const two = tensor(2);
      const scaled: Loss = (p, t) => nn.mseLoss(p, t).mul(two);
      const first = capture(model, optimizer, { loss: scaled });
      two.data[0] = 3;
      expect(capture(model, optimizer, { loss: scaled })).toBe(first);
    });
  });

  it('fit after such a change trains as eager steps do', () => {
    const kept = xor();
    const eager = xor();
    const options = { inputs: X, targets: T, loss: nn.mseLoss, epochs: 20 };
    fit(kept.model, { ...options, optimizer: kept.optimizer });
    fit(eager.model, { ...options, optimizer: eager.optimizer, capture: false });
    for (const { hidden } of [kept, eager]) (hidden as unknown as { activation: string }).activation = 'tanh';
    const a = fit(kept.model, { ...options, optimizer: kept.optimizer });
    const b = fit(eager.model, { ...options, optimizer: eager.optimizer, capture: false });
    expect(a.map((e) => e.loss)).toEqual(b.map((e) => e.loss));
    expect(stateBits(kept.model)).toEqual(stateBits(eager.model));
  });

  it("keeps no step that replays eagerly (its replay calls the loss it was given)", () => {
    const { model, optimizer } = xor();
    const first = capture(model, optimizer, { mode: 'eager' });
    expect(capture(model, optimizer, { mode: 'eager' })).not.toBe(first);
  });

  it(`keeps no step of more than ${KEPT_STEP_MAX_VALUES} values, whose buffers would outlive the call`, () => {
    const { model, optimizer } = xor(KEPT_STEP_MAX_VALUES / 8);
    const first = capture(model, optimizer);
    expect(capture(model, optimizer)).not.toBe(first);
  });
});

describe('sameTrace', () => {
  const traced = (loss: Loss, model = xor()) =>
    traceStep({ optimizer: model.optimizer, model: model.model, inputs: { x: X, t: T }, loss: (i) => loss(model.model.forward(i.x), i.t) });

  it('compares attributes by value and the parameters by identity', () => {
    const net = xor();
    expect(sameTrace(traced(nn.mseLoss, net), traced(nn.mseLoss, net))).toBe(true);
    expect(sameTrace(traced((p, t) => p.sum([0]).sub(t.sum([0])).sum(), net), traced((p, t) => p.sum([0]).sub(t.sum([0])).sum(), net))).toBe(true);
    expect(sameTrace(traced((p, t) => p.sum([0]).sub(t.sum([0])).sum(), net), traced((p, t) => p.sum([1]).sub(t.sum([1])).sum(), net))).toBe(false);
    // The same architecture and seed, but other parameter tensors.
    expect(sameTrace(traced(nn.mseLoss, net), traced(nn.mseLoss, xor()))).toBe(false);
  });

  it('tells apart graphs of the same shape with another op, or the parameters in each other\'s places', () => {
    const net = xor();
    expect(sameTrace(traced((p, t) => p.sub(t).sum(), net), traced((p, t) => p.add(t).sum(), net))).toBe(false);
    const rng = new Generator(3);
    const [a, b] = [randomNormal([2, 1], rng), randomNormal([2, 1], rng)];
    a.requiresGrad = b.requiresGrad = true;
    const optimizer = new optim.SGD([a, b], { lr: 1 });
    const product = (first: Tensor, second: Tensor) =>
      traceStep({ optimizer, inputs: { x: X }, loss: (i) => i.x.matmul(first).sub(i.x.matmul(second)).sum() });
    expect(sameTrace(product(a, b), product(a, b))).toBe(true);
    expect(sameTrace(product(a, b), product(b, a))).toBe(false);
    // The same tensors in the same order, an op's input wired to another of them.
    const reuse = (last: 'first' | 'second') =>
      traceStep({ optimizer, inputs: { x: X }, loss: (i) => { const [p, q] = [i.x.matmul(a), i.x.matmul(b)]; return p.mul(q).sub(last === 'first' ? p : q).sum(); } });
    expect(sameTrace(reuse('first'), reuse('first'))).toBe(true);
    expect(sameTrace(reuse('first'), reuse('second'))).toBe(false);
  });
});

it('docs/api.md states the size up to which steps are kept', () => {
  const api = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
  expect(api).toContain(`keep a small net's captured steps with the model (up to ${KEPT_STEP_MAX_VALUES.toLocaleString('en')} values`);
});
