/**
 * Everything the playground shows, as one plain value that round-trips through the address bar.
 * Copying the address reproduces the data (generated from the seed and parameters, or user
 * points encoded in `points=`), the network and the training settings, hence the same run.
 *
 *     ?page=playground&data=spiral&n=300&noise=0.02&classes=3&test=0.3&seed=1
 *      &layers=8:relu,8:relu:0.1&skip=residual&loss=softmax
 *      &opt=adam&lr=0.01&mom=0.9&b1=0.9&b2=0.999&batch=10&l1=0&l2=0&clip=0
 *      &discrete=0&showtest=1&palette=bwr&res=40&speed=max&hide=loss,optimizer
 *
 * `parseState` never throws: a value it cannot use falls back to its default, and each such
 * value yields a problem naming the parameter, for the page to show next to its control.
 */
import type { Palette } from '../../render/browser.js';
import { DATASETS, LIMITS, MAX_CLASSES, classesOf, isRegression } from './datasets.js';
import type { DatasetName, Point } from './datasets.js';
import { decodePoints, encodePoints } from './points-codec.js';
import { DEFAULT_FEATURES, featureProblems } from './features.js';
import type { FeatureName } from './features.js';
import { HIDDEN_ACTIVATIONS, LOSSES, NETWORK_LIMITS, SKIPS, featuresOf, specProblems } from './spec.js';
import type { HiddenActivation, LayerSpec, LossName, NetworkSpec, Skip, Task } from './spec.js';
import { DEFAULT_SETTINGS, OPTIMIZERS, SETTING_RANGES, checkNumber } from './settings.js';
import type { NumericSetting, OptimizerName, Range, TrainingSettings } from './settings.js';

export interface DataState {
  /** A generated data set, or 'custom' for the points in `points`. */
  name: DatasetName | 'custom';
  count: number;
  noise: number;
  /** Classes of gaussians, spiral and custom points. */
  classes: number;
  testFraction: number;
  /** The points of a custom data set (quantised), else null. */
  points: Point[] | null;
}

export interface ViewState {
  discretize: boolean;
  /** Draw the test points on the output map. */
  showTest: boolean;
  palette: Palette;
  /** Heat-map samples per axis. */
  resolution: number;
  /** Epochs per second while playing, or 'max' (as fast as the worker trains). */
  speed: Speed;
}

export const SPEEDS = ['1', '10', '30', '100', '1000', 'max'] as const;
/**
 * The speed a playground opens at: slow enough to watch. Measured (default circle, seed 1): both
 * accuracies first reach 100 % at epoch 278, so at 30 epochs/s the boundary forms over about 9 s
 * (flat out it took under 2 s, and the loss curve was squashed against its left edge).
 */
export const WATCHABLE_SPEED: Speed = '30';
export type Speed = (typeof SPEEDS)[number];

export interface PlaygroundState {
  data: DataState;
  network: Omit<NetworkSpec, 'classes'>;
  settings: TrainingSettings;
  seed: number;
  view: ViewState;
  /** Controls hidden in classroom mode. */
  hide: Hideable[];
}

/** Control groups a teacher can hide with `&hide=a,b`. */
export const HIDEABLE = [
  'data', 'noise', 'csv', 'edit', 'inputs', 'layers', 'skip', 'loss', 'optimizer', 'lr', 'batch', 'regularization', 'clip', 'seed', 'model', 'view', 'curves',
] as const;
export type Hideable = (typeof HIDEABLE)[number];

export interface StateProblem {
  /** The URL parameter (or 'address' for unknown ones). */
  key: string;
  message: string;
}

export const DEFAULT_STATE: PlaygroundState = {
  data: { name: 'circle', count: 200, noise: 0.03, classes: 2, testFraction: 0.3, points: null },
  network: {
    hidden: [
      { units: 4, activation: 'tanh', dropout: 0 },
      { units: 2, activation: 'tanh', dropout: 0 },
    ],
    skip: 'none',
    loss: 'bce',
  },
  settings: DEFAULT_SETTINGS,
  seed: 1,
  view: { discretize: false, showTest: true, palette: 'bwr', resolution: 40, speed: WATCHABLE_SPEED },
  hide: [],
};

export const SEED_RANGE: Range = { min: 0, max: 2147483647, step: 1, minInclusive: true, integer: true };
export const RESOLUTION_RANGE: Range = { min: 10, max: 100, step: 1, minInclusive: true, integer: true };
const range = (min: number, max: number, integer = false): Range => ({ min, max, step: 0, minInclusive: true, integer });
export const DATA_RANGES = {
  count: range(LIMITS.count[0], LIMITS.count[1], true),
  noise: range(LIMITS.noise[0], LIMITS.noise[1]),
  classes: range(LIMITS.classes[0], LIMITS.classes[1], true),
  testFraction: range(LIMITS.testFraction[0], LIMITS.testFraction[1]),
};

/** URL parameter names of the training settings. */
const SETTING_KEYS: Record<NumericSetting, string> = {
  learningRate: 'lr', momentum: 'mom', beta1: 'b1', beta2: 'b2', batchSize: 'batch', l1: 'l1', l2: 'l2', clipNorm: 'clip',
};
/** Parameters other pages of the lab may set. */
const FOREIGN_KEYS = ['page', 'projector'];
const KNOWN_KEYS = [
  ...FOREIGN_KEYS, 'data', 'n', 'noise', 'classes', 'test', 'points', 'seed', 'inputs', 'layers', 'skip', 'loss', 'opt',
  ...Object.values(SETTING_KEYS), 'discrete', 'showtest', 'palette', 'res', 'speed', 'hide',
];

/** The number of classes the network needs for this data. */
export function classesOfData(data: DataState): number {
  if (data.name === 'custom') return Math.max(data.classes, 2, ...(data.points ?? []).map((p) => p.label + 1));
  return classesOf({ name: data.name, classes: data.classes });
}

/** What the data asks the network to learn: regression for the plane and the bump, else classes. */
export function taskOfData(data: Pick<DataState, 'name'>): Task {
  return isRegression(data.name) ? 'regression' : 'classification';
}

export function networkSpecOf(state: PlaygroundState): NetworkSpec {
  const task = taskOfData(state.data);
  return { ...state.network, classes: classesOfData(state.data), ...(task === 'regression' ? { task } : {}) };
}

export function parseState(search: string): { state: PlaygroundState; problems: StateProblem[] } {
  const params = new URLSearchParams(search);
  const problems: StateProblem[] = [];
  const problem = (key: string, message: string) => problems.push({ key, message });
  const d = DEFAULT_STATE;

  for (const key of new Set(params.keys())) {
    if (!KNOWN_KEYS.includes(key)) problem('address', `unknown setting '${key}' in the address (ignored)`);
  }
  const number = (key: string, r: Range, fallback: number, label = key): number => {
    const text = params.get(key);
    if (text === null) return fallback;
    const value = text.trim() === '' ? NaN : Number(text);
    const message = checkNumber(label, value, r);
    if (message === null) return value;
    problem(key, `${Number.isNaN(value) ? `${label} '${text}' is not a number` : message} (using ${fallback})`);
    return fallback;
  };
  const choice = <T extends string>(key: string, options: readonly T[], fallback: T): T => {
    const text = params.get(key);
    if (text === null) return fallback;
    if ((options as readonly string[]).includes(text)) return text as T;
    problem(key, `${key} '${text}' is not one of ${options.join(', ')} (using ${fallback})`);
    return fallback;
  };

  const seed = number('seed', SEED_RANGE, d.seed);
  const data = parseData(params, number, choice, problem);
  const features = parseFeatures(params.get('inputs'), problem) ?? d.network.features;
  const network = {
    // x₀, x₁ is the state without the key, so a state and its link's parse compare equal.
    ...(features === undefined || features.join() === DEFAULT_FEATURES.join() ? {} : { features }),
    hidden: parseLayers(params.get('layers'), problem) ?? d.network.hidden,
    skip: choice<Skip>('skip', SKIPS, d.network.skip),
    loss: choice<LossName>('loss', LOSSES, d.network.loss),
  };
  const classes = classesOfData(data);
  const task = taskOfData(data);
  if (task === 'regression' && network.loss !== 'mse') {
    if (params.has('loss')) problem('loss', `regression (data=${data.name}) trains with squared error (using loss=mse instead of ${network.loss})`);
    network.loss = 'mse';
  }
  if (classes > 2 && network.loss !== 'softmax') {
    if (params.has('loss')) problem('loss', `${classes} classes need softmax + categorical cross entropy (using it instead of ${network.loss})`);
    network.loss = 'softmax';
  }
  const spec = { ...network, classes, task };
  if (specProblems(spec).length > 0) {
    problem('skip', `${specProblems(spec).join('; ')} (using no skip connections)`);
    network.skip = 'none';
  }

  const settings = { ...d.settings, optimizer: choice<OptimizerName>('opt', OPTIMIZERS, d.settings.optimizer) };
  for (const [name, key] of Object.entries(SETTING_KEYS) as [NumericSetting, string][]) {
    settings[name] = number(key, SETTING_RANGES[name], d.settings[name]);
  }
  const view: ViewState = {
    discretize: choice('discrete', ['0', '1'], d.view.discretize ? '1' : '0') === '1',
    showTest: choice('showtest', ['0', '1'], d.view.showTest ? '1' : '0') === '1',
    palette: choice<Palette>('palette', ['bwr', 'colorblind'], d.view.palette),
    resolution: number('res', RESOLUTION_RANGE, d.view.resolution),
    speed: choice<Speed>('speed', SPEEDS, d.view.speed),
  };
  const hide: Hideable[] = [];
  for (const name of (params.get('hide') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if ((HIDEABLE as readonly string[]).includes(name)) hide.push(name as Hideable);
    else problem('hide', `hide: '${name}' is not a control group (choose from ${HIDEABLE.join(', ')})`);
  }
  return { state: { data, network, settings, seed, view, hide }, problems };
}

type NumberReader = (key: string, r: Range, fallback: number, label?: string) => number;
type ChoiceReader = <T extends string>(key: string, options: readonly T[], fallback: T) => T;

function parseData(params: URLSearchParams, number: NumberReader, choice: ChoiceReader, problem: (key: string, message: string) => void): DataState {
  const d = DEFAULT_STATE.data;
  const data: DataState = {
    name: choice<DatasetName | 'custom'>('data', [...DATASETS, 'custom'], d.name),
    count: number('n', DATA_RANGES.count, d.count, 'points'),
    noise: number('noise', DATA_RANGES.noise, d.noise),
    classes: number('classes', DATA_RANGES.classes, d.classes),
    testFraction: number('test', DATA_RANGES.testFraction, d.testFraction, 'test share'),
    points: null,
  };
  const text = params.get('points');
  if (data.name !== 'custom') {
    if (text !== null) problem('points', `points are only read with data=custom (ignored)`);
    return data;
  }
  if (text === null) {
    problem('data', `data=custom needs points=… in the address (using ${d.name})`);
    return { ...data, name: d.name };
  }
  const decoded = decodePoints(text, MAX_CLASSES);
  if ('error' in decoded) {
    problem('points', `${decoded.error} (using the ${d.name} data set)`);
    return { ...data, name: d.name };
  }
  return { ...data, points: decoded.points };
}

/** `4:tanh,2:relu:0.2` → layers, or null after reporting the problem. */
export function parseLayers(text: string | null, problem: (key: string, message: string) => void): LayerSpec[] | null {
  if (text === null) return null;
  if (text.trim() === '' || text === 'none') return [];
  const layers: LayerSpec[] = [];
  const parts = text.split(',');
  const [, maxLayers] = NETWORK_LIMITS.layers;
  const fail = (message: string) => (problem('layers', `layers '${text}': ${message} (using the default network)`), null);
  if (parts.length > maxLayers) return fail(`at most ${maxLayers} hidden layers`);
  for (const [i, part] of parts.entries()) {
    const [unitsText, activation = 'tanh', dropoutText = '0', ...rest] = part.split(':');
    const units = Number(unitsText);
    const dropout = Number(dropoutText);
    const [minUnits, maxUnits] = NETWORK_LIMITS.units;
    if (rest.length > 0) return fail(`layer ${i + 1} '${part}' should be units:activation:dropout`);
    if (!Number.isInteger(units) || units < minUnits || units > maxUnits) return fail(`layer ${i + 1} needs ${minUnits}–${maxUnits} units, got '${unitsText}'`);
    if (!(HIDDEN_ACTIVATIONS as readonly string[]).includes(activation)) return fail(`layer ${i + 1}: activation '${activation}' is not one of ${HIDDEN_ACTIVATIONS.join(', ')}`);
    if (dropoutText.trim() === '' || !(dropout >= 0 && dropout <= NETWORK_LIMITS.dropout[1])) return fail(`layer ${i + 1}: dropout must be 0–0.9, got '${dropoutText}'`);
    layers.push({ units, activation: activation as HiddenActivation, dropout });
  }
  return layers;
}

export function formatLayers(layers: readonly LayerSpec[]): string {
  if (layers.length === 0) return 'none';
  return layers.map((l) => `${l.units}:${l.activation}${l.dropout > 0 ? `:${l.dropout}` : ''}`).join(',');
}

/** `inputs=x0,x1,x0sq`: the input features, or null (with a problem) when the list is unusable. */
export function parseFeatures(text: string | null, problem: (key: string, message: string) => void): FeatureName[] | null {
  if (text === null) return null;
  const features = text.split(',').map((f) => f.trim()).filter((f) => f !== '');
  const problems = featureProblems(features);
  if (problems.length > 0) return (problem('inputs', `inputs '${text}': ${problems.join('; ')} (using ${DEFAULT_FEATURES.join(',')})`), null);
  return features as FeatureName[];
}

/** The query string for a state (every setting written out, so a link never depends on defaults). */
export function formatState(state: PlaygroundState, page = 'playground'): string {
  const { data, network, settings, view } = state;
  const entries: [string, string][] = [
    ['page', page],
    ['data', data.name],
    ['n', String(data.count)],
    ['noise', String(data.noise)],
    ['classes', String(data.classes)],
    ['test', String(data.testFraction)],
  ];
  if (data.name === 'custom' && data.points !== null) entries.push(['points', encodePoints(data.points)]);
  entries.push(
    ['seed', String(state.seed)],
    ['inputs', featuresOf(network).join(',')],
    ['layers', formatLayers(network.hidden)],
    ['skip', network.skip],
    ['loss', network.loss],
    ['opt', settings.optimizer],
    ...(Object.entries(SETTING_KEYS) as [NumericSetting, string][]).map(([name, key]): [string, string] => [key, String(settings[name])]),
    ['discrete', view.discretize ? '1' : '0'],
    ['showtest', view.showTest ? '1' : '0'],
    ['palette', view.palette],
    ['res', String(view.resolution)],
    ['speed', view.speed],
  );
  if (state.hide.length > 0) entries.push(['hide', state.hide.join(',')]);
  // ',' and ':' are fine in a query string; leaving them unescaped keeps links readable.
  return '?' + entries.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%3A/g, ':')}`).join('&');
}
