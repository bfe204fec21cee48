/**
 * An op defined outside nnlab, through its public API only: softsign(x) = x / (1 + |x|),
 * defined once as scalar functions, is differentiable, gradient-checked, usable as a dense
 * layer's activation, and captured steps replay it bit for bit, without touching nnlab's files.
 */
import { describe, expect, it } from 'vitest';
import { Generator, assertGradients, captureStep, defineElementwise, nn, optim, randomNormal, registeredOps, tensor } from '../packages/nnlab/src/index.js';
import type { CaptureMode, Tensor } from '../packages/nnlab/src/index.js';
import { messageOf } from './helpers.js';

const softsignOp = defineElementwise<'x'>({
  name: 'softsign',
  inputs: ['x'],
  forward: (x: number) => x / (1 + Math.abs(x)),
  // d/dx x / (1 + |x|) = 1 / (1 + |x|)²
  grad: { x: (g: number, x: number) => g / ((1 + Math.abs(x)) * (1 + Math.abs(x))) },
  activation: { range: [-1, 1] },
});
const softsign = (x: Tensor): Tensor => softsignOp({ x }, undefined);

/** A 3-8-8-2 net with softsign hidden layers, seeded. */
function net(dtype: 'float32' | 'float64' = 'float32'): nn.Sequential {
  const rng = new Generator(5);
  return new nn.Sequential({
    a: new nn.Dense(3, 8, { activation: 'softsign', rng, dtype }),
    b: new nn.Dense(8, 8, { activation: 'softsign', rng, dtype }),
    out: new nn.Dense(8, 2, { rng, dtype }),
  });
}

const batch = (dtype: 'float32' | 'float64') => {
  const rng = new Generator(6);
  return { x: randomNormal([16, 3], rng, 0, 1, dtype), t: randomNormal([16, 2], rng, 0, 1, dtype) };
};

describe('a user op: softsign from defineElementwise', () => {
  it('softsign(x) = x / (1 + |x|), and is registered like nnlab’s own ops', () => {
    expect(Array.from(softsign(tensor([-3, 0, 1])).data)).toEqual([-0.75, 0, 0.5]);
    expect(registeredOps().get('softsign')?.kernel).toBeDefined();
  });

  it('passes the numeric gradient check (float64, central differences)', () => {
    const x = tensor([-2.5, -0.3, 0.4, 1.7, 3], 'float64');
    assertGradients('softsign', softsign, [x]);
    assertGradients('softsign with broadcasting', (a, b) => softsign(a.mul(b)), [tensor([[0.5], [-1.5]], 'float64'), tensor([0.3, -0.7, 2], 'float64')]);
  });

  it("is a dense layer's activation by name, fused into the layer's one op, and nn.Activation applies it", () => {
    const model = net();
    const x = batch('float32').x;
    const fused = model.forward(x);
    const { a } = Object.fromEntries(model.namedModules()) as { a: nn.Dense };
    const z = x.matmul(a.weight).add(a.bias!);
    expect(Array.from(a.forward(x).data)).toEqual(Array.from(softsign(z).data));
    expect(Array.from(new nn.Activation('softsign').forward(z).data)).toEqual(Array.from(softsign(z).data));
    expect(fused.shape).toEqual([16, 2]);
  });

  for (const mode of ['compiled', 'closures'] as CaptureMode[]) {
    it(`captureStep replays it bit for bit against eager steps (${mode}, float32 and float64, 25 Adam steps)`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const { x, t } = batch(dtype);
        const eagerModel = net(dtype);
        const eagerOpt = new optim.Adam(eagerModel.parameters(), { lr: 0.01 });
        const capturedModel = net(dtype);
        const step = captureStep({
          loss: (i) => nn.mseLoss(capturedModel.forward(i.x), i.t),
          optimizer: new optim.Adam(capturedModel.parameters(), { lr: 0.01 }),
          inputs: { x, t },
          model: capturedModel,
          mode,
        });
        expect(step.ops).toEqual(['linear', 'linear', 'linear', 'squaredDifference', 'mean']);
        for (let s = 0; s < 25; s++) {
          eagerOpt.zeroGrad();
          const loss = nn.mseLoss(eagerModel.forward(x), t);
          loss.backward();
          eagerOpt.step();
          expect(step.run()).toBe(loss.item());
        }
        const params = (m: nn.Module) => m.parameters().map((p) => Array.from(p.data));
        expect(params(capturedModel)).toEqual(params(eagerModel));
      }
    });
  }

  it('trains: 200 full-batch SGD steps lower the loss of a softsign net by more than half', () => {
    const { x, t } = batch('float32');
    const model = net();
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const step = captureStep({ loss: (i) => nn.mseLoss(model.forward(i.x), i.t), optimizer: opt, inputs: { x, t }, model });
    const first = step.run();
    let last = first;
    for (let s = 0; s < 200; s++) last = step.run();
    expect(last).toBeLessThan(first / 2);
  });

  it('a second op of the same name is refused, naming it', () => {
    expect(messageOf(() => defineElementwise({ name: 'softsign', inputs: ['x'], forward: (x: number) => x, grad: { x: (g: number) => g } }))).toBe(
      "defineOp: an op named 'softsign' already exists",
    );
  });
});
