/**
 * The chapter's two training programs, rebuilt with the public API: same data, initialisation,
 * loss, optimiser, learning rate and number of full-batch steps as the originals.
 */
import { describe, expect, it } from 'vitest';
import { tensor, nn, optim, fit, noGrad, Generator } from '../packages/nnlab/src/index.js';

const inputs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);

function predictions(model: nn.Module): number[] {
  return Array.from(noGrad(() => model.forward(inputs)).data);
}

describe('logistic regression (chapter program 02)', () => {
  function trainGate(targets: number[]) {
    const model = new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.zeros() });
    const history = fit(model, {
      inputs,
      targets: tensor(targets.map((t) => [t])),
      loss: nn.mseLoss,
      optimizer: new optim.SGD(model.parameters(), { lr: 1.0 }),
      epochs: 500,
    });
    return { model, history };
  }

  it('one sigmoid unit, zero init, MSE, lr 1.0, 500 steps learns OR', () => {
    const { model, history } = trainGate([0, 1, 1, 1]);
    const [p00, p01, p10, p11] = predictions(model);
    expect(p00).toBeLessThan(0.3);
    expect(Math.min(p01, p10, p11)).toBeGreaterThan(0.7);
    // Zero initialisation makes the run deterministic: the first error is exactly 0.25.
    expect(history[0].loss).toBeCloseTo(0.25, 6);
    expect(history[history.length - 1].loss).toBeLessThan(0.05);
  });

  it('the same unit learns AND (the chapter exercise)', () => {
    const { model } = trainGate([0, 0, 0, 1]);
    const [p00, p01, p10, p11] = predictions(model);
    expect(Math.max(p00, p01, p10)).toBeLessThan(0.3);
    expect(p11).toBeGreaterThan(0.7);
  });

  it('cannot learn XOR: no line separates it, so the error stays near 0.25', () => {
    const { history } = trainGate([0, 1, 1, 0]);
    expect(history[history.length - 1].loss).toBeGreaterThan(0.2);
  });
});

describe('two-layer XOR (chapter program 03)', () => {
  const targets = tensor([[0], [1], [1], [0]]);

  function trainXor(seed: number) {
    const rng = new Generator(seed);
    const model = new nn.Sequential({
      hidden: new nn.Dense(2, 2, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
      output: new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
    });
    const history = fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 5.0 }), epochs: 2000 });
    return { model, finalError: history[history.length - 1].loss };
  }

  it('2 sigmoid hidden units, normal(0, 0.3) init, lr 5.0, 2000 steps learns XOR (seed 1)', () => {
    const { model } = trainXor(1);
    const [p00, p01, p10, p11] = predictions(model);
    expect(Math.max(p00, p11)).toBeLessThan(0.1);
    expect(Math.min(p01, p10)).toBeGreaterThan(0.9);
  });

  it('learns XOR from most seeds (measured: 33 of seeds 0–39); some runs get stuck, as the chapter warns', () => {
    const solved = Array.from({ length: 12 }, (_, seed) => trainXor(seed).finalError < 0.01).filter(Boolean).length;
    expect(solved).toBeGreaterThanOrEqual(8);
    expect(solved).toBeLessThan(12);
  });

  it('the same seed gives the same run, bit for bit', () => {
    const a = trainXor(7).model.parameters().map((p) => Array.from(p.data));
    const b = trainXor(7).model.parameters().map((p) => Array.from(p.data));
    expect(a).toEqual(b);
  });
});
