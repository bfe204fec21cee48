/** Chapter program 07: the binary decoder, 2 inputs → 2 sigmoid hidden units → 4-way softmax. */
import { Generator, nn, softmax, tensor } from 'nnlab';
import { decoder } from '../datasets/gates.js';
import { heatMap, twoLayerOptions } from './common.js';
import { train } from './training.js';
import { hiddenMaps, twoLayerNet } from './two-layer.js';
import type { Experiment } from './types.js';

const schema = twoLayerOptions(2);

const CLASSES = 4;

export const categorical: Experiment<typeof schema> = {
  name: 'categorical',
  kind: 'training',
  sweepable: true,
  continuable: true,
  description: 'a softmax output decodes two bits into one of four classes, trained with categorical cross entropy',
  explanation:
    'The output layer gives four logits and softmax turns them into four probabilities that sum to 1: one heat map ' +
    'per class shows where the network believes that class. The targets are class indices (00 → 0, 01 → 1, 10 → 2, ' +
    '11 → 3), which stand for one-hot vectors; the loss is −ln of the probability given to the right class, so it ' +
    'starts near ln 4 ≈ 1.39 when all four are equally likely and falls towards 0. Vectors are printed with class 0 ' +
    'first (the chapter writes its one-hot codes with index 0 on the right).',
  schema,
  *run(config, seed) {
    const data = decoder();
    const classes = data.targets.map(([c]) => c);
    const model = twoLayerNet(config.hidden, CLASSES, 'linear', config.initStd, new Generator(seed));
    yield* train({
      experiment: 'categorical',
      config,
      seed,
      errorLabel: 'XE',
      data,
      targets: tensor(classes),
      trainees: [{ series: 'train', model, loss: (logits, targets) => nn.crossEntropyLoss(logits, targets) }],
      maps: (m, grid) => {
        const probabilities = softmax(m.forward(grid)); // [resolution², 4]
        return [
          ...Array.from({ length: CLASSES }, (_, c) => heatMap(`Output ${c}`, probabilities, c, config.resolution)),
          ...hiddenMaps(m as nn.Sequential, grid, config.resolution),
        ];
      },
      predict: (m, x) => softmax(m.forward(x)),
    });
  },
};
