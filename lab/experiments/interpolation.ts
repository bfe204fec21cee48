/**
 * The chapter's cited result on the path gradient descent takes: train a network, then evaluate
 * the loss along the straight line θ(α) = (1−α)·θ₀ + α·θ₁ between the initial parameters θ₀ and
 * the final ones θ₁ (and a quarter beyond each end), and check whether it only ever decreases.
 */
import { Generator, nn, noGrad } from 'nnlab';
import type { Tensor } from 'nnlab';
import { gate } from '../datasets/gates.js';
import { circle } from '../datasets/circle.js';
import { epochsOption, heatMap, initStdOption, inputsOf, learningRateOption, reportEveryOption, resolutionOption } from './common.js';
import { targetTensor, train } from './training.js';
import { twoLayerNet } from './two-layer.js';
import type { Experiment, FigureRecord, HeatMap, LabRecord } from './types.js';
import { numberItem, tableItem, verdictItem, labelled } from './items.js';

const schema = {
  network: {
    type: 'choice',
    default: 'xor',
    choices: ['xor', 'larger'],
    help: "the chapter's 2-2-1 sigmoid net on XOR, or a 2-16-16-1 tanh net on 100 random points, inside or outside a disc",
  },
  epochs: epochsOption(2000),
  learningRate: learningRateOption(5),
  initStd: initStdOption,
  points: { type: 'integer', default: 20, min: 4, max: 1000, help: 'path points per unit of α (α = 0 and α = 1 are always on the path)' },
  reportEvery: reportEveryOption(100),
  resolution: resolutionOption,
} as const;

/** The larger network: two tanh hidden layers of 16, sigmoid output, weights ~ normal(0, std). */
function largerNet(std: number, rng: Generator): nn.Sequential {
  const weightInit = nn.init.normal(0, std);
  return new nn.Sequential({
    hidden1: new nn.Dense(2, 16, { activation: 'tanh', weightInit, rng }),
    hidden2: new nn.Dense(16, 16, { activation: 'tanh', weightInit, rng }),
    output: new nn.Dense(16, 1, { activation: 'sigmoid', weightInit, rng }),
  });
}

/**
 * α = i / points for i from −round(points/4) to points + round(points/4): about −0.25 to 1.25,
 * with 0 and 1 exactly on the grid (i = 0 and i = points).
 */
export function alphaGrid(points: number): number[] {
  const beyond = Math.round(points / 4);
  return Array.from({ length: points + 2 * beyond + 1 }, (_, k) => (k - beyond) / points);
}

/** Sets `target`'s parameters to (1−α)·θ₀ + α·θ₁, element by element; α = 0 and 1 give θ₀ and θ₁ exactly. */
export function interpolate(target: readonly Tensor[], theta0: readonly Float64Array[], theta1: readonly Tensor[], alpha: number): void {
  target.forEach((p, i) => {
    const a = theta0[i];
    const b = theta1[i].data;
    for (let j = 0; j < p.data.length; j++) p.data[j] = (1 - alpha) * a[j] + alpha * b[j];
  });
}

export interface Monotonicity {
  /** Whether the loss never rises by more than `tolerance` from one point to the next for 0 ≤ α ≤ 1. */
  monotonic: boolean;
  /** The largest rise between neighbouring points in [0, 1] (0 if the loss only falls). */
  largestIncrease: number;
  /** The α where that rise ends (null if the loss only falls). */
  largestIncreaseAt: number | null;
}

/** The verdict on a path: computed from the losses, never assumed. */
export function monotonicity(alphas: readonly number[], losses: readonly number[], tolerance: number): Monotonicity {
  let largestIncrease = 0;
  let largestIncreaseAt: number | null = null;
  for (let i = 1; i < alphas.length; i++) {
    if (alphas[i - 1] < 0 || alphas[i] > 1) continue;
    // NOTE: a NaN rise is caught by `!(rise <= …)` and then sticks, so a path with NaN is never monotonic.
    if (Number.isNaN(largestIncrease)) break;
    const rise = losses[i] - losses[i - 1];
    if (!(rise <= largestIncrease)) [largestIncrease, largestIncreaseAt] = [rise, alphas[i]];
  }
  return { monotonic: largestIncrease <= tolerance, largestIncrease, largestIncreaseAt };
}

function pathFigure(alphas: number[], losses: number[], epoch: number): FigureRecord {
  const finite = losses.filter(Number.isFinite);
  const top = Math.max(...finite, 1e-9) * 1.05;
  const marker = (alpha: number, label: string) => ({ label, x: [alpha, alpha], y: [0, top], style: 'dotted' as const });
  return {
    kind: 'figure',
    name: 'path',
    title: `Loss on the line from θ₀ to θ after ${epoch} epochs`,
    panels: [{
      title: 'θ(α) = (1−α)·θ₀ + α·θ',
      xLabel: 'α',
      yLabel: 'MSE',
      xDomain: [alphas[0], alphas[alphas.length - 1]],
      yDomain: [0, top],
      series: [{ label: 'loss', x: alphas, y: losses }, marker(0, 'α = 0: initial θ₀'), marker(1, 'α = 1: trained θ')],
    }],
  };
}

export const interpolation: Experiment<typeof schema> = {
  name: 'interpolation',
  kind: 'training',
  sweepable: true,
  description: 'the loss along the straight line from the initial to the trained parameters: does it only go down?',
  explanation:
    'Gradient descent takes a winding path through parameter space, but the chapter cites a simpler test of how ' +
    'hard the landscape is: draw the straight line from the initial parameters θ₀ (α = 0) to the trained ones θ₁ ' +
    '(α = 1) and evaluate the loss along it. If the loss falls all the way, there was no hill to climb between ' +
    'start and finish. The path figure is redrawn at every report, from θ₀ to the current parameters, and the ' +
    'three heat maps show the output at α = 0, 0.5 and 1. The verdict in the final table is computed from the ' +
    'curve, and for these small nets it is often "no": 23 of 50 XOR paths never rose (seeds 1–50), 21 of 30 for ' +
    'the larger net. Most of the others climb a small hill, at most 0.02, just after α = 0 — the start sits on ' +
    'the plateau where every output is near 0.5 — and then fall all the way; a few of the larger net rise slightly ' +
    'just before α = 1, where θ₁ is not quite the lowest point of the line. Next to the drop from 0.25 to almost 0 the ' +
    'hill is tiny, so "no barrier worth the name" holds while "never increases" is too strong here. Past α = 1 the ' +
    'XOR loss keeps falling on every seed that solves XOR: the line goes on to larger weights, which make the ' +
    'sigmoids more confident.',
  schema,
  *run(config, seed) {
    const larger = config.network === 'larger';
    const data = larger ? circle(100, new Generator(seed).fork('data')) : gate('xor');
    const build = (rng: Generator) => (larger ? largerNet(config.initStd, rng) : twoLayerNet(2, 1, 'sigmoid', config.initStd, rng));
    const model = build(new Generator(seed));
    // The probe holds the interpolated parameters; its own initial values are overwritten before every use.
    const probe = build(new Generator(seed));
    const theta0 = model.parameters().map((p) => Float64Array.from(p.data));
    const inputs = inputsOf(data);
    const targets = targetTensor(data);
    const alphas = alphaGrid(config.points);

    const at = <T>(alpha: number, f: (m: nn.Module) => T): T => {
      interpolate(probe.parameters(), theta0, model.parameters(), alpha);
      probe.eval();
      return noGrad(() => f(probe));
    };
    const pathLosses = () => alphas.map((alpha) => at(alpha, (m) => nn.mseLoss(m.forward(inputs), targets).item()));
    const maps = (grid: Tensor): HeatMap[] =>
      [0, 0.5, 1].map((alpha) => at(alpha, (m) => heatMap(`Output α=${alpha}`, m.forward(grid), 0, config.resolution)));

    const records: Iterable<LabRecord> = train({
      experiment: 'interpolation',
      config,
      seed,
      errorLabel: 'MSE',
      data,
      targets,
      trainees: [{ series: 'train', model, loss: nn.mseLoss }],
      maps: (_m, grid) => maps(grid),
      predict: (m, x) => m.forward(x),
    });
    for (const record of records) {
      if (record.kind === 'snapshot') {
        // train() yields a snapshot before taking that epoch's step, so the model holds θ at record.epoch.
        yield record;
        yield pathFigure(alphas, pathLosses(), record.epoch);
        continue;
      }
      if (record.kind !== 'final') {
        yield record;
        continue;
      }
      const losses = pathLosses();
      const start = losses[alphas.indexOf(0)];
      // Float32 rounding of a loss is ~1e-7 of its size; a rise must be 10× that, relative to the initial loss, to count.
      const tolerance = 1e-6 * start;
      const verdict = monotonicity(alphas, losses, tolerance);
      yield {
        ...record,
        extra: {
          monotonic: labelled('the loss never rises from α = 0 to α = 1 (beyond the tolerance)', verdictItem(verdict.monotonic)),
          largestIncrease: labelled('largest rise of the loss between neighbouring α in [0, 1]', numberItem(verdict.largestIncrease)),
          largestIncreaseAt: labelled('largest rise at α', numberItem(verdict.largestIncreaseAt ?? null)),
          tolerance: labelled('tolerance (10⁻⁶ of the loss at α = 0)', numberItem(tolerance)),
          lossAtAlpha0: labelled('loss at α = 0 (initial θ₀)', numberItem(start)),
          lossAtAlpha1: labelled('loss at α = 1 (trained θ)', numberItem(losses[alphas.indexOf(1)])),
          path: labelled('loss along the line θ(α)', tableItem(alphas.map((alpha, i) => ({ alpha, loss: losses[i] })), undefined, { alpha: 'α' })),
        },
      };
    }
  },
};
