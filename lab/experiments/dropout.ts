/** Chapter program 04: 8 hidden units with dropout on the hidden layer, beside the same net without dropout. */
import { Generator, nn } from 'nnlab';
import { gate } from '../datasets/gates.js';
import { heatMap, predictionsOf, twoLayerOptions } from './common.js';
import { targetTensor, train } from './training.js';
import type { Experiment } from './types.js';
import { predictionsItem } from './items.js';

const schema = {
  rate: { type: 'number', default: 0.5, min: 0, max: 0.95, help: 'share of hidden units dropped at each training step' },
  ...twoLayerOptions(8),
} as const;

/** Hidden sigmoid layer, dropout on its activations only, sigmoid output: the original's model. */
function dropoutNet(hidden: number, rate: number, std: number, seed: number): nn.Sequential {
  const init = new Generator(seed);
  const weightInit = nn.init.normal(0, std);
  return new nn.Sequential({
    hidden: new nn.Dense(2, hidden, { activation: 'sigmoid', weightInit, rng: init }),
    dropout: new nn.Dropout(rate, { rng: init.fork('dropout masks') }),
    output: new nn.Dense(hidden, 1, { activation: 'sigmoid', weightInit, rng: init }),
  });
}

export const dropout: Experiment<typeof schema> = {
  name: 'dropout',
  kind: 'training',
  sweepable: true,
  continuable: true,
  description: 'dropout on 8 hidden units learns XOR with a noisier error curve than the same net without it',
  explanation:
    'During each training step dropout switches off each hidden unit with probability rate (0.5 here) and doubles ' +
    'the survivors, 1 / (1 − rate), so every unit’s expected contribution is unchanged and nothing needs rescaling ' +
    'when dropout is off. A unit cannot count on any particular partner being present, so units stop co-adapting and ' +
    'each must be useful on its own; the net behaves like an average over the many thinned networks that share its ' +
    'weights. The error here is measured with dropout off, so its noise comes from the random updates themselves. ' +
    'The second curve trains the same initial weights without dropout, for comparison.',
  schema,
  *run(config, seed) {
    const data = gate('xor');
    // Both nets start from the same weights: the init generator is seeded alike and draws the same shapes.
    const withDropout = dropoutNet(config.hidden, config.rate, config.initStd, seed);
    const without = dropoutNet(config.hidden, 0, config.initStd, seed);
    yield* train({
      experiment: 'dropout',
      config,
      seed,
      errorLabel: 'MSE',
      mainSeries: 'with dropout',
      data,
      targets: targetTensor(data),
      trainees: [
        { series: 'train', model: withDropout, loss: nn.mseLoss },
        { series: 'no dropout', model: without, loss: nn.mseLoss },
      ],
      maps: (m, grid) => [heatMap('Output', m.forward(grid), 0, config.resolution)],
      predict: (m, x) => m.forward(x),
      extra: () => {
        without.eval();
        return { noDropoutPredictions: predictionsItem(predictionsOf(data, (x) => without.forward(x))) };
      },
    });
  },
};
