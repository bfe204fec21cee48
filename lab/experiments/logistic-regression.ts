/** Chapter program 02: one sigmoid unit learns a two-input logic gate (and cannot learn XOR). */
import { nn } from 'nnlab';
import { GATES, gate } from '../datasets/gates.js';
import type { Gate } from '../datasets/gates.js';
import { epochsOption, heatMap, learningRateOption, reportEveryOption, resolutionOption } from './common.js';
import { targetTensor, train } from './training.js';
import type { Experiment } from './types.js';

const schema = {
  gate: { type: 'choice', default: 'or', choices: Object.keys(GATES), help: 'the gate to learn' },
  epochs: epochsOption(500),
  learningRate: learningRateOption(1.0),
  reportEvery: reportEveryOption(20),
  resolution: resolutionOption,
} as const;

export const logisticRegression: Experiment<typeof schema> = {
  name: 'logistic-regression',
  kind: 'training',
  sweepable: true,
  continuable: true,
  description: 'one sigmoid unit learns a logic gate; its decision line shows why XOR is out of reach',
  explanation:
    'A single sigmoid unit computes sigmoid(w·x + b), so its output is 0.5 exactly on the line w·x + b = 0 and rises ' +
    'towards 1 on one side of it. Whatever it learns, the heat map is split by one straight line. OR, AND, NAND and ' +
    'NOR each put their 1s on one side of some line, so the unit learns them; XOR puts 1s on two opposite corners, ' +
    'and no single line separates those from the other two, so the error stays near 0.25 and the output stays near 0.5 (white) where it cannot decide.',
  schema,
  *run(config, seed) {
    const data = gate(config.gate as Gate);
    // Zero initialisation, as the original: the run is the same for every seed.
    const model = new nn.Sequential({ output: new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.zeros() }) });
    yield* train({
      experiment: 'logistic-regression',
      config,
      seed,
      errorLabel: 'MSE',
      data,
      targets: targetTensor(data),
      trainees: [{ series: 'train', model, loss: nn.mseLoss }],
      maps: (m, grid) => [heatMap('Output', m.forward(grid), 0, config.resolution)],
      lines: (m) => {
        const [weight, bias] = m.parameters();
        return [{ name: 'w·x + b = 0', weights: [weight.data[0], weight.data[1]], bias: bias.data[0] }];
      },
      predict: (m, x) => m.forward(x),
    });
  },
};
