/**
 * Whole training runs against PyTorch (fixtures/training.json), in float64: small dense nets
 * from fixed weights, every step's loss and the final parameters, in eager steps and in
 * captureStep's replays. Rounding differences compound over hundreds of steps, so the bound is
 * looser than one op's, and stated here.
 */
import { describe, expect, it } from 'vitest';
import { captureStep, nn, noGrad, optim } from '../../packages/nnlab/src/index.js';
import type { CaptureMode } from '../../packages/nnlab/src/index.js';
import type { Tensor } from '../../packages/nnlab/src/index.js';
import { decode, decodeAll, largestRelativeError, loadFixture, mismatches, toTensor } from './fixtures.js';
import type { Encoded, EncodedTensor } from './fixtures.js';
import { makeOptimizer } from './optimisers.js';
import type { OptimizerKind, ScheduleSpec } from './optimisers.js';

interface LayerSpec {
  in: number;
  out: number;
  activation: nn.ActivationName;
  weight: EncodedTensor;
  bias: EncodedTensor;
}

interface TrainingCase {
  name: string;
  layers: LayerSpec[];
  inputs: EncodedTensor;
  targets: EncodedTensor;
  loss: 'mse' | 'crossEntropy' | 'bceWithLogits';
  optimizer: OptimizerKind;
  options: Record<string, number | boolean>;
  schedule: ScheduleSpec | null;
  clipValue: number | null;
  steps: number;
  /** The loss computed at each step, before its update. */
  losses: Encoded[];
  finalLoss: Encoded;
  /** Every layer's weight then bias, after the last step. */
  finalParams: EncodedTensor[];
}

/**
 * After 150–300 steps of float64 arithmetic in a different order. Measured: losses within 7e-15
 * relative, parameters within 3e-13 (a small ReLU-net weight under RMSProp).
 */
const COMPOUNDED = { rtol: 1e-11, atol: 1e-13 };

const fixture = loadFixture<TrainingCase>('training.json');

function model(c: TrainingCase): nn.Sequential {
  const layers: Record<string, nn.Module> = {};
  c.layers.forEach((spec, i) => {
    const dense = new nn.Dense(spec.in, spec.out, { activation: spec.activation, dtype: 'float64', weightInit: () => toTensor(spec.weight), biasInit: () => toTensor(spec.bias) });
    layers[`layer${i}`] = dense;
  });
  return new nn.Sequential(layers);
}

function lossOf(c: TrainingCase, y: Tensor, t: Tensor): Tensor {
  switch (c.loss) {
    case 'mse': return nn.mseLoss(y, t);
    case 'crossEntropy': return nn.crossEntropyLoss(y, Array.from(t.data));
    case 'bceWithLogits': return nn.bceWithLogitsLoss(y, t);
  }
}

/** The run, step by step as the generator's loop: zero, forward, loss, backward, clip, step. */
function train(c: TrainingCase): { losses: number[]; finalLoss: number; params: Tensor[] } {
  const net = model(c);
  const params = net.parameters();
  const optimizer = makeOptimizer(c.optimizer, params, c.options, c.schedule);
  const x = toTensor(c.inputs);
  const t = toTensor(c.targets);
  const losses: number[] = [];
  for (let step = 0; step < c.steps; step++) {
    optimizer.zeroGrad();
    const loss = lossOf(c, net.forward(x), t);
    loss.backward();
    if (c.clipValue !== null) optim.clipGradValue(params, c.clipValue);
    optimizer.step();
    losses.push(loss.item());
  }
  const finalLoss = noGrad(() => lossOf(c, net.forward(x), t).item());
  return { losses, finalLoss, params };
}

/** The same run through captureStep's replay (runs that clip between backward and step cannot be captured). */
function trainCaptured(c: TrainingCase, mode: CaptureMode): { losses: number[]; params: Tensor[] } {
  const net = model(c);
  const params = net.parameters();
  const optimizer = makeOptimizer(c.optimizer, params, c.options, c.schedule);
  const step = captureStep({ model: net, optimizer, mode, inputs: { x: toTensor(c.inputs), t: toTensor(c.targets) }, loss: (i) => lossOf(c, net.forward(i.x), i.t) });
  const losses = Array.from({ length: c.steps }, () => step.run());
  return { losses, params };
}

describe(`training runs against PyTorch ${fixture.torch} (float64, ${fixture.cases.length} runs)`, () => {
  for (const c of fixture.cases) {
    it(`${c.name}: every step's loss and the final parameters`, () => {
      const { losses, finalLoss, params } = train(c);
      expect(mismatches(losses, decodeAll(c.losses), COMPOUNDED)).toEqual([]);
      expect(mismatches([finalLoss], [decode(c.finalLoss)], COMPOUNDED)).toEqual([]);
      expect(params.map((p) => p.shape.join('x'))).toEqual(c.finalParams.map((p) => p.shape.join('x')));
      params.forEach((p, i) => expect(mismatches(p.data, decodeAll(c.finalParams[i].values), COMPOUNDED), `parameter ${i}`).toEqual([]));
    });
  }

  for (const c of fixture.cases.filter((c) => c.clipValue === null)) {
    for (const mode of ['compiled', 'closures'] as const) {
      it(`${c.name}: captured (${mode}), every step's loss and the final parameters`, () => {
        const { losses, params } = trainCaptured(c, mode);
        expect(mismatches(losses, decodeAll(c.losses), COMPOUNDED)).toEqual([]);
        params.forEach((p, i) => expect(mismatches(p.data, decodeAll(c.finalParams[i].values), COMPOUNDED), `parameter ${i}`).toEqual([]));
      });
    }
  }

  it('every loss and final parameter of every run is within 1e-12 relative of PyTorch\'s', () => {
    const worst = fixture.cases.map((c) => {
      const { losses, params } = train(c);
      return Math.max(largestRelativeError(losses, decodeAll(c.losses)), ...params.map((p, i) => largestRelativeError(p.data, decodeAll(c.finalParams[i].values))));
    });
    expect(Math.max(...worst)).toBeLessThan(1e-12);
  });
});
