/**
 * (f) The high-level API against the captured step: XOR 2-2-1, time per epoch, for
 *   - nnlab `fit` exactly as the README's example calls it (it captures by default when it can),
 *   - nnlab `fit({ capture: true })`,
 *   - a loop of `captureStep(...).run()` (the step captured once, outside the timing),
 *   - brain.js 1.6.1 `NeuralNetwork.train` (a dev dependency for the bench only),
 * each call training FIT_EPOCHS epochs from where the last call left the weights, so a call
 * costs what a user's call costs: fit's setup (tracing, and capturing or reusing its step) is
 * inside its time. The variants take turns (measureInterleaved), so their ratios do not depend
 * on how fast the machine happened to be while each was timed.
 *
 * The three nnlab variants start from the README's weights and must end their first call at
 * the same loss, bit for bit (fit's capture is the same step); brain.js starts from its own
 * random weights and trains each row in turn with momentum, so its loss is not compared.
 */
import { createRequire } from 'node:module';
import { Generator, captureStep, fit, nn, optim, tensor } from '../../packages/nnlab/src/index.js';
import { formatDuration, timeTogether } from '../timing.js';
import type { Timing, TimingOptions } from '../timing.js';
import { formatRatio, formatTable } from '../table.js';
import type { Runner } from '../workload.js';

/** Epochs per timed call: the README example's 2000. */
export const FIT_EPOCHS = 2000;

export const FIT_VARIANTS = ['fit', 'fit-capture', 'captureStep', 'brain.js'] as const;
export type FitVariant = (typeof FIT_VARIANTS)[number];

export const FIT_LABELS: Readonly<Record<FitVariant, string>> = {
  fit: 'nnlab fit (as the README calls it)',
  'fit-capture': 'nnlab fit({ capture: true })',
  captureStep: 'nnlab captureStep loop',
  'brain.js': 'brain.js NeuralNetwork.train',
};

const ROWS = [[0, 0], [0, 1], [1, 0], [1, 1]];
const TARGETS = [[0], [1], [1], [0]];

/** The README's model, data and optimiser (examples/xor.ts): seed 1, normal(0, 0.3), SGD lr 5. */
function readmeSetup() {
  const inputs = tensor(ROWS);
  const targets = tensor(TARGETS);
  const rng = new Generator(1);
  const model = new nn.Sequential({
    hidden: new nn.Dense(2, 2, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
    output: new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
  });
  return { inputs, targets, model, optimizer: new optim.SGD(model.parameters(), { lr: 5 }) };
}

/** A call trains FIT_EPOCHS epochs; its value is the last epoch's loss. */
function fitRunner(capture: boolean | undefined): Runner {
  const { inputs, targets, model, optimizer } = readmeSetup();
  const options = { inputs, targets, loss: nn.mseLoss, optimizer, epochs: FIT_EPOCHS, ...(capture === undefined ? {} : { capture }) };
  return {
    step() {
      const history = fit(model, options);
      return history[history.length - 1].loss;
    },
  };
}

function captureStepRunner(): Runner {
  const { inputs, targets, model, optimizer } = readmeSetup();
  const step = captureStep({ loss: (x) => nn.mseLoss(model.forward(x.inputs), x.targets), optimizer, inputs: { inputs, targets }, model });
  return {
    step() {
      let loss = NaN;
      for (let epoch = 0; epoch < FIT_EPOCHS; epoch++) loss = step.run();
      return loss;
    },
  };
}

interface BrainNetwork {
  train(data: { input: number[]; output: number[] }[], options: Record<string, unknown>): { error: number; iterations: number };
}

/** brain.js as installed, or why it cannot be loaded (then its row is SKIPPED). */
function loadBrain(): { NeuralNetwork: new (options: { hiddenLayers: number[] }) => BrainNetwork; version: string } | { skip: string } {
  const require = createRequire(import.meta.url);
  try {
    const brain = require('brain.js') as { NeuralNetwork: new (options: { hiddenLayers: number[] }) => BrainNetwork };
    const { version } = require('brain.js/package.json') as { version: string };
    return { NeuralNetwork: brain.NeuralNetwork, version };
  } catch (error) {
    return { skip: `brain.js cannot be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): npm install` };
  }
}

function brainRunner(NeuralNetwork: new (options: { hiddenLayers: number[] }) => BrainNetwork): Runner {
  const net = new NeuralNetwork({ hiddenLayers: [2] });
  const data = ROWS.map((input, i) => ({ input, output: TARGETS[i] }));
  // Its defaults (learning rate 0.3, momentum 0.1, sigmoid), but no early stop: errorThresh
  // must be above 0, and no XOR net gets below 1e-12 in 2000 epochs.
  const options = { iterations: FIT_EPOCHS, errorThresh: 1e-12 };
  return {
    step() {
      const status = net.train(data, options);
      if (status.iterations !== FIT_EPOCHS) throw new Error(`brain.js stopped after ${status.iterations} of ${FIT_EPOCHS} epochs`);
      return status.error;
    },
  };
}

export interface FitEntry {
  /** The first call's last loss. */
  firstValue?: number;
  /** Per call of FIT_EPOCHS epochs. */
  timing?: Timing;
  version?: string;
  skip?: string;
  error?: string;
}

export interface FitResult {
  epochsPerCall: number;
  results: Partial<Record<FitVariant, FitEntry>>;
  mismatches: string[];
}

export function runFit(timing: TimingOptions, log: (line: string) => void): FitResult {
  const results: FitResult['results'] = {};
  const makers: Partial<Record<FitVariant, () => () => number>> = {};
  for (const variant of FIT_VARIANTS) {
    let make: () => Runner;
    if (variant === 'brain.js') {
      const brain = loadBrain();
      if ('skip' in brain) {
        results[variant] = { skip: brain.skip };
        continue;
      }
      results[variant] = { version: brain.version };
      make = () => brainRunner(brain.NeuralNetwork);
    } else {
      make = variant === 'captureStep' ? captureStepRunner : () => fitRunner(variant === 'fit-capture' ? true : undefined);
    }
    makers[variant] = () => {
      const runner = make();
      return () => runner.step();
    };
  }
  log(`  (f) ${Object.keys(makers).join(', ')}, taking turns…`);
  for (const [variant, timed] of Object.entries(timeTogether(makers as Record<FitVariant, () => () => number>, timing))) {
    const { firstValue, timing: t, error } = timed;
    results[variant as FitVariant] = error !== undefined
      ? { error }
      : { ...results[variant as FitVariant], firstValue: firstValue as number, ...(t === undefined ? {} : { timing: t }) };
  }
  return { epochsPerCall: FIT_EPOCHS, results, mismatches: fitMismatches(results) };
}

/** The nnlab variants against captureStep's loss: fit replays the same step, so bit for bit. */
function fitMismatches(results: FitResult['results']): string[] {
  const expected = results.captureStep?.firstValue;
  if (expected === undefined) return [];
  return (['fit', 'fit-capture'] as const).flatMap((variant) => {
    const actual = results[variant]?.firstValue;
    return actual === undefined || Object.is(actual, expected) ? [] : [`${variant}'s loss after ${FIT_EPOCHS} epochs ${actual} differs from captureStep's ${expected}`];
  });
}

/** Milliseconds per epoch of an entry's median (wall or CPU), or undefined where it did not run. */
export function perEpochMs(entry: FitEntry | undefined, epochsPerCall: number, clock: 'wall' | 'cpu'): number | undefined {
  const t = entry?.timing;
  return t === undefined ? undefined : (clock === 'wall' ? t.medianMs : t.cpuMedianMs) / epochsPerCall;
}

export function formatFit(result: FitResult, clock: 'wall' | 'cpu'): string[] {
  const base = perEpochMs(result.results.captureStep, result.epochsPerCall, clock);
  const rows = FIT_VARIANTS.map((variant) => {
    const entry = result.results[variant];
    const ms = perEpochMs(entry, result.epochsPerCall, clock);
    const p10 = entry?.timing === undefined ? undefined : entry.timing.p10Ms / result.epochsPerCall;
    return [
      `${FIT_LABELS[variant]}${entry?.version === undefined ? '' : ` ${entry.version}`}`,
      entry?.skip !== undefined ? 'skipped' : entry?.error !== undefined ? 'error' : ms === undefined ? '—' : formatDuration(ms),
      p10 === undefined ? '—' : formatDuration(p10),
      formatRatio(ms === undefined || base === undefined ? undefined : ms / base),
      entry?.firstValue === undefined ? '—' : entry.firstValue.toPrecision(7),
    ];
  });
  return [
    `(f) fit: XOR 2-2-1 as the README trains it (sigmoid, MSE, SGD lr 5), ${result.epochsPerCall} epochs a call, time per epoch:`,
    formatTable(['variant', 'median', 'p10', '× captureStep', 'loss after the first call'], rows),
    'brain.js trains from its own random weights (one row at a time, momentum 0.1), so its loss is not compared.',
  ];
}
