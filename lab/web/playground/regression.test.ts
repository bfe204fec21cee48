/** Regression in the playground: the plane and the bump, from their seeded points to a trained, saved, linked run. */
import { describe, expect, it } from 'vitest';
import { generateDataset, isRegression, REGRESSION, regressionTarget } from './datasets.js';
import type { DatasetParams } from './datasets.js';
import { recordsFile } from './exports.js';
import { buildNetwork, describeSpec, outputActivation, specProblems } from './spec.js';
import { Generator } from 'nnlab';
import { PlaygroundModel } from './trainer.js';
import { addPoint, pointsOf, removePoint, withDataset } from './transitions.js';
import type { Outcome } from './transitions.js';
import { DEFAULT_STATE, formatState, networkSpecOf, parseState } from './url-state.js';
import type { PlaygroundState } from './url-state.js';

const stateOf = (outcome: Outcome): PlaygroundState => {
  if ('error' in outcome) throw new Error(outcome.error);
  return outcome.state;
};
const params = (name: DatasetParams['name'], extra: Partial<DatasetParams> = {}): DatasetParams => ({ name, count: 200, noise: 0, classes: 2, testFraction: 0.3, ...extra });

describe('generateDataset(plane | bump, seed)', () => {
  it.each(REGRESSION)('%s without noise: every label is the formula at the point, from −1 to 1', (name) => {
    const points = generateDataset(params(name), 3);
    expect(points).toHaveLength(200);
    for (const p of points) {
      expect(p.label).toBe(regressionTarget(name as 'plane' | 'bump', p.x0, p.x1));
      expect(Math.abs(p.label)).toBeLessThanOrEqual(1);
    }
    expect(points.filter((p) => p.test)).toHaveLength(60);
  });

  it('regressionTarget: the plane is x₀ + x₁ − 1; the bump is 1 at the centre and near −1 in the corners', () => {
    expect([regressionTarget('plane', 0, 0), regressionTarget('plane', 1, 1), regressionTarget('plane', 0.25, 0.5)]).toEqual([-1, 1, -0.25]);
    expect(regressionTarget('bump', 0.5, 0.5)).toBe(1);
    expect(regressionTarget('bump', 0, 0)).toBeLessThan(-0.99);
  });

  it('is the same for the same seed and differs for another; noise moves the values, not the points', () => {
    expect(generateDataset(params('bump', { noise: 0.1 }), 7)).toEqual(generateDataset(params('bump', { noise: 0.1 }), 7));
    expect(generateDataset(params('bump'), 7)).not.toEqual(generateDataset(params('bump'), 8));
    const clean = generateDataset(params('plane'), 7);
    const noisy = generateDataset(params('plane', { noise: 0.1 }), 7);
    expect(noisy.map((p) => [p.x0, p.x1, p.test])).toEqual(clean.map((p) => [p.x0, p.x1, p.test]));
    const moved = noisy.filter((p, i) => p.label !== clean[i].label).length;
    expect(moved).toBe(200);
  });

  it('isRegression names exactly the plane and the bump', () => {
    expect(['plane', 'bump', 'circle', 'custom'].map(isRegression)).toEqual([true, true, false, false]);
  });
});

describe('a regression network', () => {
  const plane = stateOf(withDataset(DEFAULT_STATE, 'plane'));

  it('has one linear output trained with squared error, and refuses another loss', () => {
    const spec = networkSpecOf(plane);
    expect(spec).toMatchObject({ task: 'regression', loss: 'mse', classes: 1 });
    expect(outputActivation(spec)).toBe('linear');
    expect(outputActivation({ loss: 'mse' })).toBe('sigmoid');
    expect(describeSpec(spec)).toBe('2 → 4 tanh → 2 tanh → 1 linear');
    expect(buildNetwork(spec, new Generator(1)).layers.at(-1)!.dense.outFeatures).toBe(1);
    expect(specProblems({ ...spec, loss: 'bce' })).toEqual(["regression trains with squared error (loss mse), got loss 'bce'"]);
  });

  it('learns the plane (seed 1, default network and SGD) to a squared error under 0.01 in 100 epochs; accuracy is null', () => {
    const model = new PlaygroundModel(networkSpecOf(plane), pointsOf(plane), plane.settings, plane.seed);
    const first = model.metrics();
    const last = model.train(100).at(-1)!;
    expect(first.trainLoss).toBeGreaterThan(0.05);
    expect(last.trainLoss).toBeLessThan(0.01);
    expect(last.testLoss).toBeLessThan(0.01);
    expect([last.trainAccuracy, last.testAccuracy]).toEqual([null, null]);
    // The output map is the predicted value (no sigmoid): about −1 at (0, 0) and 1 at (1, 1).
    const output = model.maps(11).output[0];
    expect(output[0]).toBeCloseTo(-1, 0);
    expect(output[120]).toBeCloseTo(1, 0);
    expect(Math.min(...output)).toBeLessThan(-0.5);
  });

  it('saves and loads through the model file; a file of another shape names its linear output', () => {
    const model = new PlaygroundModel(networkSpecOf(plane), pointsOf(plane), plane.settings, plane.seed);
    model.train(20);
    const text = model.save();
    const fresh = new PlaygroundModel(networkSpecOf(plane), pointsOf(plane), plane.settings, plane.seed);
    expect(fresh.load(text)).toEqual({ ok: true });
    expect(fresh.metrics()).toEqual(model.metrics());
    const other = { ...networkSpecOf(DEFAULT_STATE), hidden: [{ units: 3, activation: 'tanh', dropout: 0 }] };
    const classifier = new PlaygroundModel(other, pointsOf(DEFAULT_STATE), DEFAULT_STATE.settings, 1);
    expect(classifier.load(text)).toMatchObject({ ok: false, message: expect.stringContaining('holds a 2 → 4 tanh → 2 tanh → 1 linear network; this one is 2 → 3 tanh → 1 sigmoid') });
  });

  it('its records file says what was trained, with null accuracies', () => {
    const model = new PlaygroundModel(networkSpecOf(plane), pointsOf(plane), plane.settings, plane.seed);
    const records = model.train(3);
    const file = JSON.parse(JSON.stringify(recordsFile({ spec: networkSpecOf(plane), settings: plane.settings, seed: 1, address: formatState(plane), every: 1, records, weights: model.weights() })));
    expect(file).toMatchObject({ network: '2 → 4 tanh → 2 tanh → 1 linear', spec: { task: 'regression', loss: 'mse' }, epoch: 3 });
    expect(file.records[2]).toMatchObject({ epoch: 3, trainAccuracy: null, testAccuracy: null });
    expect(parseState(file.address).state).toEqual(plane);
  });
});

describe('regression in the page state', () => {
  it('withDataset(state, plane) switches to squared error and says so; back to the circle restores cross entropy', () => {
    const outcome = withDataset(DEFAULT_STATE, 'plane');
    expect(outcome).toMatchObject({ note: expect.stringMatching(/squared error/) });
    const plane = stateOf(outcome);
    expect(plane.network.loss).toBe('mse');
    const circle = withDataset(plane, 'circle');
    expect(stateOf(circle).network.loss).toBe('bce');
    expect(circle).toMatchObject({ note: expect.stringMatching(/binary cross entropy/) });
  });

  it('parseState(formatState(state)) gives a regression state back; a classification loss in the address is replaced, with a problem', () => {
    const bump = stateOf(withDataset({ ...DEFAULT_STATE, seed: 4 }, 'bump'));
    expect(parseState(formatState(bump))).toEqual({ state: bump, problems: [] });
    const { state, problems } = parseState('?data=bump&loss=softmax');
    expect(state.network.loss).toBe('mse');
    expect(problems).toEqual([{ key: 'loss', message: 'regression (data=bump) trains with squared error (using loss=mse instead of softmax)' }]);
    expect(parseState('?data=plane').problems).toEqual([]);
  });

  it('points of a regression data set are not added or removed by hand; Your points start empty from one', () => {
    const plane = stateOf(withDataset(DEFAULT_STATE, 'plane'));
    expect(addPoint(plane, 0.5, 0.5, 1)).toEqual({ error: expect.stringMatching(/^Plane \(regression\): a regression data set/) });
    expect(removePoint(plane, 0)).toEqual({ error: expect.stringMatching(/regression data set/) });
    const custom = withDataset(plane, 'custom');
    expect(stateOf(custom).data).toMatchObject({ name: 'custom', points: [], classes: 2 });
    expect(stateOf(custom).network.loss).toBe('bce');
  });
});
