/**
 * Chapter program 06: the XOR net trained with binary cross entropy computed from the logits,
 * and why: the naive formula on a float32 sigmoid returns Infinity (and NaN gradients) once the
 * sigmoid rounds to exactly 0 or 1, while the stable form stays finite.
 */
import { Generator, binaryCrossEntropyWithLogits, grad, nn, sigmoid, tensor } from 'nnlab';
import type { Tensor } from 'nnlab';
import { gate } from '../datasets/gates.js';
import { heatMap, twoLayerOptions } from './common.js';
import { targetTensor, train } from './training.js';
import { hiddenMaps, twoLayerNet } from './two-layer.js';
import type { Experiment } from './types.js';
import { tableItem } from './items.js';

const schema = twoLayerOptions(2);

/** Logits where a float32 sigmoid is exact, close to saturation, and saturated. */
const PROBE_LOGITS = [-200, -100, -30, -20, -16, -10, 0, 10, 16, 20, 30, 100, 200];

/** −t·ln σ(z) − (1 − t)·ln(1 − σ(z)) on a float32 σ, as a naive implementation would compute it. */
function naiveBce(z: Tensor, t: number): Tensor {
  const p = sigmoid(z);
  return p.log().mul(-t).sub(p.neg().add(1).log().mul(1 - t));
}

/** The naive and the stable loss (and their gradients) at each probe logit, in float32. */
export function saturationTable(): Record<string, number | string>[] {
  const row = (z: number, t: number) => {
    const x = tensor([z]);
    const [naiveGrad] = grad((v: Tensor) => naiveBce(v, t).sum())(x);
    const [stableGrad] = grad((v: Tensor) => binaryCrossEntropyWithLogits(v, tensor([t])).sum())(x);
    // JSON has no Infinity or NaN: they are spelled out ('Infinity', 'NaN'), which tables show as ∞ and NaN.
    const json = (v: number) => (Number.isFinite(v) ? v : String(v));
    return {
      logit: z,
      target: t,
      sigmoid: json(sigmoid(x).item()),
      naive: json(naiveBce(x, t).item()),
      naiveGradient: json(naiveGrad.item()),
      stable: json(binaryCrossEntropyWithLogits(x, tensor([t])).item()),
      stableGradient: json(stableGrad.item()),
    };
  };
  return PROBE_LOGITS.flatMap((z) => [row(z, 0), row(z, 1)]);
}

export const bceLogits: Experiment<typeof schema> = {
  name: 'bce-logits',
  kind: 'training',
  sweepable: true,
  continuable: true,
  description: 'the XOR net trained with cross entropy on logits, and why the naive formula breaks in float32',
  explanation:
    'A float32 sigmoid rounds to exactly 1 once the logit passes about 17 (and to exactly 0 below about −104), so the ' +
    'naive cross entropy takes ln 0 = −Infinity and its gradient becomes NaN. Written in terms of the logit z, the ' +
    'same loss is max(z, 0) − z·t + ln(1 + e^−|z|): no logarithm of 0, no overflow, and its gradient is simply ' +
    'σ(z) − t. So the output layer keeps its logits, the loss uses them directly, and the sigmoid is applied only to ' +
    'read off probabilities. Cross entropy starts near ln 2 ≈ 0.69 for an undecided output; compare how fast it falls ' +
    'with the squared error of two-layer.',
  schema,
  *run(config, seed) {
    const data = gate('xor');
    const model = twoLayerNet(config.hidden, 1, 'linear', config.initStd, new Generator(seed));
    yield* train({
      experiment: 'bce-logits',
      config,
      seed,
      errorLabel: 'XE',
      data,
      targets: targetTensor(data),
      trainees: [{ series: 'train', model, loss: nn.bceWithLogitsLoss }],
      maps: (m, grid) => [heatMap('Output', sigmoid(m.forward(grid)), 0, config.resolution), ...hiddenMaps(m as nn.Sequential, grid, config.resolution)],
      predict: (m, x) => sigmoid(m.forward(x)),
      extra: () => ({ saturation: tableItem(saturationTable(), '∞ and NaN: where the float32 arithmetic overflowed or has no answer') }),
      figures: [
        {
          kind: 'figure',
          name: 'saturation',
          title: 'Cross entropy for target 0: naive vs stable',
          panels: [saturationPanel()],
        },
      ],
    });
  },
};

/** Naive and stable loss for target 0 over logits 0..40: the naive curve stops where σ(z) rounds to 1. */
function saturationPanel() {
  const zs = Array.from({ length: 81 }, (_, i) => i * 0.5);
  const z = tensor(zs);
  const naive = Array.from(naiveBce(z, 0).data);
  const stable = Array.from(binaryCrossEntropyWithLogits(z, tensor(zs.map(() => 0))).data);
  const finite = zs.map((_, i) => i).filter((i) => Number.isFinite(naive[i]));
  // Where the naive loss first overflows (σ(z) rounded to 1); the legend says so, computed.
  const firstInfinite = naive.findIndex((v) => !Number.isFinite(v));
  return {
    title: 'loss against the logit z (target 0)',
    xLabel: 'logit z',
    yLabel: 'loss',
    xDomain: [0, 40] as [number, number],
    yDomain: [0, 42] as [number, number],
    series: [
      { label: 'stable (logits)', x: zs, y: stable },
      { label: firstInfinite < 0 ? 'naive (float32 σ)' : `naive (float32 σ): ∞ from z = ${zs[firstInfinite]}`, x: finite.map((i) => zs[i]), y: finite.map((i) => naive[i]), style: 'dotted' as const },
    ],
  };
}
