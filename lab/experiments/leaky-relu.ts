/**
 * Dead ReLUs and their fixes: the same deep, narrow plain network with ReLU, leaky ReLU (slope
 * 0.01) and PReLU (one learned slope per unit, starting at 0.25), trained side by side by
 * full-batch gradient descent. Records the dead and switched-off units over training and the
 * slopes PReLU learns.
 */
import { Generator } from 'nnlab';
import { DeepNet } from './deep/nets.js';
import { seriesColour } from '../render/series-colours.js';
import type { Init, Unit } from './deep/nets.js';
import { deadPerLayer } from './deep/measures.js';
import { circleData, deepOptions, layerAxis, trainSideBySide } from './deep/training.js';
import type { VariantState } from './deep/training.js';
import type { Experiment, Panel } from './types.js';

const schema = {
  ...deepOptions({ depth: 10, width: 12, points: 50, epochs: 1000, learningRate: 0.3, reportEvery: 100, init: 'glorot' }),
  preluInit: { type: 'number', default: 0.25, min: -1, max: 1, help: "PReLU's starting slope for inputs below 0" },
} as const;

const UNITS: readonly Unit[] = ['relu', 'leaky relu', 'prelu'];

/** Units switched off (pre-activation ≤ 0 for every training input), over all hidden layers. */
function offUnits(state: VariantState): number {
  return deadPerLayer(state.trace.pre).reduce((a, b) => a + b, 0);
}

/**
 * Dead units: switched off AND with slope 0 below zero, so they pass back exactly no gradient
 * for any input and gradient descent can never move their incoming weights again. Only ReLU
 * units (slope 0 by definition) and PReLU units whose learned slope is exactly 0 qualify.
 */
export function deadUnits(state: VariantState): number {
  const off = deadPerLayer(state.trace.pre);
  if (state.net.unit === 'relu') return off.reduce((a, b) => a + b, 0);
  if (state.net.unit !== 'prelu') return 0;
  const slopes = state.net.slopes();
  let dead = 0;
  state.trace.pre.forEach((z, l) => {
    const [rows, width] = z.shape;
    for (let j = 0; j < width; j++) {
      let alive = slopes[l][j] !== 0;
      for (let i = 0; i < rows && !alive; i++) alive = z.data[i * width + j] > 0;
      if (!alive) dead++;
    }
  });
  return dead;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export const leakyRelu: Experiment<typeof schema> = {
  name: 'leaky-relu',
  description: 'ReLU vs leaky ReLU vs PReLU: dead units over training and the slopes PReLU learns',
  explanation:
    'A ReLU unit whose input is ≤ 0 for every training point outputs 0 everywhere and, as ReLU’s slope there is 0, ' +
    'passes back no gradient: its incoming weights never change again, so unless the layers below it happen to switch it ' +
    'back on, it is dead for good. In a deep, narrow net many units start that way (their inputs are the non-negative ' +
    'outputs of the layer below), and large steps knock more there (try --learning-rate 0.7). Leaky ReLU keeps a ' +
    'slope of 0.01 below zero and PReLU learns one slope per unit (from 0.25), so their switched-off units are never dead. The ' +
    'first figure counts dead units (no gradient for any input) beside switched-off ones (input ≤ 0 for every point, ' +
    'whatever the slope). A slope of 0.01 passes back only 1% of the gradient, and through several switched-off layers ' +
    'that is next to nothing, so leaky ReLU can stall as well; PReLU moves its slopes where they help (second figure) ' +
    'and can keep learning. Compare the three error curves and heat maps.',
  schema,
  *run(config, seed) {
    const data = circleData(config.points, seed);
    const variants = UNITS.map((unit) => ({
      series: unit,
      net: new DeepNet({ ...config, unit, connection: 'plain', init: config.init as Init, rng: new Generator(seed).fork('init') }),
    }));
    const units = (config.depth - 1) * config.width;
    const epochs: number[] = [];
    const dead = new Map<string, number[]>(UNITS.map((u) => [u, []]));
    const off = new Map<string, number[]>(UNITS.map((u) => [u, []]));
    const slopeRange = { min: [] as number[], mean: [] as number[], max: [] as number[] };
    let initialLayerSlopes: number[] = [];
    let initialOff: number[] = [];
    const countPanel = (title: string, counts: Map<string, number[]>): Panel => ({
      title,
      xLabel: 'epoch',
      yLabel: `units (of ${units})`,
      xDomain: [0, Math.max(1, config.epochs)],
      yDomain: [0, units],
      series: UNITS.map((u, i) => ({ label: u, colour: seriesColour(i), x: [...epochs], y: [...counts.get(u)!] })),
    });
    yield* trainSideBySide({
      experiment: 'leaky-relu',
      config,
      seed,
      data,
      variants,
      report(epoch, states) {
        epochs.push(epoch);
        for (const s of states) {
          dead.get(s.series)!.push(deadUnits(s));
          off.get(s.series)!.push(offUnits(s));
        }
        if (epoch === 0) initialOff = states.map(offUnits);
        const slopes = states.find((s) => s.series === 'prelu')!.net.slopes();
        const all = slopes.flat();
        slopeRange.min.push(Math.min(...all));
        slopeRange.mean.push(mean(all));
        slopeRange.max.push(Math.max(...all));
        const layerSlopes = slopes.map(mean);
        if (epoch === 0) initialLayerSlopes = layerSlopes;
        const seen = [...slopeRange.min, ...slopeRange.max];
        const yDomain: [number, number] = [Math.min(0, ...seen), Math.max(0.5, ...seen)];
        return [
          {
            kind: 'figure',
            name: 'dead-units',
            title: 'Dead and switched-off hidden units',
            panels: [countPanel('dead: no gradient for any input', dead), countPanel('switched off: input ≤ 0 for every point', off)],
          },
          {
            kind: 'figure',
            name: 'prelu-slopes',
            title: 'PReLU: the slopes it learns below zero',
            panels: [
              {
                title: 'every unit’s slope over training',
                xLabel: 'epoch',
                yLabel: 'slope',
                xDomain: [0, Math.max(1, config.epochs)],
                yDomain,
                series: [
                  { label: 'largest', x: [...epochs], y: [...slopeRange.max] },
                  { label: 'mean', x: [...epochs], y: [...slopeRange.mean] },
                  { label: 'smallest', x: [...epochs], y: [...slopeRange.min] },
                ],
              },
              {
                title: 'mean slope of each layer',
                xLabel: 'layer',
                yLabel: 'slope',
                xDomain: [1, Math.max(2, config.depth - 1)],
                yDomain,
                series: [
                  { label: 'at initialisation', x: layerAxis(config.depth - 1), y: initialLayerSlopes, style: 'dotted' },
                  { label: `after ${epoch} epochs`, x: layerAxis(config.depth - 1), y: layerSlopes },
                ],
              },
            ],
          },
        ];
      },
      extra(states) {
        const rows = states.map((s, i) => ({
          variant: s.series,
          finalError: s.error,
          offAtStart: initialOff[i],
          offAtEnd: off.get(s.series)!.at(-1)!,
          deadAtEnd: dead.get(s.series)!.at(-1)!,
        }));
        const finalSlopes = states.find((s) => s.series === 'prelu')!.net.slopes().flat();
        return {
          hiddenUnits: units,
          preluSlopeRange: { min: Math.min(...finalSlopes), max: Math.max(...finalSlopes) },
          preluLargestSlopeChange: Math.max(...finalSlopes.map((a) => Math.abs(a - config.preluInit))),
          units: rows,
        };
      },
    });
  },
};
