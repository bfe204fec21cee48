/**
 * The network the playground trains, as plain data (it lives in the URL and crosses to the
 * worker), and how it becomes an nnlab model.
 *
 * Skip connections: a residual (x + f(x)) or highway (T·f(x) + (1 − T)·x) connection needs the
 * layer's input and output to have the same width. The playground adds one to every hidden layer
 * whose width equals the width before it and leaves the others plain (so the first hidden layer,
 * fed by the inputs, has one only when it has as many units as there are input features). It never inserts a projection: what is
 * drawn is what is trained. `skipLayers(spec)` says which layers get one, and the page shows it.
 */
import { nn, sigmoid, softmax } from 'nnlab';
import type { Generator, Tensor } from 'nnlab';
import { DEFAULT_FEATURES, FEATURE_LABELS, featureProblems } from './features.js';
import type { FeatureName } from './features.js';

/**
 * The hidden layers' activations: nnlab's one list (nn.ACTIVATIONS: every activation op) but
 * softmax, then PReLU (a layer with a learned slope), with 'linear' last.
 */
export const HIDDEN_ACTIVATIONS: readonly string[] = [
  ...nn.ACTIVATIONS.filter((a) => a !== 'linear' && a !== 'softmax' && a !== 'logSoftmax'), 'prelu', 'linear',
];
export type HiddenActivation = string;
export const SKIPS = ['none', 'residual', 'highway'] as const;
export type Skip = (typeof SKIPS)[number];
export const LOSSES = ['mse', 'bce', 'softmax'] as const;
export type LossName = (typeof LOSSES)[number];

export const ACTIVATION_LABELS: Readonly<Record<HiddenActivation, string>> = Object.fromEntries(
  HIDDEN_ACTIVATIONS.map((a) => [a, a === 'prelu' ? 'PReLU (learned slope)' : nn.activationInfo(a).label]),
);
/** What each loss measures, in words (axis labels, the run bar's stats). */
export const LOSS_MEASURES: Record<LossName, string> = { mse: 'squared error', bce: 'cross entropy', softmax: 'cross entropy' };

/** What the network learns: a class (of 2..K) or a value (regression: one linear output, squared error). */
export type Task = 'classification' | 'regression';

export const LOSS_LABELS: Record<LossName, string> = {
  mse: 'squared error (sigmoid out)',
  bce: 'binary cross entropy',
  softmax: 'softmax + cross entropy',
};

export interface LayerSpec {
  units: number;
  activation: HiddenActivation;
  /** Dropout rate after the layer, in training only (0 = none). */
  dropout: number;
}

export interface NetworkSpec {
  /** The input features (features.ts); x₀ and x₁ when absent. */
  features?: readonly FeatureName[];
  hidden: LayerSpec[];
  skip: Skip;
  loss: LossName;
  /** Classes in the data: 2 gives one sigmoid output unless the loss is softmax; 1 for regression. */
  classes: number;
  /** Classification when absent. Regression trains one linear output with squared error (loss 'mse'). */
  task?: Task;
}

export function taskOf(spec: Pick<NetworkSpec, 'task'>): Task {
  return spec.task ?? 'classification';
}

export const NETWORK_LIMITS = { layers: [0, 6], units: [1, 8], dropout: [0, 0.9] } as const;

/** The spec's input features: its own, or x₀ and x₁. */
export function featuresOf(spec: Pick<NetworkSpec, 'features'>): readonly FeatureName[] {
  return spec.features ?? DEFAULT_FEATURES;
}

/** Problems with a spec, one sentence each (empty when it can be built). */
export function specProblems(spec: NetworkSpec): string[] {
  const problems: string[] = featureProblems(featuresOf(spec));
  const [minLayers, maxLayers] = NETWORK_LIMITS.layers;
  if (spec.hidden.length < minLayers || spec.hidden.length > maxLayers) problems.push(`hidden layers must be ${minLayers}–${maxLayers}, got ${spec.hidden.length}`);
  spec.hidden.forEach((layer, i) => {
    const [lo, hi] = NETWORK_LIMITS.units;
    if (!Number.isInteger(layer.units) || layer.units < lo || layer.units > hi) problems.push(`layer ${i + 1}: units must be a whole number ${lo}–${hi}, got ${layer.units}`);
    if (!HIDDEN_ACTIVATIONS.includes(layer.activation)) problems.push(`layer ${i + 1}: unknown activation '${layer.activation}'`);
    if (!(layer.dropout >= 0 && layer.dropout <= NETWORK_LIMITS.dropout[1])) problems.push(`layer ${i + 1}: dropout must be 0–0.9, got ${layer.dropout}`);
  });
  if (!LOSSES.includes(spec.loss)) problems.push(`unknown loss '${spec.loss}'`);
  if (taskOf(spec) === 'regression' && spec.loss !== 'mse') problems.push(`regression trains with squared error (loss mse), got loss '${spec.loss}'`);
  if (spec.classes > 2 && spec.loss !== 'softmax') problems.push(`${spec.classes} classes need the softmax + categorical cross entropy loss (squared error and binary cross entropy have one output for two classes)`);
  if (spec.skip === 'highway') {
    skipLayers(spec).forEach((on, i) => {
      if (on && spec.hidden[i].activation === 'prelu') problems.push(`layer ${i + 1}: a highway layer cannot use PReLU (choose leaky ReLU, or another skip)`);
    });
  }
  return problems;
}

/** For each hidden layer, whether it gets the skip connection (same width in and out). */
export function skipLayers(spec: Pick<NetworkSpec, 'hidden' | 'skip' | 'features'>): boolean[] {
  const inputs = featuresOf(spec).length;
  return spec.hidden.map((layer, i) => spec.skip !== 'none' && layer.units === (i === 0 ? inputs : spec.hidden[i - 1].units));
}

export function outputUnits(spec: Pick<NetworkSpec, 'loss' | 'classes'>): number {
  return spec.loss === 'softmax' ? spec.classes : 1;
}

/** The layers of a built network that the page draws: one per hidden layer, then the output. */
export interface LayerHandle {
  /** 'h1', 'h2', …, 'output'. */
  name: string;
  /** Its output is the layer's activations (drawn as the hidden units' heat maps). */
  block: nn.Module;
  /** The weights drawn between the previous layer and this one (a highway layer's transform). */
  dense: nn.Dense;
  skip: 'none' | 'residual' | 'highway';
  prelu: nn.PReLU | null;
}

export interface BuiltNetwork {
  model: nn.Sequential;
  layers: LayerHandle[];
}

/**
 * The model for a spec: weights (Glorot uniform, zero biases) from `rng.fork('init')` and
 * dropout masks from `rng.fork('dropout')`, so a seed gives the same network every time.
 */
export function buildNetwork(spec: NetworkSpec, rng: Generator): BuiltNetwork {
  const problems = specProblems(spec);
  if (problems.length > 0) throw new Error(`network: ${problems.join('; ')}`);
  const init = rng.fork('init');
  const dropoutRng = rng.fork('dropout');
  const skips = skipLayers(spec);
  const blocks: Record<string, nn.Module> = {};
  const layers: LayerHandle[] = [];
  let width = featuresOf(spec).length;
  spec.hidden.forEach((layer, i) => {
    const name = `h${i + 1}`;
    const prelu = layer.activation === 'prelu' ? new nn.PReLU({ numParameters: layer.units }) : null;
    const activation = layer.activation === 'prelu' ? 'linear' : layer.activation;
    const parts: Record<string, nn.Module> = {};
    let dense: nn.Dense;
    const skip = skips[i] ? spec.skip : 'none';
    if (skip === 'highway') {
      // A highway layer's activation is never 'prelu' (specProblems rejects it).
      const highway = new nn.Highway(layer.units, { activation, rng: init });
      dense = highway.transform;
      parts.highway = highway;
    } else {
      dense = new nn.Dense(width, layer.units, { activation, rng: init });
      const body = prelu === null ? dense : new nn.Sequential({ dense, prelu });
      if (skip === 'residual') parts.residual = new nn.Residual(body);
      else Object.assign(parts, prelu === null ? { dense } : { dense, prelu });
    }
    if (layer.dropout > 0) parts.dropout = new nn.Dropout(layer.dropout, { rng: dropoutRng });
    const block = new nn.Sequential(parts);
    blocks[name] = block;
    layers.push({ name, block, dense, skip, prelu });
    width = layer.units;
  });
  const output = new nn.Dense(width, outputUnits(spec), { activation: outputActivation(spec), rng: init });
  blocks.output = output;
  layers.push({ name: 'output', block: output, dense: output, skip: 'none', prelu: null });
  return { model: new nn.Sequential(blocks), layers };
}

/** The output layer's activation: linear for regression, sigmoid for squared error on classes, else logits. */
export function outputActivation(spec: Pick<NetworkSpec, 'loss' | 'task'>): 'linear' | 'sigmoid' {
  return spec.loss === 'mse' && taskOf(spec) === 'classification' ? 'sigmoid' : 'linear';
}

/**
 * What the output map shows, from the model's output: [n, 1] P(class 1) for two classes, else
 * [n, K] class probabilities; for regression, the predicted value [n, 1].
 */
export function probabilities(spec: Pick<NetworkSpec, 'loss'>, output: Tensor): Tensor {
  switch (spec.loss) {
    case 'mse': return output;
    case 'bce': return sigmoid(output);
    case 'softmax': return softmax(output);
  }
}

/** The loss of the model's output against class labels (regression: target values, by squared error). */
export function lossOf(spec: Pick<NetworkSpec, 'loss'>, output: Tensor, labels: Tensor): Tensor {
  switch (spec.loss) {
    case 'mse': return nn.mseLoss(output, labels.reshape([-1, 1]));
    case 'bce': return nn.bceWithLogitsLoss(output, labels.reshape([-1, 1]));
    case 'softmax': return nn.crossEntropyLoss(output, labels);
  }
}

/** A one-line description: `2 → 4 tanh → 4 relu (dropout 0.2) → 1 sigmoid`. */
export function describeSpec(spec: NetworkSpec): string {
  const skips = skipLayers(spec);
  const hidden = spec.hidden.map((l, i) => {
    const extras = [skips[i] ? spec.skip : '', l.dropout > 0 ? `dropout ${l.dropout}` : ''].filter((s) => s !== '');
    return `${l.units} ${l.activation}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  });
  const output = spec.loss === 'softmax' ? `${spec.classes} softmax` : taskOf(spec) === 'regression' ? '1 linear' : '1 sigmoid';
  const features = featuresOf(spec);
  const inputs = features.join() === DEFAULT_FEATURES.join() ? '2' : `${features.length} (${features.map((f) => FEATURE_LABELS[f]).join(', ')})`;
  return [inputs, ...hidden, output].join(' → ');
}
