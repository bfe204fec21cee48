import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tensor, nn, optim, fit, trainingEvents, Generator, NonFiniteError, noGrad, CaptureRefusedError } from '../packages/nnlab/src/index.js';
import type { CapturedStep } from '../packages/nnlab/src/index.js';

const inputs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const targets = tensor([[0], [1], [1], [0]]);

function net(seed = 1) {
  const rng = new Generator(seed);
  return new nn.Sequential({
    hidden: new nn.Dense(2, 2, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
    output: new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
  });
}

describe('fit', () => {
  it('full batch: equals the hand-written loop step for step', () => {
    const a = net();
    const history = fit(a, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(a.parameters(), { lr: 5 }), epochs: 50 });
    const b = net();
    const opt = new optim.SGD(b.parameters(), { lr: 5 });
    const losses: number[] = [];
    for (let i = 0; i < 50; i++) {
      opt.zeroGrad();
      const loss = nn.mseLoss(b.forward(inputs), targets);
      losses.push(loss.item());
      loss.backward();
      opt.step();
    }
    expect(history.map((e) => e.loss)).toEqual(losses);
    expect(a.parameters().map((p) => Array.from(p.data))).toEqual(b.parameters().map((p) => Array.from(p.data)));
  });

  it('minibatches: ceil(n / batchSize) steps per epoch, shuffled reproducibly by the seed', () => {
    const run = (seed: number) => {
      const model = net();
      const history = fit(model, {
        inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 1 }), epochs: 3, batchSize: 3, rng: new Generator(seed),
      });
      return { steps: history.map((e) => e.steps), weights: Array.from(model.parameters()[0].data) };
    };
    expect(run(5).steps).toEqual([2, 4, 6]);
    expect(run(5).weights).toEqual(run(5).weights);
    expect(run(5).weights).not.toEqual(run(6).weights);
  });

  it.each([
    ['full batch', {}],
    ['minibatches of 3 (the last of 1), with momentum', { batchSize: 3, momentum: 0.9 }],
  ])('capture: true replays captured steps with the eager numbers: %s', (_, { batchSize, momentum }: { batchSize?: number; momentum?: number }) => {
    const train = (capture: boolean) => {
      const model = net();
      const optimizer = new optim.SGD(model.parameters(), { lr: 2, momentum });
      const rng = batchSize === undefined ? undefined : new Generator(4);
      const history = fit(model, { inputs, targets, loss: nn.mseLoss, optimizer, epochs: 30, batchSize, rng, capture });
      return { losses: history.map((e) => e.loss), steps: history.at(-1)!.steps, weights: model.parameters().map((p) => Array.from(p.data)) };
    };
    const eager = train(false);
    expect(train(true)).toEqual(eager);
    expect(eager.steps).toBe(batchSize === undefined ? 30 : 60);
  });

  it.each([
    ['full batch, SGD', {}],
    ['minibatches of 16 (the last of 2), so the labels change at every replay, Adam', { batchSize: 16 }],
  ])('capture: true with crossEntropyLoss on class labels replays the eager numbers: %s', (_, { batchSize }: { batchSize?: number }) => {
    // Three interleaved spiral arms, 2-D points labelled by arm.
    const n = 50;
    const rngData = new Generator(9);
    const labels = Array.from({ length: n }, (_, i) => i % 3);
    const points = labels.map((c, i) => {
      const r = (i + 1) / n;
      const angle = 4 * r + (2 * Math.PI * c) / 3 + 0.2 * rngData.normal();
      return [r * Math.cos(angle), r * Math.sin(angle)];
    });
    const x = tensor(points);
    const t = tensor(labels);
    const train = (capture: boolean) => {
      const rng = new Generator(2);
      const model = new nn.Sequential({ hidden: new nn.Dense(2, 12, { activation: 'tanh', rng }), out: new nn.Dense(12, 3, { rng }) });
      const optimizer = batchSize === undefined ? new optim.SGD(model.parameters(), { lr: 0.5 }) : new optim.Adam(model.parameters(), { lr: 0.02 });
      const history = fit(model, {
        inputs: x, targets: t, loss: nn.crossEntropyLoss, optimizer, epochs: 25, batchSize, rng: batchSize === undefined ? undefined : new Generator(4), capture,
      });
      return { losses: history.map((e) => e.loss), steps: history.at(-1)!.steps, weights: model.parameters().map((p) => Array.from(p.data)) };
    };
    const eager = train(false);
    expect(train(true)).toEqual(eager);
    expect(eager.steps).toBe(batchSize === undefined ? 25 : 100);
    expect(eager.losses.at(-1)!).toBeLessThan(eager.losses[0]);
  });

  it('capture: a CapturedSteps map keeps the steps between fit calls, with the numbers of one eager fit', () => {
    const x = tensor(Array.from({ length: 14 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]));
    const y = tensor(Array.from({ length: 14 }, (_, i) => [i % 2]));
    const train = (capture: Map<number, CapturedStep<'x' | 't'>> | false) => {
      const model = net();
      const optimizer = new optim.SGD(model.parameters(), { lr: 2, momentum: 0.5 });
      const rng = new Generator(4);
      const losses: number[] = [];
      for (let call = 0; call < 8; call++) {
        losses.push(fit(model, { inputs: x, targets: y, loss: nn.mseLoss, optimizer, epochs: 1, batchSize: 4, rng, capture })[0].loss);
      }
      return { losses, weights: model.parameters().map((p) => Array.from(p.data)) };
    };
    const steps = new Map<number, CapturedStep<'x' | 't'>>();
    expect(train(steps)).toEqual(train(false));
    expect([...steps.keys()]).toEqual([4, 2]); // full minibatches and the last of 14 − 3·4
    const kept = steps.get(4);
    fit(net(), { inputs: x, targets: y, loss: nn.mseLoss, optimizer: new optim.SGD([]), epochs: 0, capture: steps });
    expect(steps.get(4)).toBe(kept);
  });

  it('capture refused by captureStep (dropout in training mode) throws before any batch is drawn or step taken', () => {
    const rng = new Generator(1);
    const model = new nn.Sequential({ hidden: new nn.Dense(2, 3, { rng }), drop: new nn.Dropout(0.5, { rng }), out: new nn.Dense(3, 1, { rng }) });
    const before = model.parameters().map((p) => Array.from(p.data));
    const batches = new Generator(4);
    const optimizer = new optim.SGD(model.parameters(), { lr: 1 });
    expect(() => fit(model, { inputs, targets, loss: nn.mseLoss, optimizer, epochs: 3, batchSize: 3, rng: batches, capture: true })).toThrow(/captureStep: dropout layer/);
    expect(model.parameters().map((p) => Array.from(p.data))).toEqual(before);
    expect(optimizer.stepCount).toBe(0);
    expect(batches.uniform()).toBe(new Generator(4).uniform());
  });

  it('capture with clipping is an error that says why', () => {
    const model = net();
    expect(() => fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters()), epochs: 1, clipNorm: 1, capture: true })).toThrow(
      'train: capture replays backward and the update as one step, so it cannot clip between them: drop clipNorm/clipValue or capture',
    );
  });

  it("captureMode: 'closures' replays with closures (no new Function), with the eager numbers", () => {
    const train = (capture: boolean) => {
      const model = net();
      const steps = new Map<number, CapturedStep<'x' | 't'>>();
      const history = fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 5 }), epochs: 20, capture: capture && steps, captureMode: 'closures' });
      return { losses: history.map((e) => e.loss), weights: model.parameters().map((p) => Array.from(p.data)), modes: [...steps.values()].map((s) => s.mode) };
    };
    const captured = train(true);
    expect(captured.modes).toEqual(['closures']);
    expect({ ...captured, modes: [] }).toEqual({ ...train(false), modes: [] });
  });

  it('onGradients(context) sees each step’s gradients before clipping, and refuses capture', () => {
    const model = net();
    const seen: number[] = [];
    const params = model.parameters();
    const [event] = fit(model, {
      inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(params), epochs: 1, clipNorm: 1e-6,
      onGradients: () => void seen.push(optim.globalGradNorm(params)),
    });
    expect(seen).toEqual([event.gradNorm]);
    expect(optim.globalGradNorm(params)).toBeCloseTo(1e-6, 12); // what the step used: clipped after the hook
    expect(() => fit(net(), { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(net().parameters()), epochs: 1, capture: true, onGradients: () => {} })).toThrow(
      'train: capture replays backward and the update as one step, so onGradients cannot see the gradients between them: drop onGradients or capture',
    );
  });

  it('minibatching without a generator is an error that says how to fix it', () => {
    const model = net();
    expect(() => fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters()), epochs: 1, batchSize: 2 })).toThrow(
      'train: batchSize 2 < 4 samples shuffles each epoch and needs a seeded Generator: pass { rng }',
    );
  });

  it.each([
    ['eager steps (capture: false): the first parameter with a non-finite gradient', false, /^train: loss became (Infinity|NaN) at epoch 1; first bad parameter: 'hidden\.weight' has gradient (Infinity|NaN)/],
    ['captured steps (fit’s default): the first parameter the update spoiled', undefined, /^train: loss became (Infinity|NaN) at epoch 1; first bad parameter: 'hidden\.weight' holds -?(Infinity|NaN) at flat index 0/],
  ] as const)('stops on a non-finite loss, naming the epoch and %s', (_what, capture, message) => {
    const model = new nn.Sequential({ hidden: new nn.Dense(2, 1, { weightInit: nn.init.constant(1) }) });
    const big = tensor([[1e20, 1e20]]);
    let error: unknown;
    try {
      fit(model, { inputs: big, targets: tensor([[0]]), loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 1 }), epochs: 5, capture });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).message).toMatch(message);
    expect((error as NonFiniteError).parameter).toBe('hidden.weight');
    expect((error as NonFiniteError).loss).not.toBeLessThan(Infinity); // Infinity or NaN: the loss it caught
  });

  it('fit captures its steps by default: the same history, bit for bit, as eager steps (capture: false) and as capture: true', () => {
    const histories = [undefined, false, true].map((capture) => {
      const model = net();
      return fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.Adam(model.parameters(), { lr: 0.05 }), epochs: 50, capture }).map((e) => e.loss);
    });
    expect(histories[0]).toEqual(histories[1]);
    expect(histories[0]).toEqual(histories[2]);
    // That the default did capture shows in how a non-finite loss is reported (the test above).
  });

  it('fit trains eagerly what captureStep refuses (dropout in training mode), the numbers of capture: false', () => {
    const make = () => new nn.Sequential([new nn.Dense(2, 4, { activation: 'tanh', rng: new Generator(1) }), new nn.Dropout(0.5, { rng: new Generator(2) }), new nn.Dense(4, 1, { rng: new Generator(3) })]);
    const train = (capture?: boolean) => {
      const model = make();
      return fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }), epochs: 20, capture }).map((e) => e.loss);
    };
    expect(() => train(true)).toThrow(CaptureRefusedError);
    expect(train()).toEqual(train(false));
  });

  it('record() adds values to each event, computed in eval mode; onEpoch can stop early', () => {
    const model = new nn.Sequential([new nn.Dense(2, 4, { activation: 'sigmoid', rng: new Generator(1) }), new nn.Dropout(0.5, { rng: new Generator(2) }), new nn.Dense(4, 1, { rng: new Generator(3) })]);
    const modes: boolean[] = [];
    const history = fit(model, {
      inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }), epochs: 10,
      record: { evalError: ({ model: m }) => { modes.push(m.training); return noGrad(() => nn.mseLoss(m.forward(inputs), targets).item()); } },
      onEpoch: (event) => (event.epoch === 3 ? 'stop' : undefined),
    });
    expect(history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(history.every((e) => typeof e.evalError === 'number')).toBe(true);
    expect(modes).toEqual([false, false, false]);
    expect(model.training).toBe(false);
  });

  it('clipNorm reports the gradient norm before clipping', () => {
    const model = net();
    const [event] = fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters()), epochs: 1, clipNorm: 1e-6 });
    expect(event.gradNorm).toBeGreaterThan(1e-6);
  });

  it('trainingEvents() can be driven one epoch at a time and leaves the model in eval mode when stopped', () => {
    const model = net();
    const events = trainingEvents(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 5 }), epochs: 100 });
    let count = 0;
    for (const event of events) {
      expect(model.training).toBe(true);
      if (++count === 10) break;
      expect(event.epoch).toBe(count);
    }
    expect(model.training).toBe(false);
  });

  it('a long training loop holds constant memory: nothing to dispose', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const model = net();
    const opt = new optim.SGD(model.parameters(), { lr: 5 });
    const step = () => {
      opt.zeroGrad();
      const loss = nn.mseLoss(model.forward(inputs), targets);
      loss.backward();
      opt.step();
    };
    for (let i = 0; i < 5_000; i++) step();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 50_000; i++) step();
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(1_000_000);
  });
});
