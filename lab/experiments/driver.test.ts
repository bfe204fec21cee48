import { describe, expect, it } from 'vitest';
import { Generator, nn, optim, tensor } from 'nnlab';
import { DivergedError, Trainee, sideBySide } from './driver.js';

const inputs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const targets = tensor([[0], [1], [1], [0]]);

function xorNet(seed = 1, dropout = 0): nn.Sequential {
  const rng = new Generator(seed);
  const weightInit = nn.init.normal(0, 0.3);
  return new nn.Sequential({
    hidden: new nn.Dense(2, 4, { activation: 'sigmoid', weightInit, rng }),
    ...(dropout > 0 ? { dropout: new nn.Dropout(dropout, { rng: rng.fork('masks') }) } : {}),
    output: new nn.Dense(4, 1, { activation: 'sigmoid', weightInit, rng }),
  });
}

function trainee(series: string, model: nn.Module, lr = 5, capture = true): Trainee {
  return new Trainee({ series, model, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr }), capture });
}

/** A linear unit: with a learning rate far too large each step overshoots further, until float32 overflows. */
function linear(seed = 1): nn.Dense {
  return new nn.Dense(2, 1, { weightInit: nn.init.normal(0, 0.3), rng: new Generator(seed) });
}

const weights = (model: nn.Module) => model.parameters().map((p) => Array.from(p.data));

describe('Trainee', () => {
  it('train(inputs, targets) replays captured steps where captureStep takes the model: the eager numbers', () => {
    const [captured, eager] = [trainee('a', xorNet()), trainee('b', xorNet(), 5, false)];
    for (let i = 0; i < 30; i++) expect(captured.train(inputs, targets).loss).toBe(eager.train(inputs, targets).loss);
    expect([captured.lastSteps, eager.lastSteps]).toEqual(['captured', 'eager']);
    expect(weights(captured.model)).toEqual(weights(eager.model));
    expect(captured.epoch).toBe(30);
  });

  it('train() falls back to eager steps once captureStep refuses the model (dropout in training mode), with nothing changed first', () => {
    const [refused, eager] = [trainee('a', xorNet(1, 0.5)), trainee('b', xorNet(1, 0.5), 5, false)];
    for (let i = 0; i < 5; i++) expect(refused.train(inputs, targets).loss).toBe(eager.train(inputs, targets).loss);
    expect(refused.lastSteps).toBe('eager');
    expect(weights(refused.model)).toEqual(weights(eager.model));
  });

  it('train() throws DivergedError naming the series and the epoch when a weight becomes non-finite', () => {
    const diverging = trainee('too fast', linear(), 100);
    let caught: unknown;
    try {
      for (let i = 0; i < 100; i++) diverging.train(inputs, targets);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DivergedError);
    const { divergence, message } = caught as DivergedError;
    expect(divergence?.series).toBe('too fast');
    expect(message).toMatch(/^too fast: training diverged at epoch \d+: (loss became (Infinity|NaN)|a parameter became non-finite)/);
    expect(divergence?.epoch).toBe(diverging.epoch + 1);
  });
});

describe('sideBySide(trainees, { inputs, targets, epochs })', () => {
  it('yields every trainee’s eval-mode error at epoch 0 and after each epoch; one that diverges stops, the others go on', () => {
    const fine = trainee('fine', linear(), 0.1);
    const diverging = trainee('diverging', linear(), 100);
    const epochs = [...sideBySide([fine, diverging], { inputs, targets, epochs: 40 })];
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 41 }, (_, i) => i));
    expect(epochs[0].errors[0]).toBe(epochs[0].errors[1]); // the same start
    const stop = epochs.findIndex((e) => e.diverged.length > 0);
    expect(stop).toBeGreaterThan(0);
    expect(epochs[stop].diverged).toEqual([expect.objectContaining({ series: 'diverging', epoch: stop })]);
    expect(epochs.slice(stop).every((e) => e.errors[1] === null && typeof e.errors[0] === 'number')).toBe(true);
    expect(fine.epoch).toBe(40);
    expect(epochs.map((e) => e.last)).toEqual(Array.from({ length: 41 }, (_, i) => i === 40));
  });

  it('with stepLossIsError, epochs nobody reads take their error from the next step: the same errors and stops, the same weights for those that go on', () => {
    const run = (reads: (epoch: number) => boolean) => {
      const trainees = [linear(1), linear(2), linear(3)].map(
        (model, i) => new Trainee({ series: `t${i}`, model, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: [0.1, 100, 1.5][i] }), stepLossIsError: true }),
      );
      const epochs = [...sideBySide(trainees, { inputs, targets, epochs: 30, reads })].map(({ epoch, errors, diverged }) => ({
        epoch,
        errors,
        diverged: diverged.map(({ series, epoch: at, error }) => ({ series, at, error })),
      }));
      return { epochs, weights: trainees.map((t) => weights(t.model)) };
    };
    const everyEpoch = run(() => true);
    expect(everyEpoch.epochs.some((e) => e.diverged.length > 0)).toBe(true); // t1 overflows, the others go on
    const ahead = run((epoch) => epoch % 7 === 0);
    expect(ahead.epochs).toEqual(everyEpoch.epochs);
    // A replayed step that finds its loss not finite has taken its update: only the weights of the
    // trainee that stopped can show it.
    expect([ahead.weights[0], ahead.weights[2]]).toEqual([everyEpoch.weights[0], everyEpoch.weights[2]]);
  });

  it('ends at the epoch where every trainee has stopped', () => {
    const epochs = [...sideBySide([trainee('a', linear(), 100)], { inputs, targets, epochs: 100 })];
    expect(epochs.length).toBeLessThan(100);
    expect(epochs[epochs.length - 1].last).toBe(true);
  });
});
