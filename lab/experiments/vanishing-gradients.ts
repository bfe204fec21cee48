/**
 * The chapter's vanishing gradient problem: the same deep plain network with sigmoid, tanh, ReLU
 * and leaky ReLU units, trained side by side from the same seed on the same data, recording the
 * gradient norm of every layer's weights, the share of saturated sigmoid/tanh activations and of
 * dead ReLU units, and the training curves.
 */
import { Generator } from 'nnlab';
import { DeepNet } from './deep/nets.js';
import type { Init, Unit } from './deep/nets.js';
import { deadPerLayer, saturatedShare } from './deep/measures.js';
import { circleData, deepOptions, layerAxis, trainSideBySide } from './deep/training.js';
import type { VariantState } from './deep/training.js';
import type { Experiment, FigureRecord, Panel } from './types.js';
import { labelled, numberItem, tableItem } from './items.js';

const schema = deepOptions({ depth: 10, width: 12, points: 50, epochs: 1500, learningRate: 0.3, reportEvery: 50, init: 'glorot' });

const UNITS: readonly Unit[] = ['sigmoid', 'tanh', 'relu', 'leaky relu'];
/** The units whose failure mode is saturation; the others' is dying. */
const SATURATING: readonly Unit[] = ['sigmoid', 'tanh'];

/** ‖∂E/∂W‖ of the last (output) layer over that of layer 1: how much the gradient shrank on its way back. */
export function lastOverFirst(norms: readonly number[]): number {
  return norms[norms.length - 1] / norms[0];
}

/** The figure of per-layer gradient norms at initialisation and now, on one shared log axis. */
export function gradientNormFigure(epoch: number, initial: readonly VariantState[], current: readonly VariantState[]): FigureRecord {
  const depth = initial[0].gradNorms.length;
  const panel = (title: string, states: readonly VariantState[]): Panel => ({
    title,
    xLabel: 'layer (1 = next to the inputs)',
    yLabel: '‖∂E/∂W‖',
    xDomain: [1, depth],
    yScale: 'log',
    // Variant i gets the error chart's colour i, so a variant looks the same in every chart.
    series: states.map((s, i) => ({ label: s.series, variant: i, x: layerAxis(depth), y: s.gradNorms })),
  });
  return {
    kind: 'figure',
    name: 'gradient-norms',
    title: 'Gradient norm of each layer’s weights (log scale)',
    sharedY: true,
    panels: [panel('at initialisation', initial), panel(`after ${epoch} epochs`, current)],
  };
}

export const vanishingGradients: Experiment<typeof schema> = {
  name: 'vanishing-gradients',
  kind: 'training',
  sweepable: false,
  description: 'deep plain nets with sigmoid, tanh, ReLU and leaky ReLU: per-layer gradient norms, saturated and dead units',
  explanation:
    'Backpropagation multiplies the error signal, layer by layer on its way back to the inputs, by each layer’s weights ' +
    'and by its activation’s derivative. Sigmoid’s derivative is at most 0.25, so in the deep sigmoid net the gradient ' +
    'shrinks by roughly that factor per layer even when no unit is saturated: on the log-scale figure its curve falls ' +
    'steeply towards layer 1, whose weights get a gradient orders of magnitude smaller than the last layer’s and barely ' +
    'move, so its error curve stays flat. Tanh’s derivative is 1 at 0 and ReLU’s is exactly 1 for active units, so their ' +
    'curves stay level. Saturated units (a sigmoid output below 0.01 or above 0.99, a tanh output beyond ±0.99) pass ' +
    'back almost nothing. A ReLU unit that is off (input ≤ 0) for every training point passes back exactly nothing and ' +
    'is dead: a net with many can stall. Leaky ReLU keeps a slope of 0.01 there. Watch the second panel as training goes on. ' +
    'Where the run ends depends on the seed: at the end of a run its findings (printed by the CLI, shown with the final ' +
    'results on the page) give each net’s ratio at the start and final error. With the defaults (seed 1) the sigmoid ' +
    'net’s error stays at ln 2 ≈ 0.69 while the other three learn the circle; from seed 2 the ReLU net dies and stays ' +
    'at ln 2 instead, which is what leaky-relu is about.',
  schema,
  *run(config, seed) {
    const data = circleData(config.points, seed);
    // Every net draws its initial weights from a generator seeded alike: same seed, same draws.
    const variants = UNITS.map((unit) => ({
      series: unit,
      net: new DeepNet({ ...config, unit, connection: 'plain', init: config.init as Init, rng: new Generator(seed).fork('init') }),
    }));
    let initial: VariantState[] = [];
    const epochs: number[] = [];
    const activity = new Map<string, number[]>(UNITS.map((u) => [u, []]));
    const activityOf = (s: VariantState): number => {
      if (SATURATING.includes(s.net.unit)) return saturatedShare(s.net.unit, s.trace.hidden);
      const dead = deadPerLayer(s.trace.pre).reduce((a, b) => a + b, 0);
      return dead / (s.trace.pre.length * config.width);
    };
    const activityPanel = (title: string, yLabel: string, units: readonly Unit[]): Panel => {
      const series = units.map((u) => ({ label: u, variant: UNITS.indexOf(u), x: [...epochs], y: [...activity.get(u)!] }));
      // Zoomed to the largest share seen (at least 0.1), so a few per cent still shows.
      const top = Math.min(1, Math.max(0.1, ...series.flatMap((s) => s.y)) * 1.1);
      return { title, xLabel: 'epoch', yLabel, xDomain: [0, Math.max(1, config.epochs)], yDomain: [0, top], series };
    };
    yield* trainSideBySide({
      experiment: 'vanishing-gradients',
      config,
      seed,
      data,
      variants,
      report(epoch, states) {
        if (epoch === 0) initial = states;
        epochs.push(epoch);
        for (const s of states) activity.get(s.series)!.push(activityOf(s));
        return [
          gradientNormFigure(epoch, initial, states),
          {
            kind: 'figure',
            name: 'saturated-and-dead',
            title: 'Units that pass back (almost) no gradient',
            panels: [
              activityPanel('saturated (sigmoid, tanh)', 'share of activations', SATURATING),
              activityPanel('off: input ≤ 0 for every point', 'share of units', ['relu', 'leaky relu']),
            ],
          },
        ];
      },
      extra(states) {
        const rows = states.map((s, i) => {
          const start = initial[i].gradNorms;
          const end = s.gradNorms;
          return {
            variant: s.series,
            finalError: s.error,
            layer1NormAtStart: start[0],
            lastLayerNormAtStart: start[start.length - 1],
            lastOverFirstAtStart: lastOverFirst(start),
            lastOverFirstAtEnd: lastOverFirst(end),
            [SATURATING.includes(s.net.unit) ? 'saturatedShare' : 'deadShare']: activity.get(s.series)!.at(-1)!,
          };
        });
        const sigmoid = rows.find((r) => r.variant === 'sigmoid')!;
        return {
          sigmoidLastOverFirstAtStart: numberItem(sigmoid.lastOverFirstAtStart),
          gradientsByUnit: labelled(
            'gradient norms by activation',
            tableItem(rows, undefined, {
              variant: 'activation',
              layer1NormAtStart: 'layer 1 norm at start',
              lastOverFirstAtStart: 'last ÷ first layer at start',
              lastOverFirstAtEnd: 'last ÷ first layer at end',
            }),
          ),
        };
      },
    });
  },
};
