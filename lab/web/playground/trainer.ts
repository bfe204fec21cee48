/**
 * The training state the worker holds: the model, its optimiser and the data, with one method
 * per thing the page asks for. No DOM and no messages here, so Node tests drive it directly.
 *
 *     const model = new PlaygroundModel(spec, points, settings, seed);
 *     model.train(10);                    // → one record per epoch
 *     model.maps(40);                     // → output and hidden-unit heat maps
 */
import { ModelFileError, Generator, deserializeModel, grid2d, nn, noGrad, optim, serializeModel, tensor } from 'nnlab';
import type { Tensor } from 'nnlab';
import { Trainee } from '../../experiments/driver.js';
import type { StepOptions } from '../../experiments/driver.js';
import type { Point } from './datasets.js';
import { featureRows } from './features.js';
import type { FeatureName } from './features.js';
import { buildNetwork, describeSpec, featuresOf, lossOf, probabilities, taskOf } from './spec.js';
import type { BuiltNetwork, LayerHandle, NetworkSpec } from './spec.js';
import { readPlaygroundFile } from './model-file.js';
import { settingsProblems } from './settings.js';
import type { TrainingSettings } from './settings.js';

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  /** null without test points. */
  testLoss: number | null;
  /** null for regression (there are no classes to get right). */
  trainAccuracy: number | null;
  /** null without test points, or for regression. */
  testAccuracy: number | null;
}

/** A heat map's values on the grid (row r has x1 = r / (resolution − 1)) and its colour domain. */
export interface UnitMap {
  values: Float32Array;
  domain: [number, number];
}

/** On the fast path every map is a view into one buffer, which the worker transfers once. */
export interface Maps {
  resolution: number;
  /** P(class 1) for two classes with one output; one map per class for softmax; the predicted value for regression. */
  output: Float32Array[];
  /** hidden[layer][unit]. */
  hidden: UnitMap[][];
}

export interface LayerWeights {
  name: string;
  inFeatures: number;
  outFeatures: number;
  /** [inFeatures, outFeatures] row-major: weight from input i to unit j at i·outFeatures + j. */
  weight: Float32Array;
  bias: Float32Array;
  skip: 'none' | 'residual' | 'highway';
  /** PReLU slopes per unit, or null. */
  alpha: Float32Array | null;
}

interface Split {
  inputs: Tensor;
  labels: Tensor;
  count: number;
}

type AnyOptimizer = optim.SGD | optim.Adam;

export class PlaygroundModel {
  readonly network: BuiltNetwork;
  private settings: TrainingSettings;
  private readonly train_: Split;
  private readonly test: Split;
  private readonly batchRng: Generator;
  /** The training points' labels as the training loss takes them (see `trainingLoss`). */
  private readonly trainTargets: Tensor;
  /**
   * The model, its training loss and optimiser, trained through the lab's driver: captured steps
   * replayed across epochs where captureStep takes the network, eager steps otherwise.
   */
  private readonly trainee: Trainee;
  /** The grid's points per resolution: [resolution², 2] for the modules' forward… */
  private readonly grids = new Map<number, Tensor>();
  /** …and as rows [3, resolution²] for the fast path (see `gridRows`). */
  private readonly gridsByRow = new Map<number, Float32Array>();
  /** A maps buffer the page has finished with (see `recycle`). */
  private spare: Float32Array | null = null;

  constructor(
    readonly spec: NetworkSpec,
    points: readonly Point[],
    settings: TrainingSettings,
    readonly seed: number,
    /** `capture: false` trains with eager steps only (the same numbers, slower: for comparison). */
    options: { capture?: boolean } = {},
  ) {
    if (taskOf(spec) === 'regression') {
      const bad = points.find((p) => !Number.isFinite(p.label));
      if (bad !== undefined) throw new Error(`a point's value to predict is ${bad.label}; regression needs finite numbers`);
    } else {
      const bad = points.find((p) => !(Number.isInteger(p.label) && p.label >= 0 && p.label < spec.classes));
      if (bad !== undefined) throw new Error(`a point has class ${bad.label}, but the network has ${spec.classes} classes`);
    }
    const root = new Generator(seed);
    this.network = buildNetwork(spec, root);
    this.batchRng = root.fork('batches');
    this.train_ = splitOf(points.filter((p) => !p.test), featuresOf(spec));
    this.test = splitOf(points.filter((p) => p.test), featuresOf(spec));
    const { targets, loss } = trainingLoss(spec, this.train_.labels);
    this.trainTargets = targets;
    this.settings = checkedSettings(settings);
    this.trainee = new Trainee({
      series: 'train',
      model: this.network.model,
      loss,
      optimizer: makeOptimizer(this.network.model, this.settings),
      capture: options.capture !== false,
      steps: this.stepsOf(this.settings),
    });
  }

  get model(): nn.Sequential {
    return this.network.model;
  }

  /** Epochs trained (a loaded model file sets it). */
  get epoch(): number {
    return this.trainee.epoch;
  }

  /** How the latest epoch trained: by replaying captured steps, or with eager steps. */
  get lastEpochSteps(): 'captured' | 'eager' | null {
    return this.trainee.lastSteps;
  }

  /**
   * Trains `epochs` epochs, or fewer once `budgetMs` has passed (at least one), and returns a
   * record per epoch. Divergence throws the driver's DivergedError.
   */
  train(epochs: number, budgetMs = Infinity, now: () => number = () => performance.now()): EpochMetrics[] {
    if (this.train_.count === 0) throw new Error('there are no training points: add some (click the output map) or lower the test share');
    const start = now();
    const records: EpochMetrics[] = [];
    for (let i = 0; i < epochs; i++) {
      this.trainee.train(this.train_.inputs, this.trainTargets);
      records.push(this.metrics());
      if (now() - start >= budgetMs) break;
    }
    return records;
  }

  /**
   * How each step is taken under `settings`: minibatches shuffled by the model's own generator,
   * and clipping (which runs between backward and the update, so those epochs train eagerly).
   */
  private stepsOf(settings: TrainingSettings): StepOptions {
    const { batchSize, clipNorm } = settings;
    return {
      batchSize: batchSize === 0 ? undefined : Math.min(batchSize, this.train_.count),
      rng: this.batchRng,
      clipNorm: clipNorm > 0 ? clipNorm : undefined,
    };
  }

  /** Loss and accuracy (none for regression) on the training and test points, with dropout off. */
  metrics(): EpochMetrics {
    const train = this.evaluate(this.train_);
    const test = this.test.count > 0 ? this.evaluate(this.test) : null;
    return { epoch: this.epoch, trainLoss: train.loss, testLoss: test?.loss ?? null, trainAccuracy: train.accuracy, testAccuracy: test?.accuracy ?? null };
  }

  private evaluate(split: Split): { loss: number; accuracy: number | null } {
    const regression = taskOf(this.spec) === 'regression';
    if (split.count === 0) return { loss: NaN, accuracy: regression ? null : NaN };
    return noGrad(() => {
      this.model.eval();
      const output = this.model.forward(split.inputs);
      const loss = lossOf(this.spec, output, split.labels).item();
      return { loss, accuracy: regression ? null : correctCount(probabilities(this.spec, output), split.labels.data) / split.count };
    });
  }

  /** Changes the training settings from the next step on; a new optimiser kind starts with fresh state. */
  setSettings(settings: TrainingSettings): void {
    const next = checkedSettings(settings);
    if (next.optimizer !== this.settings.optimizer) {
      this.trainee.optimizer = makeOptimizer(this.model, next); // fresh state; the captured steps go with the old one
    } else {
      // Checked, for every group, in place: the captured steps read these options at every step,
      // as optimizer.step() does, so they stay valid.
      this.trainee.optimizer.setOptions(optimizerOptions(next));
    }
    if (next.batchSize !== this.settings.batchSize) this.trainee.forgetSteps(); // other batch sizes
    this.trainee.steps = this.stepsOf(next);
    this.settings = next;
  }

  /** Sets the weight from input `from` to unit `to` of layer `layer` (0 = first hidden layer). */
  setWeight(layer: number, from: number, to: number, value: number): void {
    const handle = this.network.layers[layer];
    if (handle === undefined) throw new Error(`there is no layer ${layer} (the network has ${this.network.layers.length})`);
    const { inFeatures, outFeatures, weight } = handle.dense;
    if (!(Number.isInteger(from) && from >= 0 && from < inFeatures && Number.isInteger(to) && to >= 0 && to < outFeatures)) {
      throw new Error(`layer ${handle.name} has weights from 0–${inFeatures - 1} to 0–${outFeatures - 1}, not ${from} → ${to}`);
    }
    if (!Number.isFinite(value)) throw new Error(`a weight must be a finite number, got ${value}`);
    weight.data[from * outFeatures + to] = value;
  }

  weights(): LayerWeights[] {
    return this.network.layers.map((handle) => ({
      name: handle.name,
      inFeatures: handle.dense.inFeatures,
      outFeatures: handle.dense.outFeatures,
      weight: Float32Array.from(handle.dense.weight.data),
      bias: Float32Array.from(handle.dense.bias?.data ?? []),
      skip: handle.skip,
      alpha: handle.prelu === null ? null : Float32Array.from(handle.prelu.alpha.data),
    }));
  }

  /**
   * The output and every hidden unit over a resolution × resolution grid of the unit square.
   * Networks of plain dense layers (the fused activations, no skip, no PReLU) take a fast path
   * (`plainMaps`) with the same numbers up to float rounding; the others go through the
   * modules' forward.
   */
  maps(resolution: number): Maps {
    this.model.eval();
    if (this.network.layers.every(plainDense)) return this.plainMaps(resolution);
    let grid = this.grids.get(resolution);
    if (grid === undefined) {
      const features = featuresOf(this.spec);
      grid = tensor(featureRows(grid2d({ resolution }).data, features), 'float32', [resolution * resolution, features.length]);
      this.grids.set(resolution, grid);
    }
    return this.moduleMaps(resolution, grid);
  }

  private moduleMaps(resolution: number, input: Tensor): Maps {
    return noGrad(() => {
      const hidden: UnitMap[][] = [];
      let h = input;
      const blocks = this.network.layers;
      blocks.slice(0, -1).forEach((layer, i) => {
        h = layer.block.forward(h); // [resolution², units]
        hidden.push(columns(h.data, h.shape[1]).map((values) => ({ values, domain: domainOf(this.spec.hidden[i].activation, values) })));
      });
      const output = probabilities(this.spec, blocks[blocks.length - 1].block.forward(h));
      return { resolution, output: columns(output.data, output.shape[1]), hidden };
    });
  }

  /**
   * The maps of a network of plain dense layers (dropout is off in evaluation), evaluated in
   * unit-major layout (`nn.denseUnitsInto`): each layer's output is one row per unit, so every
   * map is a view into one fresh buffer per call, allocated once and transferred to the page
   * once. The buffer holds each hidden layer's rows then a row of ones (the next layer's bias
   * input), then the output's rows.
   */
  private plainMaps(resolution: number): Maps {
    const n = resolution * resolution;
    const layers = this.network.layers;
    const hiddenRows = layers.slice(0, -1).reduce((rows, layer) => rows + layer.dense.outFeatures + 1, 0);
    const outputs = layers[layers.length - 1].dense.outFeatures;
    const size = (hiddenRows + outputs) * n;
    // Every value is written below (the ones rows too), so a recycled buffer needs no clearing.
    const buffer = this.spare?.length === size ? this.spare : new Float32Array(size);
    this.spare = null;
    const rows = (first: number, count: number) => buffer.subarray(first * n, (first + count) * n);
    const hidden: UnitMap[][] = [];
    let x = this.gridRows(resolution);
    let row = 0;
    layers.slice(0, -1).forEach((layer, i) => {
      const units = layer.dense.outFeatures;
      const activation = this.spec.hidden[i].activation;
      // Bounded activations have a fixed colour scale: no need to look for the largest value.
      const largest = boundedRange(activation) !== undefined ? undefined : new Float64Array(units);
      nn.denseUnitsInto(layer.dense, x, n, rows(row, units), largest);
      rows(row + units, 1).fill(1);
      hidden.push(Array.from({ length: units }, (_, j) => ({ values: rows(row + j, 1), domain: domainFromLargest(activation, largest?.[j] ?? 0) })));
      x = rows(row, units + 1);
      row += units + 1;
    });
    const output = rows(row, outputs);
    nn.denseUnitsInto(layers[layers.length - 1].dense, x, n, output); // [outputs, resolution²] logits
    if (this.spec.loss === 'softmax') nn.softmaxUnitsInto(output, outputs, n, output);
    else if (this.spec.loss === 'bce') output.set(probabilities(this.spec, tensor(output, 'float32', [n, 1])).data); // one output: its row is [n, 1]
    return { resolution, output: Array.from({ length: outputs }, (_, j) => rows(row + j, 1)), hidden };
  }

  /**
   * Takes back the buffer of an earlier snapshot's maps once the page has drawn a newer one (the
   * page transfers it back): the next maps of the same size are written into it instead of a
   * fresh allocation, which at the largest setup costs ~0.6 ms of zeroing and page faults.
   */
  recycle(buffer: ArrayBuffer): void {
    if (buffer.byteLength > 0 && buffer.byteLength % 4 === 0) this.spare = new Float32Array(buffer);
  }

  /** The grid as unit-major input rows: each feature's row over every point, then ones (kept per resolution). */
  private gridRows(resolution: number): Float32Array {
    let rows = this.gridsByRow.get(resolution);
    if (rows === undefined) {
      const features = featuresOf(this.spec);
      const values = featureRows(grid2d({ resolution }).data, features); // [n, features]
      const n = resolution * resolution;
      const k = features.length;
      rows = new Float32Array((k + 1) * n).fill(1, k * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) rows[j * n + i] = values[i * k + j];
      this.gridsByRow.set(resolution, rows);
    }
    return rows;
  }

  /** The model file (nnlab's format), with the network spec and epoch beside the weights. */
  save(): string {
    const config = JSON.parse(JSON.stringify({ playground: this.spec })) as nn.JsonValue;
    return serializeModel(this.model, { config, metadata: { epoch: this.epoch, seed: this.seed } });
  }

  /**
   * Loads a model file's weights into this network. On any problem nothing changes and the
   * message says what is wrong; on success the optimiser starts afresh and the epoch is the file's.
   */
  load(text: string): { ok: true } | { ok: false; message: string } {
    const file = readPlaygroundFile(text);
    if (file.problems.length > 0) return { ok: false, message: `the file's playground settings cannot be used: ${file.problems.slice(0, 4).join('; ')}` };
    try {
      deserializeModel(text, { into: this.model, source: 'the file' });
      this.trainee.optimizer = makeOptimizer(this.model, this.settings); // and the captured steps of the old one go (the weights are loaded in place)
      if (file.epoch !== null) this.trainee.epoch = file.epoch;
      return { ok: true };
    } catch (error) {
      return { ok: false, message: loadMessage(error, file.spec, this.spec) };
    }
  }
}

function splitOf(points: readonly Point[], features: readonly FeatureName[]): Split {
  return {
    inputs: tensor(featureRows(points.flatMap((p) => [p.x0, p.x1]), features), 'float32', [points.length, features.length]),
    labels: tensor(points.map((p) => p.label), 'float32', [points.length]),
    count: points.length,
  };
}

/**
 * The training loss and the targets it takes: lossOf's, with the labels shaped [n, 1] once here
 * for BCE and MSE instead of reshaped in every step, which a captured step could not replay.
 */
function trainingLoss(spec: NetworkSpec, labels: Tensor): { targets: Tensor; loss: (output: Tensor, targets: Tensor) => Tensor } {
  switch (spec.loss) {
    case 'mse': return { targets: labels.reshape([-1, 1]), loss: nn.mseLoss };
    case 'bce': return { targets: labels.reshape([-1, 1]), loss: nn.bceWithLogitsLoss };
    case 'softmax': return { targets: labels, loss: (output, targets) => lossOf(spec, output, targets) };
  }
}

function checkedSettings(settings: TrainingSettings): TrainingSettings {
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return { ...settings };
}

function optimizerOptions(s: TrainingSettings): optim.SGDOptions & optim.AdamOptions {
  const common = { lr: s.learningRate, weightDecay: s.l2, l1: s.l1 };
  switch (s.optimizer) {
    case 'sgd': return { ...common, momentum: 0 };
    case 'momentum': return { ...common, momentum: s.momentum };
    case 'adam': return { ...common, beta1: s.beta1, beta2: s.beta2 };
  }
}

function makeOptimizer(model: nn.Module, s: TrainingSettings): AnyOptimizer {
  const options = optimizerOptions(s);
  return s.optimizer === 'adam' ? new optim.Adam(model.parameters(), options) : new optim.SGD(model.parameters(), options);
}

/** Column j of row-major [n, k] data, for each j, as new float32 arrays. */
function columns(data: ArrayLike<number>, k: number): Float32Array[] {
  const n = data.length / k;
  const out: Float32Array[] = [];
  for (let j = 0; j < k; j++) {
    const column = new Float32Array(n);
    for (let i = 0, at = j; i < n; i++, at += k) column[i] = data[at];
    out.push(column);
  }
  return out;
}

/** A layer the fast maps path evaluates: plain dense (dropout aside) with a fused activation. */
function plainDense(layer: LayerHandle): boolean {
  return layer.skip === 'none' && layer.prelu === null && nn.denseIntoSupports(layer.dense);
}

/** The predicted class per row: P ≥ 0.5 for one output column, else the argmax. */
export function predictedClasses(p: Tensor): number[] {
  const [n, k] = p.shape;
  return Array.from({ length: n }, (_, i) => predictedClass(p.data, k, i));
}

/** How many rows' predicted class is their label (run every epoch: no arrays made). */
function correctCount(p: Tensor, labels: ArrayLike<number>): number {
  const k = p.shape[1];
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictedClass(p.data, k, i) === labels[i]) correct++;
  return correct;
}

/** Row i's predicted class from probabilities [n, k]: P ≥ 0.5 for one column, else the first largest. */
function predictedClass(p: ArrayLike<number>, k: number, i: number): number {
  if (k === 1) return p[i] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < k; j++) if (p[i * k + j] > p[i * k + best]) best = j;
  return best;
}

/** Bounded activations use their range; the others a range symmetric about 0 that fits the map. */
export function domainOf(activation: string, values: Float32Array): [number, number] {
  if (boundedRange(activation) !== undefined) return domainFromLargest(activation, 0);
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    m = v > m ? v : m; // NaN is never larger
  }
  return domainFromLargest(activation, m);
}

/** An activation op's output range when it is bounded (sigmoid [0, 1], tanh [−1, 1]); PReLU has none. */
function boundedRange(activation: string): readonly [number, number] | undefined {
  return activation === 'prelu' ? undefined : nn.activationInfo(activation).range;
}

/** domainOf from the map's largest |value| (`nn.denseUnitsInto` finds it after writing the map). */
function domainFromLargest(activation: string, m: number): [number, number] {
  const range = boundedRange(activation);
  if (range !== undefined) return [range[0], range[1]];
  return m > 0 && Number.isFinite(m) ? [-m, m] : [-1, 1];
}

function loadMessage(error: unknown, theirs: NetworkSpec | null, spec: NetworkSpec): string {
  if (!(error instanceof ModelFileError)) return `the file could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  if (theirs !== null && describeSpec(theirs) !== describeSpec(spec)) {
    // The shapes say it all; the file's list of differing weights would only repeat it.
    return `the file holds a ${describeSpec(theirs)} network; this one is ${describeSpec(spec)}: set the network to match, then load again`;
  }
  const lines = error.problems;
  return lines.slice(0, 4).join('; ') + (lines.length > 4 ? ` (and ${lines.length - 4} more)` : '');
}
