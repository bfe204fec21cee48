/**
 * Chapter program 01: the activation functions and their derivatives (computed by nnlab's own
 * autodiff), and softmax ignoring a constant shift of its logits. No training.
 */
import { elu, grad, leakyRelu, linspace, prelu, relu, sigmoid, softmax, tanh, tensor } from 'nnlab';
import type { Tensor } from 'nnlab';
import type { Experiment, FinalItem, Panel } from './types.js';
import { numberItem, labelled, textItem } from './items.js';

const schema = {
  points: { type: 'integer', default: 50, min: 2, max: 10_001, help: 'points per curve (the original used 50)' },
  range: { type: 'number', default: 10, min: 0.1, max: 1000, help: 'curves span [−range, range]' },
  leakySlope: { type: 'number', default: 0.01, min: 0, max: 1, help: "leaky ReLU's slope for x < 0" },
  preluSlope: { type: 'number', default: 0.25, min: 0, max: 1, help: "PReLU's slope for x < 0 (learned in a network; fixed here)" },
  shift: { type: 'number', default: 1, min: -1000, max: 1000, help: 'the constant subtracted from the logits [−1, 0, 1]' },
} as const;

/** f(xs) and f'(xs), the derivative from backpropagation rather than a formula. */
function curveAndDerivative(f: (x: Tensor) => Tensor, xs: Tensor): [number[], number[]] {
  const [derivative] = grad((x: Tensor) => f(x).sum())(xs);
  return [Array.from(f(xs).data), Array.from(derivative.data)];
}

export const activations: Experiment<typeof schema> = {
  name: 'activations',
  kind: 'figures',
  sweepable: false,
  description: 'sigmoid, tanh, ReLU, leaky ReLU and PReLU with their derivatives; softmax ignores a shift of its logits',
  explanation:
    'Sigmoid squashes any input into (0, 1) and tanh into (−1, 1); both flatten out for large |x|, where their ' +
    'derivatives (dotted) fall to almost 0, which is why deep stacks of them learn slowly. ReLU passes positive ' +
    'inputs unchanged with derivative 1 and blocks negative ones with derivative 0 (at exactly 0 nnlab, like ' +
    'TensorFlow, uses 0). Leaky ReLU and PReLU keep a small slope for negative inputs so a unit never goes fully ' +
    'silent; PReLU learns that slope. Softmax turns logits into probabilities that sum to 1, and subtracting the same ' +
    'constant from every logit leaves them unchanged, because the constant cancels between numerator and denominator.',
  schema,
  *run(config, seed) {
    yield { kind: 'start', experiment: 'activations', config, seed };
    const xs = linspace(-config.range, config.range, config.points, 'float64');
    const x = Array.from(xs.data);
    const functions: [string, (t: Tensor) => Tensor][] = [
      ['sigmoid', sigmoid],
      ['tanh', tanh],
      ['ReLU', relu],
      ['leaky ReLU', (t) => leakyRelu(t, config.leakySlope)],
      ['PReLU', (t) => prelu(t, config.preluSlope)],
      ['ELU', (t) => elu(t)],
    ];
    const panels: Panel[] = functions.map(([name, f]) => {
      const [y, dy] = curveAndDerivative(f, xs);
      return {
        title: `${name}(x)`,
        xLabel: 'x',
        yLabel: 'y',
        xDomain: [-config.range, config.range],
        yDomain: [-2, 2],
        series: [
          { label: name, x, y },
          { label: 'derivative', x, y: dy, style: 'dotted' },
        ],
      };
    });
    yield { kind: 'figure', name: 'activations', title: 'Activation functions and their derivatives', panels };

    const logits = tensor([-1, 0, 1]);
    const shifted = logits.sub(config.shift);
    const p = Array.from(softmax(logits).data);
    const q = Array.from(softmax(shifted).data);
    const bars = (title: string, values: number[]): Panel => ({
      title,
      xLabel: 'logits',
      yLabel: 'probability',
      xDomain: [-1.5, 1.5],
      yDomain: [0, 1],
      series: [{ label: title, x: [-1, 0, 1], y: values, style: 'bars' }],
    });
    yield {
      kind: 'figure',
      name: 'softmax',
      title: 'softmax of the logits [−1, 0, 1], and of the same logits shifted',
      panels: [bars('softmax(xs)', p), bars(`softmax(xs − ${config.shift})`, q)],
    };
    yield {
      kind: 'final',
      predictions: [
        { input: [-1, 0, 1], target: [], output: p },
        { input: Array.from(shifted.data), target: [], output: q },
      ],
      parameters: {},
      extra: softmaxShiftItems(p, q, config.shift),
    };
  },
};

/**
 * What the softmax panels compare, in words: the largest change a shift of every logit makes to
 * a probability, and what that number says (0: the same float32 numbers to the last bit).
 */
function softmaxShiftItems(p: readonly number[], q: readonly number[], shift: number): Record<string, FinalItem> {
  const largest = Math.max(...p.map((v, i) => Math.abs(v - q[i])));
  const meaning =
    largest === 0
      ? `0: subtracting ${shift} from every logit leaves every probability exactly as it was, to the last bit, as the equation says it must`
      : `${largest.toExponential(2)}: subtracting ${shift} from every logit changes the probabilities only by float32 rounding (softmax ignores the shift, the arithmetic nearly so)`;
  return {
    largestDifference: labelled(`largest |softmax(xs) − softmax(xs − ${shift})| over the three probabilities`, numberItem(largest)),
    softmaxShift: labelled('what it shows', textItem(meaning)),
  };
}
