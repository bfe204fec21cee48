/**
 * Dead ReLUs and their fixes: the same deep plain network with ReLU, leaky ReLU (a fixed slope,
 * 0.3 by default) and PReLU (one learned slope per unit, starting at 0.25), from the same weights,
 * trained side by side by full-batch gradient descent. The defaults start the hidden biases below
 * zero, so many units are switched off for every input from the start: ReLU's stay dead, the
 * others' come back. Records the dead and switched-off units over training and the slopes PReLU
 * learns.
 */
import { Generator } from 'nnlab';
import { DeepNet } from './deep/nets.js';
import type { Init, Unit } from './deep/nets.js';
import { deadPerLayer } from './deep/measures.js';
import { circleData, deepOptions, layerAxis, trainSideBySide } from './deep/training.js';
import type { VariantState } from './deep/training.js';
import type { Experiment, Panel } from './types.js';
import { labelled, numberItem, tableItem } from './items.js';

const schema = {
  ...deepOptions({ depth: 6, width: 12, points: 50, epochs: 1500, learningRate: 0.3, reportEvery: 100, init: 'he' }),
  biasInit: {
    type: 'number',
    default: -0.4,
    min: -5,
    max: 5,
    help: "the hidden layers' initial biases: below 0, units start switched off for more inputs (0: none do by their bias)",
  },
  leakySlope: { type: 'number', default: 0.3, min: 0, max: 1, help: "leaky ReLU's fixed slope below 0 (the chapter's is 0.01)" },
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
  kind: 'training',
  sweepable: false,
  description: 'ReLU vs leaky ReLU vs PReLU: dead units over training and the slopes PReLU learns',
  explanation:
    'A ReLU unit whose input is ≤ 0 for every training point outputs 0 everywhere and, as ReLU’s slope there is 0, ' +
    'passes back exactly no gradient: its incoming weights never change again, so unless the layers below it happen to ' +
    'switch it back on, it is dead for good. Here units are born that way: He-initialised weights with every hidden ' +
    'bias starting at −0.4 (--bias-init) switch many units of this 5-hidden-layer net off for every point. Where a ' +
    'whole layer of the ReLU net is dead from the start, its output is the same for every input and only the output ' +
    'bias learns. The first figure counts dead units (no gradient for any input) beside switched-off ' +
    'ones (input ≤ 0 for every point, whatever the slope). The leaky ReLU and PReLU nets start from the same weights ' +
    'with about as many units switched off, but a switched-off unit still passes slope × gradient, so they switch ' +
    'units back on and learn the circle; PReLU learns one slope per unit from 0.25 (second figure), and a slope ' +
    'that turns negative makes a V-shaped unit (the findings below count them for this run). ' +
    // Computed from seeds 1–20 by leakyReluSeedSentence; test/lab/claims/leaky-relu.test.ts re-runs them and compares.
    'Measured on seeds 1–20 with these defaults: ReLU had 30–54 of its 60 units dead at the end and ended at error ' +
    '0.58–0.69 on all 20; PReLU ended below 0.05 on 16 and at 0.12–0.19 on the other 4, its slopes moving by 1.0–2.3; ' +
    'leaky ReLU with slope 0.3 ended below 0.1 on 14 and at 0.12–0.54 on 5, and on seed 15 its steps overshot until ' +
    'the error overflowed at epoch 776, where its curve stops. With the chapter’s slope of 0.01 (--leaky-slope 0.01) ' +
    'leaky ReLU stalls beside ReLU (error above 0.5) on all 20 seeds (its lowest error 0.53): 1% of the gradient ' +
    'through several switched-off layers is next to nothing. With --bias-init 0 fewer units start dead and ReLU ' +
    'learns the circle (error below 0.1) on 13 of the 20 seeds.',
  schema,
  *run(config, seed) {
    const data = circleData(config.points, seed);
    const variants = UNITS.map((unit) => ({
      series: unit,
      net: new DeepNet({ ...config, unit, connection: 'plain', init: config.init as Init, rng: new Generator(seed).fork('init') }),
    }));
    const units = (config.depth - 1) * config.width;
    // Each variant's counts at its reports; a variant that stopped (its error was no longer
    // finite) has no more, so its curves end where it stopped.
    const reported = new Map<string, number[]>(UNITS.map((u) => [u, []]));
    const dead = new Map<string, number[]>(UNITS.map((u) => [u, []]));
    const off = new Map<string, number[]>(UNITS.map((u) => [u, []]));
    const slopeRange = { min: [] as number[], mean: [] as number[], max: [] as number[] };
    let initialLayerSlopes: number[] = [];
    let layerSlopes: number[] = [];
    let lastSlopes: number[] = [];
    let initialOff: number[] = [];
    const countPanel = (title: string, counts: Map<string, number[]>): Panel => ({
      title,
      xLabel: 'epoch',
      yLabel: `units (of ${units})`,
      xDomain: [0, Math.max(1, config.epochs)],
      yDomain: [0, units],
      series: UNITS.map((u, i) => ({ label: u, variant: i, x: [...reported.get(u)!], y: [...counts.get(u)!] })),
    });
    yield* trainSideBySide({
      experiment: 'leaky-relu',
      config,
      seed,
      data,
      variants,
      report(epoch, states) {
        for (const s of states) {
          if (s.stoppedAt !== null && epoch > 0) continue;
          reported.get(s.series)!.push(epoch);
          dead.get(s.series)!.push(deadUnits(s));
          off.get(s.series)!.push(offUnits(s));
        }
        if (epoch === 0) initialOff = states.map(offUnits);
        const prelu = states.find((s) => s.series === 'prelu')!;
        if (prelu.stoppedAt === null || epoch === 0) {
          const slopes = prelu.net.slopes();
          lastSlopes = slopes.flat();
          slopeRange.min.push(Math.min(...lastSlopes));
          slopeRange.mean.push(mean(lastSlopes));
          slopeRange.max.push(Math.max(...lastSlopes));
          layerSlopes = slopes.map(mean);
        }
        if (epoch === 0) initialLayerSlopes = layerSlopes;
        const slopeEpochs = reported.get('prelu')!;
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
                  { label: 'largest', x: [...slopeEpochs], y: [...slopeRange.max] },
                  { label: 'mean', x: [...slopeEpochs], y: [...slopeRange.mean] },
                  { label: 'smallest', x: [...slopeEpochs], y: [...slopeRange.min] },
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
                  { label: `after ${slopeEpochs.at(-1)!} epochs`, x: layerAxis(config.depth - 1), y: layerSlopes },
                ],
              },
            ],
          },
        ];
      },
      extra(states, errors) {
        const rows = states.map((s, i) => ({
          variant: s.series,
          // A variant that stopped: its last finite error.
          finalError: errors[i].at(-1)!,
          offAtStart: initialOff[i],
          offAtEnd: off.get(s.series)!.at(-1)!,
          deadAtEnd: dead.get(s.series)!.at(-1)!,
          stoppedAt: s.stoppedAt === null ? '—' : `epoch ${s.stoppedAt.epoch} (error ${s.stoppedAt.error})`,
        }));
        return {
          hiddenUnits: numberItem(units),
          preluSlopeRange: labelled('PReLU slopes at the end', tableItem([{ min: Math.min(...lastSlopes), max: Math.max(...lastSlopes) }])),
          preluLargestSlopeChange: numberItem(Math.max(...lastSlopes.map((a) => Math.abs(a - config.preluInit)))),
          preluNegativeSlopes: labelled('PReLU slopes below 0 at the end', numberItem(lastSlopes.filter((a) => a < 0).length, `of ${lastSlopes.length}`)),
          units: tableItem(
            rows,
            'stopped at: the epoch whose error was no longer a finite number (that variant stops there, the others go on); — means it never did',
          ),
        };
      },
    });
  },
};
