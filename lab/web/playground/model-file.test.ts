import { describe, expect, it } from 'vitest';
import { generateDataset } from './datasets.js';
import { MAX_EPOCH, readPlaygroundFile } from './model-file.js';
import { DEFAULT_SETTINGS } from './settings.js';
import type { NetworkSpec } from './spec.js';
import { PlaygroundModel } from './trainer.js';

const xor = generateDataset({ name: 'xor', count: 4, noise: 0, classes: 2, testFraction: 0 }, 1);
const net = (units: number[]): NetworkSpec => ({ hidden: units.map((u) => ({ units: u, activation: 'tanh', dropout: 0 })), skip: 'none', loss: 'bce', classes: 2 });
const model = (units: number[]) => new PlaygroundModel(net(units), xor, DEFAULT_SETTINGS, 1);

/** A saved file with `change` applied to its JSON. */
function edited(units: number[], change: (document: { config: { playground: Record<string, unknown> }; metadata: Record<string, unknown> }) => void): string {
  const trained = model(units);
  trained.train(3);
  const document = JSON.parse(trained.save());
  change(document);
  return JSON.stringify(document);
}

describe('PlaygroundModel.load(text) of a hand-edited file', () => {
  it('config.playground.hidden = [null] is named, not "Cannot read properties of null", and the model is kept', () => {
    const trainer = model([3]);
    const before = trainer.weights();
    for (const units of [[3], [4]]) {
      const result = trainer.load(edited(units, (d) => (d.config.playground.hidden = [null])));
      expect(result).toEqual({ ok: false, message: "the file's playground settings cannot be used: config.playground.hidden[0] is null, expected {\"units\": a number, \"activation\": a name, \"dropout\": a rate}" });
    }
    expect(trainer.weights()).toEqual(before);
    expect(trainer.epoch).toBe(0);
  });

  it.each([2 ** 53, 1e308, -1, 1.5, '7', null, MAX_EPOCH + 1])('metadata.epoch = %s is refused, naming the field and the range; nothing changes', (epoch) => {
    const trainer = model([3]);
    const before = trainer.weights();
    const result = trainer.load(edited([3], (d) => (d.metadata.epoch = epoch)));
    expect(result).toEqual({ ok: false, message: `the file's playground settings cannot be used: metadata.epoch is ${JSON.stringify(epoch)}, expected a whole number of epochs from 0 to ${MAX_EPOCH}` });
    expect(trainer.weights()).toEqual(before);
    expect(trainer.epoch).toBe(0);
  });

  it.each([0, 12, MAX_EPOCH])('metadata.epoch = %s is loaded, and the next epoch counts on from it', (epoch) => {
    const trainer = model([3]);
    expect(trainer.load(edited([3], (d) => (d.metadata.epoch = epoch)))).toEqual({ ok: true });
    expect(trainer.epoch).toBe(epoch);
    trainer.train(1);
    expect(trainer.epoch).toBe(epoch + 1);
  });
});

describe('readPlaygroundFile(text)', () => {
  it('gives the saved spec and epoch of a file the playground saved', () => {
    expect(readPlaygroundFile(edited([3, 2], () => undefined))).toEqual({ spec: net([3, 2]), epoch: 3, problems: [] });
  });

  it('names each field of the wrong type', () => {
    const text = edited([3], (d) => Object.assign(d.config.playground, { hidden: [{ units: '3', activation: 'tanh', dropout: 0 }, 5], skip: 1, classes: 'two', features: [1] }));
    expect(readPlaygroundFile(text).problems).toEqual([
      'config.playground.skip is 1, expected a skip connection',
      'config.playground.classes is "two", expected a number of classes',
      'config.playground.features is [1], expected a list of input features',
      'config.playground.hidden[0] is {"units":"3","activation":"tanh","dro..., expected {"units": a number, "activation": a name, "dropout": a rate}',
      'config.playground.hidden[1] is 5, expected {"units": a number, "activation": a name, "dropout": a rate}',
    ]);
  });

  it('refuses a spec the playground cannot build, with its rule', () => {
    const text = edited([3], (d) => (d.config.playground.hidden = [{ units: 99, activation: 'tanh', dropout: 0 }]));
    expect(readPlaygroundFile(text).problems).toEqual(['config.playground: layer 1: units must be a whole number 1–8, got 99']);
  });

  it('reads inherited names as absent: config {"toString": …} is not a playground file', () => {
    expect(readPlaygroundFile('{"config": {"toString": 1}, "metadata": {"constructor": 1}}')).toEqual({ spec: null, epoch: null, problems: [] });
    expect(readPlaygroundFile('{"config": {"playground": null}}').problems).toEqual(['config.playground is null, expected the network\'s settings']);
  });

  it('leaves text that is not JSON to deserializeModel', () => {
    expect(readPlaygroundFile('{"format": "nnl')).toEqual({ spec: null, epoch: null, problems: [] });
  });
});
