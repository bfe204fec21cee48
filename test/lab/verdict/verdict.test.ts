import { describe, expect, it } from 'vitest';
import { findExperiment, isSolved, resolveConfig, verdictOf } from '../../../lab/experiments/index.js';
import type { FinalRecord, LabRecord, Prediction, StartRecord } from '../../../lab/experiments/index.js';
import { RIGHT_SIDE_KEY, coincidingPair, hiddenLinesOf, rightSideItem, rightSideOf } from '../../../lab/experiments/verdict.js';
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

describe('verdictOf(records) for side-by-side nets that keep counts instead of predictions (the deep comparisons)', () => {
  /** Points with targets 0, 1, 0, 1, …, and these outputs. */
  const points = (outputs: number[]): Prediction[] => outputs.map((output, i) => ({ input: [i, 0], target: [i % 2], output: [output] }));
  /** A run whose nets' errors go from first to last, ending with these outputs (counted into the final record's table). */
  const deep = (nets: Record<string, { first?: number; last: number; outputs: number[] }>): LabRecord[] => {
    const [main] = Object.keys(nets);
    const start: StartRecord = { kind: 'start', experiment: 'deep', config: {}, seed: 1, epochs: 1, reportEvery: 1, errorLabel: 'XE', mainSeries: main };
    const series = (name: string) => (name === main ? 'train' : name);
    const epochs: LabRecord[] = Object.entries(nets).flatMap(([name, { first, last }]) => [
      { kind: 'epoch' as const, epoch: 0, error: first ?? last, series: series(name) },
      { kind: 'epoch' as const, epoch: 1, error: last, series: series(name) },
    ]);
    const rightSide = rightSideItem(Object.entries(nets).map(([variant, { outputs }]) => ({ variant, predictions: points(outputs) })));
    return [start, ...epochs, { kind: 'final', error: nets[main].last, predictions: [], parameters: {}, extra: { [RIGHT_SIDE_KEY]: rightSide } }];
  };

  it('rightSideItem(nets) counts each net’s points by the one rule: every point right exactly when isSolved holds', () => {
    const nets = [[0.1, 0.9, 0.2, 0.8], [0.1, 0.9, 0.6, 0.8], [0.56, 0.56, 0.56, 0.56]].map((outputs, i) => ({ variant: `net ${i}`, predictions: points(outputs) }));
    const counts = rightSideOf({ extra: { [RIGHT_SIDE_KEY]: rightSideItem(nets) } })!;
    expect([...counts.values()]).toEqual([
      { variant: 'net 0', right: 4, points: 4, lowest: 0.1, highest: 0.9 },
      { variant: 'net 1', right: 3, points: 4, lowest: 0.1, highest: 0.9 },
      { variant: 'net 2', right: 2, points: 4, lowest: 0.56, highest: 0.56 },
    ]);
    for (const { variant, predictions } of nets) expect(counts.get(variant)!.right === predictions.length, variant).toBe(isSolved(predictions));
  });

  it('a net with every point on the right side is solved, whatever its mean error; one that predicts the same for every point is stuck; another says how many are right', () => {
    const verdict = verdictOf(deep({
      relu: { last: 0.3, outputs: [0.4, 0.6, 0.4, 0.6] },
      sigmoid: { last: 0.686, outputs: [0.56, 0.56, 0.561, 0.56] },
      tanh: { last: 0.2, outputs: [0.1, 0.9, 0.6, 0.8] },
    }))!;
    expect(verdict.variants.map((v) => v.solved)).toEqual([true, false, false]);
    expect(verdict.text).toBe('relu: solved · sigmoid: stuck at 0.686: it predicts 0.56 for every point · tanh: not solved at 0.2: 3 of 4 points on the right side');
    expect(verdict.solved).toBe(false);
  });

  it('says how far a net that is learning but not yet right everywhere came, and how many points it has right', () => {
    const verdict = verdictOf(deep({ residual: { first: 1.84, last: 0.273, outputs: [0.1, 0.9, 0.6, 0.8] }, plain: { last: 0.69, outputs: [0.5, 0.5, 0.5, 0.5] } }))!;
    expect(verdict.variants[0].text).toBe('not solved yet: fell from 1.84 to 0.273, 3 of 4 points on the right side');
  });

  it('says where a net diverged', () => {
    const records = deep({ clipped: { last: 0.01, outputs: [0.1, 0.9, 0.1, 0.9] }, unclipped: { last: 0.5, outputs: [NaN, NaN, NaN, NaN] } });
    records.splice(5, 0, { kind: 'epoch', epoch: 2, error: Number.NaN, series: 'unclipped' });
    expect(verdictOf(records)!.variants[1].text).toBe('diverged at epoch 2');
  });

  it('gives no verdict to a run that keeps neither predictions nor counts', () => {
    const records = deep({ relu: { last: 0.01, outputs: [0.1, 0.9] } });
    const final = records.at(-1) as FinalRecord;
    expect(verdictOf([...records.slice(0, -1), { ...final, extra: {} }])).toBeNull();
  });

  it.each(['vanishing-gradients', 'leaky-relu', 'skip-connections'])('%s keeps one count per net, of every training point', (name) => {
    const records = run(name, { epochs: 2, depth: 4, resolution: 2 }, 1);
    const start = records.find((r): r is StartRecord => r.kind === 'start')!;
    const counts = rightSideOf(records.find((r): r is FinalRecord => r.kind === 'final')!)!;
    const nets = new Set(records.flatMap((r) => (r.kind === 'epoch' ? [r.series === 'train' ? start.mainSeries! : r.series] : [])));
    expect([...counts.keys()]).toEqual([...nets]);
    for (const count of counts.values()) expect(count.points).toBe(start.data!.length);
  });
});
