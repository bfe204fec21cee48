import { describe, expect, it } from 'vitest';
import { Generator, fit, optim, tensor } from 'nnlab';
import { generateDataset } from './datasets.js';
import type { Point } from './datasets.js';
import { buildNetwork, describeSpec, lossOf, skipLayers, specProblems } from './spec.js';
import type { NetworkSpec } from './spec.js';
import { DEFAULT_SETTINGS } from './settings.js';
import type { TrainingSettings } from './settings.js';
import { PlaygroundModel } from './trainer.js';
import { PlaygroundSession, transferList } from './worker.js';
import type { Reply, Snapshot } from './protocol.js';

const xor = generateDataset({ name: 'xor', count: 4, noise: 0, classes: 2, testFraction: 0 }, 1);
const spiral = generateDataset({ name: 'spiral', count: 150, noise: 0.01, classes: 3, testFraction: 0.2 }, 1);
const net = (hidden: NetworkSpec['hidden'], extra: Partial<NetworkSpec> = {}): NetworkSpec => ({ hidden, skip: 'none', loss: 'bce', classes: 2, ...extra });
const tanh = (units: number, dropout = 0) => ({ units, activation: 'tanh' as const, dropout });
const adam: TrainingSettings = { ...DEFAULT_SETTINGS, optimizer: 'adam', learningRate: 0.05, batchSize: 0 };

describe('buildNetwork(spec, rng)', () => {
  it('names layers h1…, output and gives each a dense layer of the right shape', () => {
    const { model, layers } = buildNetwork(net([tanh(4), { units: 3, activation: 'prelu', dropout: 0.5 }]), new Generator(1));
    expect(layers.map((l) => [l.name, l.dense.inFeatures, l.dense.outFeatures])).toEqual([['h1', 2, 4], ['h2', 4, 3], ['output', 3, 1]]);
    expect(model.namedParameters().map(([name]) => name)).toEqual([
      'h1.dense.weight', 'h1.dense.bias', 'h2.dense.weight', 'h2.dense.bias', 'h2.prelu.alpha', 'output.weight', 'output.bias',
    ]);
  });

  it('adds the skip connection only where a layer keeps the width', () => {
    const spec = net([tanh(2), tanh(4), tanh(4), tanh(3)], { skip: 'residual' });
    expect(skipLayers(spec)).toEqual([true, false, true, false]);
    expect(buildNetwork(spec, new Generator(1)).layers.map((l) => l.skip)).toEqual(['residual', 'none', 'residual', 'none', 'none']);
    const highway = buildNetwork({ ...spec, skip: 'highway' }, new Generator(1));
    expect(highway.layers[2].skip).toBe('highway');
  });

  it('gives the same weights for the same seed', () => {
    const weights = (seed: number) => buildNetwork(net([tanh(4)]), new Generator(seed)).model.parameters().map((p) => Array.from(p.data));
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });

  it('softmax has one output per class; other losses need two classes', () => {
    expect(buildNetwork(net([], { loss: 'softmax', classes: 4 }), new Generator(1)).layers[0].dense.outFeatures).toBe(4);
    expect(specProblems(net([], { classes: 3 }))).toEqual([expect.stringMatching(/3 classes need the softmax/)]);
  });

  it('describeSpec(spec) reads as the network drawn', () => {
    expect(describeSpec(net([tanh(2, 0.2), tanh(2)], { skip: 'residual' }))).toBe('2 → 2 tanh (residual, dropout 0.2) → 2 tanh (residual) → 1 sigmoid');
  });
});

describe('PlaygroundModel', () => {
  it('learns XOR with 4 tanh units, BCE and Adam', () => {
    const trainer = new PlaygroundModel(net([tanh(4)]), xor, adam, 1);
    const records = trainer.train(300);
    expect(records).toHaveLength(300);
    expect(records[299]).toMatchObject({ epoch: 300, trainAccuracy: 1, testLoss: null, testAccuracy: null });
    expect(records[299].trainLoss).toBeLessThan(0.1);
  });

  it('learns a 3-arm spiral with softmax and reports test loss and accuracy', () => {
    const trainer = new PlaygroundModel(net([tanh(8), tanh(8)], { loss: 'softmax', classes: 3 }), spiral, { ...adam, learningRate: 0.03, batchSize: 16 }, 1);
    const first = trainer.metrics();
    const last = trainer.train(300).at(-1)!;
    expect(last.trainLoss).toBeLessThan(first.trainLoss / 2);
    expect(last.testAccuracy).toBeGreaterThan(0.6);
  });

  it('repeats a run exactly for the same seed, with dropout and shuffled minibatches', () => {
    const run = () => new PlaygroundModel(net([tanh(4, 0.3), tanh(4)]), spiral.map((p) => ({ ...p, label: p.label % 2 })), DEFAULT_SETTINGS, 5).train(5);
    expect(run()).toEqual(run());
  });

  it('stops after the time budget, having trained at least one epoch', () => {
    let clock = 0;
    const trainer = new PlaygroundModel(net([tanh(2)]), xor, DEFAULT_SETTINGS, 1);
    expect(trainer.train(100, 10, () => (clock += 5))).toHaveLength(2);
    expect(trainer.train(100, 0, () => 0)).toHaveLength(1);
    expect(trainer.epoch).toBe(3);
  });

  it('maps(resolution) gives an output map per class and one per hidden unit', () => {
    const maps = new PlaygroundModel(net([tanh(3), { units: 2, activation: 'relu', dropout: 0 }], { loss: 'softmax', classes: 3 }), spiral, adam, 1).maps(10);
    expect(maps.output).toHaveLength(3);
    expect(maps.hidden.map((layer) => layer.length)).toEqual([3, 2]);
    expect(maps.output[0]).toHaveLength(100);
    expect(maps.hidden[0][0].domain).toEqual([-1, 1]);
    const sums = Array.from(maps.output[0], (v, i) => v + maps.output[1][i] + maps.output[2][i]);
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
  });

  it('setSettings(settings) changes the learning rate without touching the weights', () => {
    const trainer = new PlaygroundModel(net([tanh(2)]), xor, DEFAULT_SETTINGS, 1);
    trainer.train(3);
    const before = trainer.weights();
    trainer.setSettings({ ...DEFAULT_SETTINGS, learningRate: 1, optimizer: 'momentum' });
    expect(trainer.weights()).toEqual(before);
    expect(trainer.epoch).toBe(3);
    expect(() => trainer.setSettings({ ...DEFAULT_SETTINGS, learningRate: -1 })).toThrow(/learningRate must be above 0/);
  });

  it('setWeight(layer, from, to, value) sets one weight', () => {
    const trainer = new PlaygroundModel(net([tanh(3)]), xor, DEFAULT_SETTINGS, 1);
    trainer.setWeight(0, 1, 2, 0.75);
    expect(trainer.weights()[0].weight[1 * 3 + 2]).toBe(0.75);
    expect(() => trainer.setWeight(0, 2, 0, 1)).toThrow(/weights from 0–1 to 0–2/);
    expect(() => trainer.setWeight(5, 0, 0, 1)).toThrow(/no layer 5/);
  });

  it('save() and load(text) round-trip the weights and the epoch', () => {
    const a = new PlaygroundModel(net([tanh(3)]), xor, adam, 1);
    a.train(20);
    const b = new PlaygroundModel(net([tanh(3)]), xor, adam, 2);
    expect(b.load(a.save())).toEqual({ ok: true });
    expect(b.weights()).toEqual(a.weights());
    expect(b.epoch).toBe(20);
  });

  it('load(text) of a mismatched or corrupt file says why and keeps the model', () => {
    const trainer = new PlaygroundModel(net([tanh(3)]), xor, adam, 1);
    const before = trainer.weights();
    const other = new PlaygroundModel(net([tanh(4)]), xor, adam, 1).save();
    const mismatch = trainer.load(other);
    expect(mismatch).toEqual({ ok: false, message: expect.stringMatching(/the file holds a 2 → 4 tanh → 1 sigmoid network; this one is 2 → 3 tanh → 1 sigmoid/) });
    expect(trainer.load('{"format": "nnlab-model", "vers')).toEqual({ ok: false, message: expect.stringMatching(/truncated or not JSON/) });
    expect(trainer.load('')).toEqual({ ok: false, message: expect.stringMatching(/empty/) });
    expect(trainer.weights()).toEqual(before);
  });

  it('refuses to train without training points', () => {
    const trainer = new PlaygroundModel(net([tanh(2)]), xor.map((p) => ({ ...p, test: true })), DEFAULT_SETTINGS, 1);
    expect(() => trainer.train(1)).toThrow(/no training points/);
  });
});

describe('PlaygroundModel: captured steps', () => {
  const twoClass = spiral.map((p) => ({ ...p, label: p.label % 2 })); // 120 training points: batches of 16 end with 8
  const sgd: TrainingSettings = { ...DEFAULT_SETTINGS, learningRate: 0.1, batchSize: 16 };
  const momentum: TrainingSettings = { ...sgd, optimizer: 'momentum', momentum: 0.9, l2: 0.001 };
  const adamMini: TrainingSettings = { ...adam, learningRate: 0.02, batchSize: 16, l1: 0.0005 };
  const specs: [string, NetworkSpec, Point[]][] = [
    ['bce', net([tanh(4), tanh(3)]), twoClass],
    ['mse', net([{ units: 5, activation: 'relu', dropout: 0 }], { loss: 'mse' }), twoClass],
    ['softmax', net([tanh(6), { units: 4, activation: 'sigmoid', dropout: 0 }], { loss: 'softmax', classes: 3 }), spiral],
    ['bce with PReLU', net([{ units: 4, activation: 'prelu', dropout: 0 }]), twoClass],
  ];
  const settings: [string, TrainingSettings][] = [
    ['SGD, minibatches', sgd],
    ['momentum + L2, minibatches', momentum],
    ['Adam + L1, minibatches', adamMini],
    ['SGD, full batch', { ...sgd, batchSize: 0 }],
    ['Adam, full batch', { ...adamMini, batchSize: 0 }],
  ];
  /** A trainer that replays captured steps and one that trains eagerly, through the same calls. */
  const pair = (spec: NetworkSpec, points: Point[], s: TrainingSettings) => [new PlaygroundModel(spec, points, s, 3), new PlaygroundModel(spec, points, s, 3, { capture: false })];
  const state = (t: PlaygroundModel) => ({ weights: t.weights(), epoch: t.epoch, metrics: t.metrics() });

  for (const [loss, spec, points] of specs) {
    it.each(settings)(`${loss}, %s: replays captured steps with the eager records and weights, bit for bit`, (_, s) => {
      const [captured, eager] = pair(spec, points, s);
      const records = captured.train(12);
      expect(captured.lastEpochSteps).toBe('captured');
      expect(eager.lastEpochSteps).toBe(null);
      expect(records).toEqual(eager.train(12));
      expect(eager.lastEpochSteps).toBe('eager');
      expect(state(captured)).toEqual(state(eager));
    });
  }

  it('gives the numbers of the eager loop it replaced (fit per epoch with lossOf on the class labels)', () => {
    const spec = net([tanh(4), tanh(3)]);
    const trainer = new PlaygroundModel(spec, twoClass, sgd, 3);
    trainer.train(10);
    const root = new Generator(3);
    const { model } = buildNetwork(spec, root);
    const rng = root.fork('batches');
    const train = twoClass.filter((p) => !p.test);
    const inputs = tensor(train.flatMap((p) => [p.x0, p.x1]), 'float32', [train.length, 2]);
    const labels = tensor(train.map((p) => p.label), 'float32', [train.length]);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0, weightDecay: 0, l1: 0 });
    for (let epoch = 0; epoch < 10; epoch++) {
      fit(model, { inputs, targets: labels, loss: (output, l) => lossOf(spec, output, l), optimizer, epochs: 1, batchSize: 16, rng });
    }
    expect(trainer.lastEpochSteps).toBe('captured');
    expect(trainer.model.parameters().map((p) => Array.from(p.data))).toEqual(model.parameters().map((p) => Array.from(p.data)));
  });

  it.each([
    ['dropout', net([tanh(4, 0.3), tanh(3)]), sgd],
    ['clipping', net([tanh(4)]), { ...momentum, clipNorm: 0.5 }],
  ])('falls back to eager steps with %s, with the eager numbers', (_, spec, s) => {
    const [captured, eager] = pair(spec, twoClass, s);
    expect(captured.train(6)).toEqual(eager.train(6));
    expect(captured.lastEpochSteps).toBe('eager');
    expect(state(captured)).toEqual(state(eager));
  });

  it('follows settings, weights and loaded files changed mid-run as the eager trainer does', () => {
    const [captured, eager] = pair(net([tanh(4), tanh(3)]), twoClass, sgd);
    const saved = new PlaygroundModel(net([tanh(4), tanh(3)]), twoClass, sgd, 9).save();
    const steps: [string, (t: PlaygroundModel) => void][] = [
      ['learning rate', (t) => t.setSettings({ ...sgd, learningRate: 0.3 })],
      ['weight', (t) => t.setWeight(1, 2, 1, -0.4)],
      ['L2 (same optimiser)', (t) => t.setSettings({ ...sgd, learningRate: 0.3, l2: 0.01 })],
      ['momentum', (t) => t.setSettings(momentum)],
      ['batch size', (t) => t.setSettings({ ...momentum, batchSize: 50 })],
      ['Adam', (t) => t.setSettings({ ...adamMini, batchSize: 50 })],
      ['clipping on', (t) => t.setSettings({ ...adamMini, clipNorm: 0.1 })],
      ['clipping off, full batch', (t) => t.setSettings({ ...adamMini, batchSize: 0 })],
      ['load', (t) => expect(t.load(saved)).toEqual({ ok: true })],
      ['β₁', (t) => t.setSettings({ ...adamMini, beta1: 0.5 })],
    ];
    for (const [what, change] of steps) {
      change(captured);
      change(eager);
      expect(captured.train(4), what).toEqual(eager.train(4));
      expect(captured.lastEpochSteps, what).toBe(what === 'clipping on' ? 'eager' : 'captured');
      expect(state(captured), what).toEqual(state(eager));
    }
  });
});

describe('PlaygroundSession.handle(request)', () => {
  const init = (points: Point[] = xor, run = 1) => ({ type: 'init' as const, run, spec: net([tanh(2)]), points, settings: DEFAULT_SETTINGS, seed: 1, resolution: 8 });
  const snapshot = (replies: Reply[]) => replies.find((r): r is Snapshot => r.type === 'records')!;

  it('answers init with an epoch-0 snapshot and step with the epochs run', () => {
    const session = new PlaygroundSession();
    const ready = snapshot(session.handle(init()));
    expect(ready).toMatchObject({ run: 1, records: [], latest: { epoch: 0 } });
    expect(ready.maps.output[0]).toHaveLength(64);
    expect(ready.weights.map((w) => w.name)).toEqual(['h1', 'output']);
    const stepped = snapshot(session.handle({ run: 1, type: 'step', epochs: 3, budgetMs: Infinity }));
    expect(stepped.records.map((r) => r.epoch)).toEqual([1, 2, 3]);
  });

  it('transfers a snapshot\'s buffers as postMessage does, each once (the maps are views into one)', () => {
    const session = new PlaygroundSession();
    const reply = snapshot(session.handle({ ...init(spiral), spec: net([tanh(3), tanh(2)], { loss: 'softmax', classes: 3 }) }));
    const copy = structuredClone(reply);
    const moved = structuredClone(reply, { transfer: transferList(reply) }); // throws on a buffer listed twice
    expect(moved).toEqual(copy);
    expect(reply.maps.output[0]).toHaveLength(0); // detached: moved, not copied
    expect(moved.maps.hidden[1][1].values.buffer).toBe(moved.maps.output[0].buffer);
  });

  it('reports a request it cannot do, and divergence, without throwing', () => {
    const session = new PlaygroundSession();
    expect(session.handle({ run: 1, type: 'step', epochs: 1, budgetMs: 0 })).toEqual([
      { type: 'error', run: 0, request: 'step', message: expect.stringMatching(/not set up/), diverged: false },
    ]);
    expect(session.handle({ ...init(), points: [{ x0: 0, x1: 0, label: 2, test: false }] })[0]).toMatchObject({ type: 'error', request: 'init' });
    session.handle(init());
    session.handle({ run: 1, type: 'setWeight', layer: 1, from: 0, to: 0, value: 3e38 });
    session.handle({ run: 1, type: 'setWeight', layer: 1, from: 1, to: 0, value: 3e38 });
    session.handle({ run: 1, type: 'setSettings', settings: { ...DEFAULT_SETTINGS, learningRate: 100 } });
    const replies = [...session.handle({ run: 1, type: 'step', epochs: 5, budgetMs: Infinity }), ...session.handle({ run: 1, type: 'step', epochs: 5, budgetMs: Infinity })];
    expect(replies).toContainEqual(expect.objectContaining({ type: 'error', diverged: true, message: expect.stringMatching(/diverged at epoch/) }));
  });

  it('answers save with the file and load with ok and a fresh snapshot', () => {
    const session = new PlaygroundSession();
    session.handle(init());
    const saved = session.handle({ run: 1, type: 'save' })[0];
    expect(saved.type).toBe('saved');
    const text = saved.type === 'saved' ? saved.text : '';
    expect(session.handle({ run: 1, type: 'load', text }).map((r) => r.type)).toEqual(['loaded', 'records']);
    expect(session.handle({ run: 1, type: 'load', text: 'nonsense' })).toEqual([{ type: 'loaded', run: 1, ok: false, message: expect.stringMatching(/not JSON/) }]);
  });
});

describe('PlaygroundModel with no points', () => {
  it('builds, draws its maps and reports NaN losses instead of failing', () => {
    const session = new PlaygroundSession();
    const replies = session.handle({ type: 'init', run: 1, spec: net([]), points: [], settings: DEFAULT_SETTINGS, seed: 1, resolution: 4 });
    expect(replies[0]).toMatchObject({ type: 'records', latest: { epoch: 0, testLoss: null } });
    expect(session.handle({ run: 1, type: 'step', epochs: 1, budgetMs: 0 })[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/no training points/) });
  });
});
