import { describe, expect, it } from 'vitest';
import { findExperiment, isSolved, resolveConfig, verdictOf } from '../../../lab/experiments/index.js';
import type { FinalRecord, LabRecord, Prediction, StartRecord } from '../../../lab/experiments/index.js';
import { coincidingPair, hiddenLinesOf } from '../../../lab/experiments/verdict.js';
import { solved } from '../../../lab/sweep/run.js';

const xor: [number[], number][] = [[[0, 0], 0], [[0, 1], 1], [[1, 0], 1], [[1, 1], 0]];
const predictions = (outputs: number[]): Prediction[] => xor.map(([input, t], i) => ({ input, target: [t], output: [outputs[i]] }));

/** A two-layer run's records: start, one epoch at `error`, and a final with these parameters and outputs. */
function twoLayerRecords(outputs: number[], error: number, parameters: FinalRecord['parameters'], config = {}): LabRecord[] {
  const start: StartRecord = { kind: 'start', experiment: 'two-layer', config: { hidden: 2, dataset: 'xor', ...config }, seed: 1, epochs: 1, reportEvery: 1, errorLabel: 'MSE' };
  return [start, { kind: 'epoch', epoch: 1, error, series: 'train' }, { kind: 'final', error, predictions: predictions(outputs), parameters }];
}

const run = (name: string, options: Record<string, unknown>, seed: number): LabRecord[] => {
  const experiment = findExperiment(name);
  return [...experiment.run(resolveConfig(experiment, options), seed)];
};

describe('isSolved(predictions)', () => {
  it('holds when every single output is within 0.5 of its target, and is the sweep\'s rule', () => {
    expect(isSolved(predictions([0.1, 0.9, 0.6, 0.4]))).toBe(true);
    expect(isSolved(predictions([0.1, 0.9, 0.6, 0.5]))).toBe(false);
    expect(solved).toBe(isSolved);
  });
  it('holds for class probabilities when the largest is the target class', () => {
    expect(isSolved([{ input: [0], target: [2], output: [0.2, 0.3, 0.5] }])).toBe(true);
    expect(isSolved([{ input: [0], target: [1], output: [0.2, 0.3, 0.5] }])).toBe(false);
  });
});

describe('verdictOf(records) for one network', () => {
  it('says solved when every prediction is on the right side', () => {
    const verdict = verdictOf(twoLayerRecords([0.1, 0.9, 0.9, 0.1], 0.01, {}))!;
    expect(verdict).toMatchObject({ solved: true, text: 'solved', variants: [{ variant: 'train', solved: true, stalledAt: 0.01 }] });
  });
  it('names two hidden units that drew the same line (up to sign and scale)', () => {
    // unit 0: 4·x0 + 4·x1 − 2 = 0; unit 1: −2·x0 − 2·x1 + 1.02 = 0, nearly the same line.
    const parameters = { 'hidden.weight': [[4, -2], [4, -2]], 'hidden.bias': [-2, 1.02] };
    expect(coincidingPair(hiddenLinesOf(parameters)!)).toEqual([0, 1]);
    const verdict = verdictOf(twoLayerRecords([0.1, 0.9, 0.9, 0.5], 0.125, parameters))!;
    expect(verdict.solved).toBe(false);
    expect(verdict.text).toBe('stuck at 0.125: two hidden units drew the same line — try another seed or `--hidden 3`');
  });
  it('does not call parallel lines at different offsets the same line', () => {
    const parameters = { 'hidden.weight': [[4, 4], [4, 4]], 'hidden.bias': [-2, -6] };
    expect(coincidingPair(hiddenLinesOf(parameters)!)).toBeNull();
  });
  it('two-layer seed 10 (defaults) is stuck at 0.126 with two corners the hidden layer cannot tell apart', () => {
    const verdict = verdictOf(run('two-layer', {}, 10))!;
    expect(verdict.text).toBe('stuck at 0.126: (0, 1) and (1, 1) fall on the same side of every hidden line, so the output cannot tell them apart — try another seed or `--hidden 3`');
  });
  it('two-layer seed 8 (defaults) predicts 0.5 everywhere; seed 1 is solved', () => {
    expect(verdictOf(run('two-layer', {}, 8))!.text).toBe('stuck at 0.25: it predicts 0.5 for every point (its weights stayed near a saddle) — try another seed');
    expect(verdictOf(run('two-layer', {}, 1))!.solved).toBe(true);
  });
  it('one hidden unit on XOR, one unit (logistic regression) on XOR: says what is missing (the square with 2 is refused before it runs)', () => {
    expect(verdictOf(run('two-layer', { hidden: 1 }, 1))!.text).toBe('stuck at 0.167: one hidden unit draws one line; XOR needs two — try `--hidden 2`');
    expect(() => run('two-layer', { dataset: 'square', hidden: 2 }, 1)).toThrow('the square data set needs --hidden 3 or more');
    expect(verdictOf(run('logistic-regression', { gate: 'xor' }, 1))!.text).toBe('stuck at 0.25: one unit draws one line; XOR needs two');
  });
  it('is null for an experiment that does not train (no epochs)', () => {
    expect(verdictOf(run('activations', {}, 1))).toBeNull();
  });
});

describe('verdictOf(records) for side-by-side variants', () => {
  const deep = (errors: Record<string, number>, points = 10): LabRecord[] => {
    const [main] = Object.keys(errors);
    const data = Array.from({ length: points }, (_, i) => ({ x: [i / points, 0], label: i % 2 }));
    const start = { kind: 'start', experiment: 'deep', config: {}, seed: 1, epochs: 1, reportEvery: 1, errorLabel: 'XE', mainSeries: main, data } as unknown as StartRecord;
    const epochs: LabRecord[] = Object.entries(errors).map(([series, error]) => ({ kind: 'epoch', epoch: 1, error, series: series === main ? 'train' : series }));
    return [start, ...epochs, { kind: 'final', error: errors[main], predictions: [], parameters: {} }];
  };
  it('gives each variant its verdict: solved below ln 2 / N, stuck near ln 2, not solved between', () => {
    const verdict = verdictOf(deep({ relu: 0.069, sigmoid: 0.6905, tanh: 0.2 }))!;
    expect(verdict.variants.map((v) => v.solved)).toEqual([true, false, false]);
    expect(verdict.text).toBe(
      'relu: solved · sigmoid: stuck at 0.691 (ln 2: it predicts 0.5 everywhere) · tanh: not solved at 0.2 (solved needs below ln 2 / 10 ≈ 0.0693)',
    );
    expect(verdict.solved).toBe(false);
  });
  it('says how far a variant that is learning but not yet proven solved came', () => {
    const records = deep({ residual: 1.84, plain: 0.69 }, 100);
    records.splice(3, 0, { kind: 'epoch', epoch: 2, error: 0.273, series: 'train' });
    expect(verdictOf(records)!.variants[0].text).toBe('not solved yet: fell from 1.84 to 0.273 (solved needs below ln 2 / 100 ≈ 0.00693)');
  });
  it('says where a variant diverged', () => {
    const records = deep({ clipped: 0.01, unclipped: 0.5 });
    records.splice(3, 0, { kind: 'epoch', epoch: 2, error: Number.NaN, series: 'unclipped' });
    expect(verdictOf(records)!.variants[1].text).toBe('diverged at epoch 2');
  });
});
