/**
 * (b) One training step of a 784-256-128-10 ReLU MLP on a batch of 128 random "images":
 * forward, softmax cross entropy against integer labels, backward, SGD (lr 0.1).
 *
 * 235 k weights; 30 M multiply-adds forward and about 56 M backward (dW for every layer, dX for
 * all but the first): this one measures matrix-multiply throughput, not per-op overhead.
 */
import * as tf from '@tensorflow/tfjs';
import { Generator, nn } from '../../packages/nnlab/src/index.js';
import { capturedCrossEntropyStep, crossEntropyStep, denseInits } from '../workload.js';
import type { DenseInit, Runner, Workload } from '../workload.js';

export const SIZES = [784, 256, 128, 10] as const;
const LAYER_NAMES = ['fc1', 'fc2', 'out'] as const;
export const BATCH = 128;
const CLASSES = 10;
const LR = 0.1;

/** He-normal weights (std √(2/fanIn)), zero biases. */
export function inits(): DenseInit[] {
  return denseInits(SIZES, 1, (fanIn) => Math.sqrt(2 / fanIn));
}

/** Pixels uniform in [0, 1) and labels uniform over the classes, seeded. */
export function batch(): { x: Float32Array; labels: number[] } {
  const rng = new Generator(2);
  const x = new Float32Array(BATCH * SIZES[0]);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const labels = Array.from({ length: BATCH }, () => rng.integer(0, CLASSES));
  return { x, labels };
}

function model(): nn.Sequential {
  const rng = new Generator(1);
  return new nn.Sequential({
    fc1: new nn.Dense(784, 256, { activation: 'relu', rng }),
    fc2: new nn.Dense(256, 128, { activation: 'relu', rng }),
    out: new nn.Dense(128, 10, { rng }), // logits
  });
}

function nnlab(): Runner {
  const data = batch();
  return crossEntropyStep(model(), LAYER_NAMES, inits(), LR, data.x, data.labels);
}

function nnlabCaptured(): Runner {
  const data = batch();
  return capturedCrossEntropyStep(model(), LAYER_NAMES, inits(), LR, data.x, data.labels);
}

function tfjs(): Runner {
  const params = inits().flatMap((layer) => [
    tf.variable(tf.tensor2d(layer.weight, [layer.inFeatures, layer.outFeatures])),
    tf.variable(tf.tensor1d(layer.bias)),
  ]);
  const [w1, b1, w2, b2, w3, b3] = params;
  const data = batch();
  const x = tf.tensor2d(data.x, [BATCH, SIZES[0]]);
  const labels = tf.tensor1d(data.labels, 'int32');
  const opt = tf.train.sgd(LR);
  const logits = (): tf.Tensor => tf.relu(tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2)).matMul(w3).add(b3);
  return {
    step() {
      // tfjs's softmax cross entropy takes one-hot labels; making them is part of the step.
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CLASSES), logits()) as tf.Scalar, true)!;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    dispose() {
      tf.dispose([...params, x, labels]);
      opt.dispose();
    },
  };
}

export const mlpStep: Workload = {
  id: 'b',
  title: 'MLP 784-256-128-10 ReLU, train step (batch 128)',
  description:
    'One training step of a 784-256-128-10 ReLU MLP (softmax output) on 128 seeded random samples: forward, softmax cross entropy on integer labels, backward, SGD update (lr 0.1).',
  tolerance: 1e-4,
  nnlab,
  tfjs,
};

export const mlpStepCaptured: Workload = {
  ...mlpStep,
  title: 'MLP 784-256-128-10 ReLU, train step (batch 128), nnlab captured',
  description: `${mlpStep.description} nnlab replays a step captured with captureStep (the eager step's numbers).`,
  nnlab: nnlabCaptured,
  // tfjs-cpu's 0.4 s steps would only repeat (b)'s row; the rest are the same-run references.
  libraries: ['nnlab', 'tfjs-wasm', 'numpy', 'numpy-2t', 'torch', 'torch-2t'],
};
