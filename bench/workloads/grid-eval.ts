/**
 * (c) Evaluating a 2-8-8-1 tanh net on a 200 × 200 grid over the unit square (40,000 × 2
 * input), forward only, no gradients: what drawing one decision-boundary heat map costs.
 *
 * The grid is built once, outside the timed step (it is the input, not the evaluation), and
 * each step reads the 40,000 outputs back into JavaScript and sums their magnitudes.
 */
import * as tf from '@tensorflow/tfjs';
import { Generator, grid2d, nn, noGrad, tensor } from '../../packages/nnlab/src/index.js';
import type { FloatArray } from '../../packages/nnlab/src/index.js';
import { denseInits, gridPoints } from '../workload.js';
import type { DenseInit, Runner, Workload } from '../workload.js';

const RESOLUTION = 200;
const POINTS = RESOLUTION * RESOLUTION;
const LAYER_NAMES = ['hidden1', 'hidden2', 'output'] as const;

/** Glorot-like normal(0, 1/√fanIn) weights, zero biases. */
function inits(): DenseInit[] {
  return denseInits([2, 8, 8, 1], 3, (fanIn) => 1 / Math.sqrt(fanIn));
}

function sumAbs(values: FloatArray): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += Math.abs(values[i]);
  return s;
}

function nnlab(): Runner {
  const layers = inits();
  const rng = new Generator(3);
  const model = new nn.Sequential({
    hidden1: new nn.Dense(2, 8, { activation: 'tanh', rng }),
    hidden2: new nn.Dense(8, 8, { activation: 'tanh', rng }),
    output: new nn.Dense(8, 1, { activation: 'tanh', rng }),
  });
  model.loadStateDict(
    Object.fromEntries(
      layers.flatMap((layer, i) => [
        [`${LAYER_NAMES[i]}.weight`, tensor(layer.weight, 'float32', [layer.inFeatures, layer.outFeatures])],
        [`${LAYER_NAMES[i]}.bias`, tensor(layer.bias, 'float32', [layer.outFeatures])],
      ]),
    ),
  );
  model.eval();
  const grid = grid2d({ resolution: RESOLUTION });
  return {
    step: () => sumAbs(noGrad(() => model.forward(grid)).data),
  };
}

function tfjs(): Runner {
  const params = inits().flatMap((layer: DenseInit) => [
    tf.tensor2d(layer.weight, [layer.inFeatures, layer.outFeatures]),
    tf.tensor1d(layer.bias),
  ]);
  const [w1, b1, w2, b2, w3, b3] = params;
  const grid = tf.tensor2d(gridPoints(RESOLUTION), [POINTS, 2]);
  return {
    step() {
      const out = tf.tidy(() => tf.tanh(tf.tanh(tf.tanh(grid.matMul(w1).add(b1)).matMul(w2).add(b2)).matMul(w3).add(b3)));
      const value = sumAbs(out.dataSync() as Float32Array);
      out.dispose();
      return value;
    },
    dispose() {
      tf.dispose([...params, grid]);
    },
  };
}

export const gridEval: Workload = {
  id: 'c',
  title: 'grid eval 2-8-8-1 tanh, 200×200 points',
  description:
    'Forward pass only (no gradients) of a 2-8-8-1 tanh net over a 200×200 grid of points in the unit square (a 40,000 × 2 input), outputs read back.',
  tolerance: 1e-4,
  nnlab,
  tfjs,
};
