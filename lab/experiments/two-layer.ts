/** Chapter program 03: a sigmoid hidden layer makes XOR learnable; one heat map per hidden unit shows its line. */
import { Generator, nn } from 'nnlab';
import type { Tensor } from 'nnlab';
import { gate, square } from '../datasets/gates.js';
import { heatMap, twoLayerOptions } from './common.js';
import { targetTensor, train } from './training.js';
import type { ConfigRule, DecisionLine, Experiment, HeatMap } from './types.js';

const schema = {
  dataset: { type: 'choice', default: 'xor', choices: ['xor', 'square'], help: "XOR's 4 corners, or the chapter exercise's 16-point square" },
  ...twoLayerOptions(2),
  hidden: { type: 'integer', default: 2, min: 1, max: 64, help: 'hidden units (the square exercise needs at least 3)' },
} as const;

/** The chapter's two-layer network: sigmoid hidden layer, sigmoid output, weights ~ normal(0, std), zero biases. */
export function twoLayerNet(hidden: number, outputs: number, outputActivation: 'sigmoid' | 'linear', std: number, rng: Generator): nn.Sequential {
  const weightInit = nn.init.normal(0, std);
  return new nn.Sequential({
    hidden: new nn.Dense(2, hidden, { activation: 'sigmoid', weightInit, rng }),
    output: new nn.Dense(hidden, outputs, { activation: outputActivation, weightInit, rng }),
  });
}

/** One heat map per hidden unit: h0, h1, … */
export function hiddenMaps(model: nn.Sequential, grid: Tensor, resolution: number): HeatMap[] {
  const hidden = model.get('hidden').forward(grid); // [resolution², units]
  return Array.from({ length: hidden.shape[1] }, (_, unit) => heatMap(`h${unit}`, hidden, unit, resolution));
}

/** Each hidden unit's line w·x + b = 0: where its sigmoid crosses 0.5. */
export function hiddenLines(model: nn.Sequential): DecisionLine[] {
  const layer = model.get('hidden') as nn.Dense;
  const units = layer.outFeatures;
  const w = layer.weight.data; // [2, units]
  const b = layer.bias!.data;
  return Array.from({ length: units }, (_, unit) => ({ name: `h${unit}`, weights: [w[unit], w[units + unit]] as [number, number], bias: b[unit] }));
}

/** The fewest hidden units the square takes: each draws one line, and its interior needs 3 to be cut out. */
export const SQUARE_MIN_HIDDEN = 3;

/** The square with fewer than 3 hidden units cannot show what the exercise is about: refused up front. */
const squareNeedsThree: ConfigRule = {
  options: ['dataset', 'hidden'],
  rule: `the square data set needs --hidden ${SQUARE_MIN_HIDDEN} or more (each hidden unit draws one line, and it takes ${SQUARE_MIN_HIDDEN} lines to cut the square's 4 interior points out of the 12 around them)`,
  holds: (config) => config.dataset !== 'square' || Number(config.hidden) >= SQUARE_MIN_HIDDEN,
  fix: () => `use --hidden ${SQUARE_MIN_HIDDEN}`,
};

export const twoLayer: Experiment<typeof schema> = {
  name: 'two-layer',
  kind: 'training',
  sweepable: true,
  continuable: true,
  description: 'a sigmoid hidden layer learns XOR; each hidden unit draws one separating line',
  explanation:
    'Each hidden unit is a logistic-regression unit of its own: its heat map is split by one line. The output unit ' +
    'then combines those half-planes, so two lines can carve out the XOR pattern (a band between two parallel-ish ' +
    'lines) and three can enclose the square of the exercise. Training starts from small random weights; from some ' +
    'seeds the error stalls near 0.25 (the output stays near 0.5 everywhere) or near 0.125 (two corners fall on the ' +
    'same side of every hidden line) — the verdict line says which. Another seed or more hidden units get out of ' +
    'either; more epochs get out of most 0.25 stalls.',
  schema,
  rules: [squareNeedsThree],
  *run(config, seed) {
    const data = config.dataset === 'square' ? square() : gate('xor');
    const model = twoLayerNet(config.hidden, 1, 'sigmoid', config.initStd, new Generator(seed));
    yield* train({
      experiment: 'two-layer',
      config,
      seed,
      errorLabel: 'MSE',
      data,
      targets: targetTensor(data),
      trainees: [{ series: 'train', model, loss: nn.mseLoss }],
      maps: (m, grid) => [heatMap('Output', m.forward(grid), 0, config.resolution), ...hiddenMaps(m as nn.Sequential, grid, config.resolution)],
      lines: (m) => hiddenLines(m as nn.Sequential),
      predict: (m, x) => m.forward(x),
    });
  },
};
