import { describe, expect, it } from 'vitest';
import { useLabArithmetic } from '../../experiments/arithmetic.js';
import { generateDataset } from './datasets.js';
import { FEATURES, featureDomain, featureProblems, featureRows, featureValue } from './features.js';
import type { FeatureName } from './features.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { buildNetwork, describeSpec, skipLayers } from './spec.js';
import type { NetworkSpec } from './spec.js';
import { PlaygroundModel } from './trainer.js';
import { Generator } from 'nnlab';
import { DEFAULT_STATE, formatState, parseState } from './url-state.js';

describe('featureValue(feature, x0, x1)', () => {
  it('computes each feature at (0.25, 0.5)', () => {
    const at = Object.fromEntries(FEATURES.map((f) => [f, featureValue(f, 0.25, 0.5)]));
    expect(at).toEqual({ x0: 0.25, x1: 0.5, x0sq: 0.0625, x1sq: 0.25, x0x1: 0.125, sin0: 1, sin1: Math.sin(Math.PI) });
  });
  it('stays inside featureDomain(feature) over the unit square', () => {
    for (const f of FEATURES) {
      const [lo, hi] = featureDomain(f);
      for (let i = 0; i <= 20; i++) for (let j = 0; j <= 20; j++) {
        const v = featureValue(f, i / 20, j / 20);
        expect(v).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(v).toBeLessThanOrEqual(hi + 1e-12);
      }
    }
  });
});

describe('featureRows(coordinates, features) and featureProblems(features)', () => {
  it('lays the features of each point out row by row', () => {
    expect(Array.from(featureRows([0.5, 1, 0, 0.25], ['x1', 'x0x1']))).toEqual([1, 0.5, 0.25, 0]);
  });
  it('names an empty, unknown or repeated feature', () => {
    expect(featureProblems([])).toEqual(['inputs: choose at least one input feature']);
    expect(featureProblems(['x0', 'x2'])).toEqual([expect.stringContaining("unknown feature 'x2'")]);
    expect(featureProblems(['x0', 'x0'])).toEqual(['inputs: a feature is listed twice in [x0, x0]']);
  });
});

describe('a network on chosen features', () => {
  const spec = (features: FeatureName[], hidden: NetworkSpec['hidden'] = []): NetworkSpec => ({ features, hidden, skip: 'none', loss: 'bce', classes: 2 });

  it('has one input per feature, and says so', () => {
    const built = buildNetwork(spec(['x0', 'x1', 'x0sq'], [{ units: 3, activation: 'tanh', dropout: 0 }]), new Generator(1));
    expect(built.layers[0].dense.inFeatures).toBe(3);
    expect(describeSpec(spec(['x0sq', 'x1sq']))).toBe('2 (x₀², x₁²) → 1 sigmoid');
    expect(skipLayers({ ...spec(['x0', 'x1', 'x0sq'], [{ units: 3, activation: 'tanh', dropout: 0 }]), skip: 'residual' })).toEqual([true]);
  });

  it('the feature-engineering lesson: without hidden layers, x₀ and x₁ cannot separate the circle; with x₀² and x₁² beside them they can', () => {
    useLabArithmetic();
    const points = generateDataset({ name: 'circle', count: 200, noise: 0.03, classes: 2, testFraction: 0.3 }, 1);
    const settings = { ...DEFAULT_SETTINGS, optimizer: 'adam' as const, learningRate: 0.1, batchSize: 0 };
    const accuracy = (features: FeatureName[]) => new PlaygroundModel(spec(features), points, settings, 1).train(500).at(-1)!.trainAccuracy;
    expect(accuracy(['x0', 'x1'])).toBeLessThan(0.75);
    expect(accuracy(['x0', 'x1', 'x0sq', 'x1sq'])).toBeGreaterThan(0.97);
  });

  it('round-trips through the URL (inputs=…), and x₀, x₁ is the state without the key', () => {
    const state = { ...DEFAULT_STATE, network: { ...DEFAULT_STATE.network, features: ['x0x1', 'sin1'] as FeatureName[] } };
    expect(formatState(state)).toContain('&inputs=x0x1,sin1&');
    expect(parseState(formatState(state)).state).toEqual(state);
    expect(parseState(formatState(DEFAULT_STATE)).state.network).not.toHaveProperty('features');
    expect(parseState('?page=playground&inputs=x0,nope').problems).toEqual([expect.objectContaining({ key: 'inputs', message: expect.stringContaining("unknown feature 'nope'") })]);
  });
});
