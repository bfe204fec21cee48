/**
 * (a) One full-batch training step of the chapter's 2-2-1 sigmoid XOR net: forward over the
 * four XOR rows, mean squared error, backward, SGD with learning rate 5.
 *
 * At this size every library is measuring its per-op overhead (a step is ~50 multiply-adds),
 * so the hand loop is the yardstick: it is what the arithmetic alone costs in JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import { Generator, captureStep, nn, optim, tensor } from '../../packages/nnlab/src/index.js';
import type { Tensor } from '../../packages/nnlab/src/index.js';
import { denseInits, eagerStep } from '../workload.js';
import type { DenseInit, Runner, Workload } from '../workload.js';

const LR = 5;
const N = 4;
const X = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]); // [4, 2]
const T = new Float32Array([0, 1, 1, 0]); // [4, 1]

/** hidden [2→2] and output [2→1], weights normal(0, 0.3), biases zero. */
function inits(): DenseInit[] {
  return denseInits([2, 2, 1], 0, () => 0.3);
}

/** The net, its optimiser and the data, through the public API. */
function nnlabSetup(): { model: nn.Sequential; opt: optim.SGD; x: Tensor; t: Tensor } {
  const [hidden, output] = inits();
  const rng = new Generator(0);
  const model = new nn.Sequential({
    hidden: new nn.Dense(2, 2, { activation: 'sigmoid', rng, weightInit: nn.init.normal(0, 0.3) }),
    output: new nn.Dense(2, 1, { activation: 'sigmoid', rng, weightInit: nn.init.normal(0, 0.3) }),
  });
  model.loadStateDict({
    'hidden.weight': tensor(hidden.weight, 'float32', [2, 2]),
    'hidden.bias': tensor(hidden.bias, 'float32', [2]),
    'output.weight': tensor(output.weight, 'float32', [2, 1]),
    'output.bias': tensor(output.bias, 'float32', [1]),
  });
  const opt = new optim.SGD(model.parameters(), { lr: LR });
  return { model, opt, x: tensor(X, 'float32', [N, 2]), t: tensor(T, 'float32', [N, 1]) };
}

/** Eager mode: the graph is built and walked at every step. */
function nnlab(): Runner {
  const { model, opt, x, t } = nnlabSetup();
  return eagerStep(opt, () => nn.mseLoss(model.forward(x), t));
}

/** The same step captured once (captureStep) and replayed: bit-identical to eager, no graph, no allocation. */
function nnlabCaptured(): Runner {
  const { model, opt, x, t } = nnlabSetup();
  const step = captureStep({ loss: (inputs) => nn.mseLoss(model.forward(inputs.x), inputs.t), optimizer: opt, inputs: { x, t }, model });
  return { step: () => step.run() };
}

function tfjs(): Runner {
  const [hidden, output] = inits();
  const w1 = tf.variable(tf.tensor2d(hidden.weight, [2, 2]));
  const b1 = tf.variable(tf.tensor1d(hidden.bias));
  const w2 = tf.variable(tf.tensor2d(output.weight, [2, 1]));
  const b2 = tf.variable(tf.tensor1d(output.bias));
  const x = tf.tensor2d(X, [N, 2]);
  const t = tf.tensor2d(T, [N, 1]);
  const opt = tf.train.sgd(LR);
  const predict = (): tf.Tensor => tf.sigmoid(tf.sigmoid(x.matMul(w1).add(b1)).matMul(w2).add(b2));
  return {
    step() {
      // minimize tidies the forward and backward tensors; only the returned loss is left to dispose.
      const loss = opt.minimize(() => tf.losses.meanSquaredError(t, predict()) as tf.Scalar, true)!;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    dispose() {
      tf.dispose([w1, b1, w2, b2, x, t]);
      opt.dispose();
    },
  };
}

/**
 * Plain loops over Float32Arrays, batch at a time, with the derivatives written out:
 *   z1 = X·W1 + b1, h = σ(z1), z2 = h·W2 + b2, y = σ(z2), L = mean((y − t)²)
 *   dz2 = (2/N)(y − t)·y(1 − y), dW2 = hᵀ·dz2, db2 = Σ dz2
 *   dz1 = (dz2·W2ᵀ)·h(1 − h),    dW1 = Xᵀ·dz1, db1 = Σ dz1
 * No allocation per step: every buffer is made once.
 */
function hand(): Runner {
  const [hidden, output] = inits();
  const I = 2;
  const H = 2;
  const O = 1;
  const w1 = hidden.weight.slice(); // [I, H]
  const b1 = hidden.bias.slice();
  const w2 = output.weight.slice(); // [H, O]
  const b2 = output.bias.slice();
  const h = new Float32Array(N * H);
  const dz2 = new Float32Array(N * O);
  const dz1 = new Float32Array(N * H);
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

  return {
    step() {
      let loss = 0;
      for (let n = 0; n < N; n++) {
        for (let j = 0; j < H; j++) {
          let z = b1[j];
          for (let i = 0; i < I; i++) z += X[n * I + i] * w1[i * H + j];
          h[n * H + j] = sigmoid(z);
        }
        for (let k = 0; k < O; k++) {
          let z = b2[k];
          for (let j = 0; j < H; j++) z += h[n * H + j] * w2[j * O + k];
          const out = sigmoid(z);
          const e = out - T[n * O + k];
          loss += e * e;
          dz2[n * O + k] = ((2 / (N * O)) * e) * out * (1 - out);
        }
        for (let j = 0; j < H; j++) {
          let g = 0;
          for (let k = 0; k < O; k++) g += dz2[n * O + k] * w2[j * O + k];
          const hj = h[n * H + j];
          dz1[n * H + j] = g * hj * (1 - hj);
        }
      }
      // Gradients are complete (they used the old W2), so the update can run in place.
      for (let j = 0; j < H; j++) {
        for (let k = 0; k < O; k++) {
          let g = 0;
          for (let n = 0; n < N; n++) g += h[n * H + j] * dz2[n * O + k];
          w2[j * O + k] -= LR * g;
        }
      }
      for (let k = 0; k < O; k++) {
        let g = 0;
        for (let n = 0; n < N; n++) g += dz2[n * O + k];
        b2[k] -= LR * g;
      }
      for (let i = 0; i < I; i++) {
        for (let j = 0; j < H; j++) {
          let g = 0;
          for (let n = 0; n < N; n++) g += X[n * I + i] * dz1[n * H + j];
          w1[i * H + j] -= LR * g;
        }
      }
      for (let j = 0; j < H; j++) {
        let g = 0;
        for (let n = 0; n < N; n++) g += dz1[n * H + j];
        b1[j] -= LR * g;
      }
      return loss / (N * O);
    },
  };
}

export const xorStep: Workload = {
  id: 'a',
  title: 'XOR 2-2-1 sigmoid, train step (4 rows)',
  description:
    'One full-batch training step of a 2-2-1 sigmoid net on the 4 XOR rows: forward, MSE loss, backward, SGD update (lr 5).',
  tolerance: 1e-5,
  nnlab,
  tfjs,
  hand,
};

/** (a) again, with nnlab's step captured by `captureStep` and replayed; the other libraries as in (a). */
export const xorStepCaptured: Workload = {
  ...xorStep,
  title: 'XOR 2-2-1 sigmoid, train step, nnlab captured',
  description: `${xorStep.description} nnlab replays a step captured with captureStep (bit-identical to the eager step).`,
  nnlab: nnlabCaptured,
  // tfjs and Python would only repeat (a)'s rows; the hand loop stays as the same-run reference.
  libraries: ['nnlab', 'hand'],
};
