/**
 * Chapter program 05: squared error vs binary cross entropy on a sigmoid output, for targets 0
 * and 1, with their gradients with respect to the logit: where each is flat or steep. No training.
 */
import { binaryCrossEntropy, grad, linspace, sigmoid } from 'nnlab';
import type { Tensor } from 'nnlab';
import type { Experiment, Panel } from './types.js';
import { tableItem } from './items.js';

const schema = {
  points: { type: 'integer', default: 50, min: 2, max: 10_001, help: 'points per curve (the original used 50)' },
  range: { type: 'number', default: 10, min: 0.1, max: 50, help: 'logits span [−range, range]' },
} as const;

type ErrorFunction = (y: Tensor, t: number) => Tensor;
const squareError: ErrorFunction = (y, t) => y.sub(t).square();
const crossEntropy: ErrorFunction = (y, t) => binaryCrossEntropy(y, t);

export const bce: Experiment<typeof schema> = {
  name: 'bce',
  kind: 'figures',
  sweepable: false,
  description: 'squared error vs binary cross entropy on a sigmoid output: where each is flat, where steep',
  explanation:
    'When a sigmoid output is confidently wrong (a large logit of the wrong sign), the squared error is nearly flat: ' +
    'its gradient with respect to the logit is 2(y − t)·y(1 − y), and the y(1 − y) factor vanishes as the sigmoid ' +
    'saturates, so gradient descent barely moves exactly when it most needs to. Binary cross entropy grows without ' +
    'bound as the output approaches the wrong answer, and its gradient with respect to the logit is simply y − t: ' +
    'steep when wrong, flat only when right. The lower panels show both gradients.',
  schema,
  *run(config, seed) {
    yield { kind: 'start', experiment: 'bce', config, seed };
    const zs = linspace(-config.range, config.range, config.points, 'float64');
    const z = Array.from(zs.data);
    const y = Array.from(sigmoid(zs).data);
    // Each loss one colour in every panel (its `variant`): squared error red, cross entropy green.
    const variantOf = (name: string) => (name === 'Squared error' ? 0 : 2);
    const errorPanel = (name: string, f: ErrorFunction, t: number): Panel => ({
      title: `${name} (t=${t})`,
      xLabel: 'logit z',
      yLabel: 'σ(z) and the error',
      xDomain: [-config.range, config.range],
      yDomain: [-0.1, 5],
      series: [
        { label: 'sigmoid', x: z, y },
        { label: name.toLowerCase(), variant: variantOf(name), x: z, y: Array.from(f(sigmoid(zs), t).data), style: 'dotted' },
      ],
    });
    const gradientPanel = (t: number): Panel => {
      const slope = (f: ErrorFunction) => Array.from(grad((logit: Tensor) => f(sigmoid(logit), t).sum())(zs)[0].data);
      return {
        title: `gradient with respect to the logit (t=${t})`,
        xLabel: 'logit z',
        yLabel: 'dE/dz',
        xDomain: [-config.range, config.range],
        yDomain: [-1.1, 1.1],
        series: [
          { label: 'squared error', variant: variantOf('Squared error'), x: z, y: slope(squareError) },
          { label: 'binary cross entropy', variant: variantOf('Binary cross entropy'), x: z, y: slope(crossEntropy), style: 'dotted' },
        ],
      };
    };
    yield {
      kind: 'figure',
      name: 'errors',
      title: 'Squared error and binary cross entropy of a sigmoid output',
      panels: [errorPanel('Squared error', squareError, 0), errorPanel('Binary cross entropy', crossEntropy, 0), errorPanel('Squared error', squareError, 1), errorPanel('Binary cross entropy', crossEntropy, 1)],
    };
    yield { kind: 'figure', name: 'gradients', title: 'Their gradients with respect to the logit', panels: [gradientPanel(0), gradientPanel(1)] };
    // At a confidently wrong logit (the far end of the range for t = 0), compare the two gradients.
    const wrong = [config.range];
    const at = (f: ErrorFunction) => grad((logit: Tensor) => f(sigmoid(logit), 0).sum())(linspace(wrong[0], wrong[0], 1, 'float64'))[0].item();
    yield {
      kind: 'final',
      predictions: [],
      parameters: {},
      extra: {
        confidentlyWrong: tableItem(
          [{ logit: wrong[0], target: 0, squareErrorGradient: at(squareError), crossEntropyGradient: at(crossEntropy) }],
          undefined,
          { logit: 'logit z', squareErrorGradient: 'squared error: dE/dz', crossEntropyGradient: 'cross entropy: dE/dz' },
        ),
      },
    };
  },
};
