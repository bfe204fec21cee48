/**
 * (d) The playground's heat maps at its largest default setup: 6 hidden ReLU layers of 8 units
 * and a 3-class softmax output (the spiral), every unit's map and the output's on a 100 × 100
 * grid: what the training worker computes for each snapshot it sends the page (48 hidden maps
 * and 3 output maps, each a contiguous Float32Array of 10,000 values; in nnlab, views into one
 * buffer per call, which the worker transfers to the page and the page transfers back once it
 * has drawn newer maps (recycle; this runner hands buffers back the same way).
 *
 * nnlab is timed through the playground's own `PlaygroundModel.maps(100)`; the other libraries run the
 * same layers on the same weights (the trainer's after 20 epochs) and end with the same arrays:
 * each layer's output transposed to one row per unit, and the output's softmax likewise. The
 * first call's value is the sum of |every value in every map|; later calls return one value,
 * so the check does not add a pass over the maps to the timed step.
 */
import * as tf from '@tensorflow/tfjs';
import { generateDataset } from '../../lab/web/playground/datasets.js';
import { DEFAULT_SETTINGS } from '../../lab/web/playground/settings.js';
import type { NetworkSpec } from '../../lab/web/playground/spec.js';
import { PlaygroundModel } from '../../lab/web/playground/trainer.js';
import type { Maps } from '../../lab/web/playground/trainer.js';
import { mapsBuffer } from '../../lab/web/playground/protocol.js';
import type { PythonTask } from '../python/python.js';
import { gridPoints } from '../workload.js';
import type { DenseInit, Runner, Workload } from '../workload.js';

const RESOLUTION = 100;
const POINTS = RESOLUTION * RESOLUTION;
const SPEC: NetworkSpec = {
  hidden: Array.from({ length: 6 }, () => ({ units: 8, activation: 'relu' as const, dropout: 0 })),
  skip: 'none',
  loss: 'softmax',
  classes: 3,
};

/** The playground's largest setup (bench:fps's "largest" page), trained 20 epochs from seed 1. */
function trainer(): PlaygroundModel {
  const points = generateDataset({ name: 'spiral', count: 1000, noise: 0, classes: 3, testFraction: 0 }, 1);
  const t = new PlaygroundModel(SPEC, points, DEFAULT_SETTINGS, 1);
  t.train(20);
  return t;
}

function inits(t: PlaygroundModel): DenseInit[] {
  return t.weights().map((w) => ({ inFeatures: w.inFeatures, outFeatures: w.outFeatures, weight: w.weight, bias: w.bias }));
}

function sumAbs(arrays: readonly Float32Array[]): number {
  let s = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
}

function allMaps(maps: Maps): Float32Array[] {
  return [...maps.hidden.flat().map((m) => m.values), ...maps.output];
}

function nnlab(): Runner {
  const t = trainer();
  let first = true;
  let drawn: Maps | null = null;
  return {
    step() {
      const maps = t.maps(RESOLUTION);
      // As the page does: once it has drawn these maps, the ones drawn before go back (recycle).
      const previous = drawn === null ? null : mapsBuffer(drawn);
      if (previous !== null) t.recycle(previous);
      drawn = maps;
      if (!first) return maps.output[0][0];
      first = false;
      return sumAbs(allMaps(maps));
    },
  };
}

function tfjs(): Runner {
  const params = inits(trainer()).map((layer) => [tf.tensor2d(layer.weight, [layer.inFeatures, layer.outFeatures]), tf.tensor1d(layer.bias)] as const);
  const grid = tf.tensor2d(gridPoints(RESOLUTION), [POINTS, 2]);
  let first = true;
  return {
    step() {
      const transposed = tf.tidy(() => {
        const out: tf.Tensor[] = [];
        let h: tf.Tensor = grid;
        params.forEach(([w, b], i) => {
          h = h.matMul(w).add(b);
          if (i < params.length - 1) {
            h = tf.relu(h);
            out.push(h.transpose()); // [units, 10,000]: one row per unit's map
          }
        });
        out.push(tf.softmax(h).transpose());
        return out;
      });
      const maps: Float32Array[] = [];
      for (const m of transposed) {
        const data = m.dataSync() as Float32Array;
        for (let u = 0; u < m.shape[0]; u++) maps.push(data.subarray(u * POINTS, (u + 1) * POINTS));
      }
      tf.dispose(transposed);
      if (!first) return maps[maps.length - 1][0];
      first = false;
      return sumAbs(maps);
    },
    dispose() {
      tf.dispose([...params.flat(), grid]);
    },
  };
}

function python(): PythonTask {
  return { kind: 'eval', layers: inits(trainer()), activations: [...SPEC.hidden.map(() => 'relu'), 'linear'], x: gridPoints(RESOLUTION), maps: true };
}

/** The goal for (d): all maps in under this many milliseconds. */
export const HEAT_MAPS_TARGET_MS = 2;

export const heatMaps: Workload = {
  id: 'd',
  title: 'heat maps 2-(8 ReLU)×6-3, 51 maps of 100×100',
  description:
    "The playground's largest default network (6 hidden ReLU layers of 8 units, 3-class softmax) evaluated on a 100×100 grid, keeping every hidden unit's map and each class's probability map as contiguous arrays (PlaygroundModel.maps in nnlab).",
  tolerance: 1e-4,
  nnlab,
  tfjs,
  python,
};
