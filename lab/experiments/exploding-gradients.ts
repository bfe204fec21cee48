/**
 * The chapter's exploding gradients, and gradient clipping as the fix: a deep chain of layers with
 * large initial weights, trained by plain gradient descent three times from the same weights —
 * without clipping (the loss overflows to Infinity/NaN), clipped by global norm and clipped by
 * value — recording each step's gradient norm before and after clipping and the cosine between
 * the raw and the clipped gradient.
 */
import { Generator, nn, noGrad, optim } from 'nnlab';
import type { Tensor } from 'nnlab';
import { gate } from '../datasets/gates.js';
import { dataPoints, epochsOption, gridOf, heatMap, inputsOf, learningRateOption, parametersOf, predictionsOf, reportEveryOption, resolutionOption } from './common.js';
import { targetTensor } from './training.js';
import { Trainee, sideBySide } from './driver.js';
import type { EpochRecord, Experiment, FigureRecord, LabRecord, Panel, Series } from './types.js';
import { numberItem, tableItem } from './items.js';

const schema = {
  depth: { type: 'integer', default: 12, min: 1, max: 64, help: 'dense layers in the chain (the last has one output)' },
  width: { type: 'integer', default: 8, min: 1, max: 64, help: 'units in each hidden layer' },
  activation: { type: 'choice', default: 'linear', choices: ['linear', 'relu', 'tanh'], help: 'activation of the hidden layers (linear: a deep linear chain)' },
  initGain: {
    type: 'number',
    default: 1.3,
    min: 0,
    max: 100,
    help: 'initial weights ~ normal(0, gain / √fan-in): each linear layer scales a signal by about gain',
  },
  clipNorm: { type: 'number', default: 1, min: 1e-9, max: 1e9, help: 'clip by global norm: the largest gradient norm a step may use' },
  clipValue: { type: 'number', default: 0.1, min: 1e-9, max: 1e9, help: 'clip by value: each gradient element is clamped to [−value, value]' },
  epochs: epochsOption(300),
  learningRate: learningRateOption(0.02),
  reportEvery: reportEveryOption(20),
  resolution: resolutionOption,
} as const;

type Mode = 'none' | 'norm' | 'value';

/** One of the three runs: its model and optimiser, and what every step measured. */
interface Run {
  /** The epoch series name ('train' is the run clipped by norm, the page's main readout). */
  series: string;
  label: string;
  mode: Mode;
  model: nn.Sequential;
  trainee: Trainee;
  /** The latest step's gradient before clipping, until the epoch's records take it. */
  rawGradient: Float64Array | null;
  losses: number[];
  normsBefore: number[];
  normsAfter: number[];
  cosines: number[];
  /** The epoch whose loss was first not finite, and that loss; the run stops there. */
  divergedAt: number | null;
  firstNonFinite: number | null;
}

/** depth Dense layers 2 → width → … → width → 1 with weights ~ normal(0, gain/√fan-in), zero biases. */
function chain(depth: number, width: number, activation: 'linear' | 'relu' | 'tanh', gain: number, seed: number): nn.Sequential {
  const rng = new Generator(seed);
  const layers: Record<string, nn.Dense> = {};
  for (let i = 0; i < depth; i++) {
    const inputs = i === 0 ? 2 : width;
    const last = i === depth - 1;
    layers[last ? 'output' : `layer${i + 1}`] = new nn.Dense(inputs, last ? 1 : width, {
      activation: last ? 'linear' : activation,
      weightInit: nn.init.normal(0, gain / Math.sqrt(inputs)),
      rng,
    });
  }
  return new nn.Sequential(layers);
}

/** The gradients of `params` as one flat float64 vector (a copy, taken before clipping changes them). */
function flatGradient(params: readonly Tensor[]): Float64Array {
  const out = new Float64Array(params.reduce((n, p) => n + p.size, 0));
  let offset = 0;
  for (const p of params) {
    if (p.grad !== null) out.set(p.grad.data, offset);
    offset += p.size;
  }
  return out;
}

/** cos ∠(a, b): 1 when clipping only shortened the gradient, less when it turned it. */
export function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

function norm(v: Float64Array): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

const steps = (n: number) => Array.from({ length: n }, (_, i) => i);

function figures(runs: readonly Run[], config: { epochs: number; clipNorm: number }, errorLabel: string): FigureRecord[] {
  const all: [number, number] = [0, Math.max(1, config.epochs)];
  const lossPanel = (title: string, xDomain: [number, number]): Panel => ({
    title,
    xLabel: 'epoch',
    yLabel: errorLabel,
    xDomain,
    yScale: 'log',
    // variant: the run's error series (runs yield their epochs in this order), so a run has one colour in every chart.
    series: runs.map((r, i) => ({ label: r.label, variant: i, x: steps(r.losses.length), y: r.losses })),
  });
  // The unclipped run overflows within a few epochs: the second panel zooms in on them.
  const firstEpochs: [number, number] = [0, Math.min(all[1], 10)];
  const normPanel = (r: Run): Panel => {
    const x = steps(r.normsBefore.length);
    const series: Series[] = [{ label: 'before clipping', x, y: r.normsBefore }];
    if (r.mode !== 'none') series.push({ label: 'after clipping', x, y: r.normsAfter });
    if (r.mode === 'norm') series.push({ label: 'threshold', x: all, y: [config.clipNorm, config.clipNorm], style: 'dotted' });
    return {
      title: r.label,
      xLabel: 'step',
      yLabel: '‖g‖',
      // A diverged run's panel spans only its steps, so its few points are not squeezed against the axis.
      xDomain: r.divergedAt === null ? all : [0, Math.max(1, r.normsBefore.length - 1)],
      yScale: 'log',
      series,
    };
  };
  const direction: Panel = {
    title: 'cos ∠(g, clipped g)',
    xLabel: 'step',
    yLabel: 'cosine',
    xDomain: all,
    yDomain: [0, 1.05],
    series: runs.flatMap((r, i) => (r.mode === 'none' ? [] : [{ label: r.label, variant: i, x: steps(r.cosines.length), y: r.cosines }])),
  };
  return [
    { kind: 'figure', name: 'loss', title: 'Loss per run (log scale)', panels: [lossPanel('every epoch', all), lossPanel(`first ${firstEpochs[1]} epochs`, firstEpochs)] },
    { kind: 'figure', name: 'gradient-norms', title: 'Gradient norm at each step, before and after clipping', panels: runs.map(normPanel) },
    { kind: 'figure', name: 'direction', title: 'Gradient direction kept?', panels: [direction] },
  ];
}

/** A loss for JSON: Infinity and NaN have no JSON number, so they are spelled out. */
const spelled = (v: number | null) => (v === null ? '—' : Number.isFinite(v) ? v : String(v));

function summaryRow(r: Run) {
  const finite = (values: number[]) => values.filter(Number.isFinite);
  const lastLoss = r.divergedAt === null ? r.losses[r.losses.length - 1] : null;
  return {
    run: r.label,
    divergedAtEpoch: r.divergedAt ?? '—',
    firstNonFiniteLoss: spelled(r.firstNonFinite),
    finalLoss: spelled(lastLoss),
    largestNormBefore: Math.max(0, ...finite(r.normsBefore)),
    largestNormAfter: Math.max(0, ...finite(r.normsAfter)),
    smallestCosine: r.mode === 'none' || r.cosines.length === 0 ? '—' : Math.min(...finite(r.cosines)),
  };
}

export const explodingGradients: Experiment<typeof schema> = {
  name: 'exploding-gradients',
  kind: 'training',
  sweepable: true,
  description: 'a deep chain with large weights: unclipped gradient descent overflows; clipping by norm or value keeps it finite',
  explanation:
    'Backpropagation multiplies the gradient by every layer’s weights on its way back to the input. Here twelve ' +
    'linear layers, each scaling a signal by about 1.3, learn the OR gate (a linear fit can reach MSE 0.0625): the ' +
    'factors compound, and the first gradient is far longer than the clipping threshold. One plain gradient-descent ' +
    'step that long overshoots so far that the next gradient is larger still, and within a few steps the float32 ' +
    'numbers overflow: the "no clipping" curve stops where its loss became Infinity or NaN. Over seeds 1–100 the ' +
    'first gradient’s norm was 5.7 to 16000 (the clipping threshold is 1) and the unclipped loss overflowed at ' +
    'epoch 2 to 5 on each. The main curve (clip by norm) starts from the same weights: whenever ‖g‖ exceeds the ' +
    'threshold the whole gradient is scaled down to it, so its direction stays the same (cosine 1 in the last ' +
    'plot) and only the step is shorter. Clipping by value clamps each element instead, which also keeps the run ' +
    'finite but turns the gradient (cosine below 1). Compare the norms before and after clipping: clipping does ' +
    'not make the gradients small, it limits the step taken with them; the raw norm zig-zags because steps of ' +
    'fixed length keep overshooting the bottom of a narrow valley.',
  schema,
  *run(config, seed) {
    const data = gate('or');
    const inputs = inputsOf(data);
    const targets = targetTensor(data);
    const { epochs, reportEvery, learningRate } = config;
    const activation = config.activation as 'linear' | 'relu' | 'tanh';
    yield { kind: 'start', experiment: 'exploding-gradients', config, seed, epochs, reportEvery, errorLabel: 'MSE', mainSeries: 'clip by norm', data: dataPoints(data) };

    // The same seed builds the same initial weights for all three runs.
    const runs: Run[] = ([['no clipping', 'no clipping', 'none'], ['train', 'clip by norm', 'norm'], ['clip by value', 'clip by value', 'value']] as const).map(
      ([series, label, mode]) => {
        const model = chain(config.depth, config.width, activation, config.initGain, seed);
        const run: Run = {
          series, label, mode, model,
          trainee: new Trainee({ series, model, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: learningRate }) }),
          rawGradient: null,
          losses: [], normsBefore: [], normsAfter: [], cosines: [],
          divergedAt: null, firstNonFinite: null,
        };
        const params = model.parameters();
        run.trainee.steps = {
          ...(mode === 'norm' ? { clipNorm: config.clipNorm } : mode === 'value' ? { clipValue: config.clipValue } : {}),
          // The step's gradient as backward left it, before clipping changes it.
          onGradients: () => void (run.rawGradient = flatGradient(params)),
        };
        return run;
      },
    );
    const [unclipped, main, byValue] = runs;
    const snapshot = (epoch: number): LabRecord => ({
      kind: 'snapshot',
      epoch,
      maps: noGrad(() => {
        const grid = gridOf(config.resolution);
        const map = (name: string, model: nn.Module) => ({ ...heatMap(name, model.forward(grid), 0, config.resolution), domain: [0, 1] as [number, number] });
        return [map('Output (clip by norm)', main.model), map('Output (clip by value)', byValue.model)];
      }),
      parameters: parametersOf(main.model),
    });

    // Every epoch reads the step just taken (its gradients before and after clipping): no step ahead.
    for (const { epoch, errors, diverged, last } of sideBySide(runs.map((r) => r.trainee), { inputs, targets, epochs })) {
      for (const r of runs) {
        // The step just taken (also by a run that overflowed in it): its gradient before and after clipping.
        if (r.rawGradient !== null) {
          const clipped = flatGradient(r.model.parameters());
          r.normsBefore.push(norm(r.rawGradient));
          r.normsAfter.push(norm(clipped));
          r.cosines.push(cosine(r.rawGradient, clipped));
          r.rawGradient = null;
        }
      }
      for (const [i, r] of runs.entries()) {
        const error = errors[i];
        const stop = diverged.find((d) => d.series === r.series);
        if (stop !== undefined) {
          // JSON has no Infinity: the series ends here, and the final record tells where and how.
          r.divergedAt = stop.epoch;
          r.firstNonFinite = stop.error;
        }
        if (error === null) continue;
        r.losses.push(error);
        yield { kind: 'epoch', epoch, error, series: r.series } satisfies EpochRecord;
      }
      if (epoch % reportEvery === 0 || last) {
        yield snapshot(epoch);
        yield* figures(runs, config, 'MSE');
      }
    }

    yield {
      kind: 'final',
      ...(main.divergedAt === null ? { error: main.losses[main.losses.length - 1] } : {}),
      predictions: predictionsOf(data, (x) => main.model.forward(x)),
      parameters: parametersOf(main.model),
      extra: {
        runs: tableItem(runs.map(summaryRow), 'a loss that is not a finite number shows as ∞ or NaN; — means the run never diverged', { firstNonFiniteLoss: 'first non-finite loss' }),
        unclippedDivergedAtEpoch: numberItem(unclipped.divergedAt),
        initialGradientNorm: numberItem(main.normsBefore[0] ?? 0),
      },
    };
  },
};
