/**
 * The TF.js column of docs/api.md's optimiser table, measured: TF.js (a dev dependency, float32
 * on its CPU backend) against nnlab in float32, on the gradients of fixtures/optim.json. Where
 * nnlab follows PyTorch instead (Adam's t, RMSProp's default ε), the test shows the difference
 * and that the fixture's hand-computed Keras form is what TF.js does.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { optim, tensor } from '../../packages/nnlab/src/index.js';
import type { Tensor } from '../../packages/nnlab/src/index.js';
import { decodeAll, largestRelativeError, loadFixture, mismatches } from './fixtures.js';
import type { EncodedTensor } from './fixtures.js';

interface TrajectoryCase {
  kind: string;
  name: string;
  params: EncodedTensor[];
  grads: (EncodedTensor | null)[][];
  alternatives: Record<string, EncodedTensor[][]>;
}

/** float32 on both sides, each rounding in its own order. Measured: 1.5e-6 relative at worst. */
const FLOAT32 = { rtol: 1e-5, atol: 1e-6 };

const cases = loadFixture<TrajectoryCase>('optim.json').cases.filter((c) => c.kind === 'trajectory');
const find = (start: string): TrajectoryCase => cases.find((c) => c.name.startsWith(start)) as TrajectoryCase;

/** Per step, each parameter's values after it, from TF.js's optimizer over the case's gradients. */
function tfjsRun(c: TrajectoryCase, optimizer: tf.Optimizer): Float32Array[][] {
  const variables = c.params.map((p, i) => tf.variable(tf.tensor(decodeAll(p.values), p.shape, 'float32'), true, `${c.name} ${i}`));
  const steps = c.grads.map((grads) => {
    const map: tf.NamedTensorMap = {};
    grads.forEach((g, i) => {
      // A parameter without a gradient is left out of the step, as nnlab skips it.
      if (g !== null) map[variables[i].name] = tf.tensor(decodeAll(g.values), g.shape, 'float32');
    });
    optimizer.applyGradients(map);
    return variables.map((v) => v.dataSync() as Float32Array);
  });
  variables.forEach((v) => v.dispose());
  return steps;
}

function nnlabRun(c: TrajectoryCase, make: (params: Tensor[]) => optim.Optimizer<optim.PenaltyOptions>): Float32Array[][] {
  const params = c.params.map((p) => tensor(Float32Array.from(decodeAll(p.values)), 'float32', p.shape).requireGrad());
  const optimizer = make(params);
  return c.grads.map((grads) => {
    params.forEach((p, i) => (p.grad = grads[i] === null ? null : tensor(Float32Array.from(decodeAll((grads[i] as EncodedTensor).values)), 'float32', (grads[i] as EncodedTensor).shape)));
    optimizer.step();
    return params.map((p) => Float32Array.from(p.data));
  });
}

const allMismatches = (a: ArrayLike<number>[][], b: ArrayLike<number>[][]): string[] =>
  a.flatMap((after, k) => after.flatMap((p, i) => mismatches(p, Array.from(b[k][i]), FLOAT32).map((line) => `step ${k + 1}, parameter ${i} ${line}`)));
const largest = (a: ArrayLike<number>[][], b: ArrayLike<number>[][]): number =>
  Math.max(...a.flatMap((after, k) => after.map((p, i) => largestRelativeError(p, Array.from(b[k][i])))));
const decoded = (steps: EncodedTensor[][]): number[][][] => steps.map((after) => after.map((p) => decodeAll(p.values)));

describe(`optimisers against TF.js ${tf.version.tfjs} (float32, CPU backend)`, () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('momentum and Nesterov: TF.js takes the same steps as nnlab', () => {
    const c = find('SGD lr 0.1, momentum 0.9, Nesterov');
    for (const nesterov of [false, true]) {
      const theirs = tfjsRun(c, tf.train.momentum(0.1, 0.9, nesterov));
      const ours = nnlabRun(c, (params) => new optim.SGD(params, { lr: 0.1, momentum: 0.9, nesterov }));
      expect(allMismatches(ours, theirs)).toEqual([]);
    }
  });

  it('RMSProp: TF.js puts ε inside the root, as nnlab with epsilonInside, and the default (PyTorch) form differs', () => {
    const c = find('RMSProp lr 0.01 on gradients near 1e-4');
    const theirs = tfjsRun(c, tf.train.rmsprop(0.01, 0.9, 0, 1e-7));
    const inside = nnlabRun(c, (params) => new optim.RMSProp(params, { lr: 0.01, epsilonInside: true }));
    const outside = nnlabRun(c, (params) => new optim.RMSProp(params, { lr: 0.01 }));
    expect(allMismatches(inside, theirs)).toEqual([]);
    expect(allMismatches(theirs, decoded(c.alternatives.epsilonInside))).toEqual([]);
    expect(largest(outside, theirs)).toBeGreaterThan(0.01);
  });

  it("Adam: TF.js counts the optimiser's steps (the fixture's global-step form); nnlab counts each parameter's", () => {
    const c = find('Adam lr 0.01: a parameter first given a gradient at step 6');
    const theirs = tfjsRun(c, tf.train.adam(0.01, 0.9, 0.999, 1e-8));
    const ours = nnlabRun(c, (params) => new optim.Adam(params, { lr: 0.01 }));
    expect(allMismatches(theirs, decoded(c.alternatives.globalStep))).toEqual([]);
    // The parameter given gradients all along moves alike; the late one does not.
    expect(allMismatches(ours.map((after) => [after[0]]), theirs.map((after) => [after[0]]))).toEqual([]);
    expect(largest(ours.map((after) => [after[1]]), theirs.map((after) => [after[1]]))).toBeGreaterThan(0.001);
  });
});
