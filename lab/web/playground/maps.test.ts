import { describe, expect, it } from 'vitest';
import { grid2d, noGrad } from 'nnlab';
import type { Tensor } from 'nnlab';
import { generateDataset } from './datasets.js';
import { probabilities } from './spec.js';
import type { LayerSpec, NetworkSpec } from './spec.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { Trainer, domainOf } from './trainer.js';
import type { Maps } from './trainer.js';

const spiral = generateDataset({ name: 'spiral', count: 120, noise: 0.01, classes: 3, testFraction: 0.2 }, 1);
const circle = generateDataset({ name: 'circle', count: 120, noise: 0.01, classes: 2, testFraction: 0 }, 1);
const unit = (units: number, activation: LayerSpec['activation'], dropout = 0): LayerSpec => ({ units, activation, dropout });
const relu6 = Array.from({ length: 6 }, () => unit(8, 'relu'));

/** The maps as the playground computed them before its fast path: each block's forward, column by column. */
function referenceMaps(trainer: Trainer, resolution: number): Maps {
  const columns = (x: Tensor): Float32Array[] =>
    Array.from({ length: x.shape[1] }, (_, j) => Float32Array.from({ length: x.shape[0] }, (_, i) => x.data[i * x.shape[1] + j]));
  return noGrad(() => {
    trainer.model.eval();
    let h = grid2d({ resolution });
    const layers = trainer.network.layers;
    const hidden = layers.slice(0, -1).map((layer, i) => {
      h = layer.block.forward(h);
      return columns(h).map((values) => ({ values, domain: domainOf(trainer.spec.hidden[i].activation, values) }));
    });
    return { resolution, output: columns(probabilities(trainer.spec, layers[layers.length - 1].block.forward(h))), hidden };
  });
}

describe('Trainer.maps(resolution)', () => {
  const cases: [string, NetworkSpec, typeof spiral][] = [
    ['the largest (6 × 8 ReLU, softmax over 3 classes)', { hidden: relu6, skip: 'none', loss: 'softmax', classes: 3 }, spiral],
    ['the default shape (4 and 2 tanh, squared error)', { hidden: [unit(4, 'tanh'), unit(2, 'tanh')], skip: 'none', loss: 'mse', classes: 2 }, circle],
    ['sigmoid and linear units with dropout, BCE', { hidden: [unit(5, 'sigmoid', 0.3), unit(3, 'linear')], skip: 'none', loss: 'bce', classes: 2 }, circle],
    ['no hidden layer', { hidden: [], skip: 'none', loss: 'softmax', classes: 3 }, spiral],
    ['residual layers and PReLU (the modules path)', { hidden: [unit(2, 'tanh'), unit(2, 'prelu')], skip: 'residual', loss: 'bce', classes: 2 }, circle],
    ['leaky ReLU (the modules path)', { hidden: [unit(3, 'leakyRelu')], skip: 'none', loss: 'bce', classes: 2 }, circle],
  ];

  it.each(cases)('gives the bits of each block\'s forward for %s, after training, at two resolutions', (_, spec, points) => {
    const trainer = new Trainer(spec, points, { ...DEFAULT_SETTINGS, learningRate: 0.1 }, 3);
    trainer.train(3);
    for (const resolution of [100, 7, 100]) {
      expect(trainer.maps(resolution)).toEqual(referenceMaps(trainer, resolution));
    }
    trainer.train(1); // the buffers kept between calls hold nothing stale
    expect(trainer.maps(100)).toEqual(referenceMaps(trainer, 100));
  });

  it('returns fresh arrays each call (the worker transfers them to the page)', () => {
    const trainer = new Trainer({ hidden: relu6, skip: 'none', loss: 'softmax', classes: 3 }, spiral, DEFAULT_SETTINGS, 1);
    const [a, b] = [trainer.maps(20), trainer.maps(20)];
    expect(a.hidden[0][0].values).not.toBe(b.hidden[0][0].values);
    expect(a.output[0].buffer).not.toBe(b.output[0].buffer);
    expect(a).toEqual(b);
  });
});
