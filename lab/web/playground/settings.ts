/**
 * Training settings: the ones that change while the network trains, without a reset. Numbers
 * carry their allowed range, which the controls, the URL parser and the worker all check.
 */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  adam: 'Adam',
};

export interface TrainingSettings {
  optimizer: OptimizerName;
  learningRate: number;
  /** For 'momentum'. */
  momentum: number;
  /** For 'adam'. */
  beta1: number;
  beta2: number;
  /** Points per step; 0 means all training points (full batch). */
  batchSize: number;
  l1: number;
  /** L2 penalty (weight decay λ: adds λ·θ to each gradient). */
  l2: number;
  /** Clip the gradients' global norm to this; 0 means no clipping. */
  clipNorm: number;
}

export type NumericSetting = Exclude<keyof TrainingSettings, 'optimizer'>;

export interface Range {
  min: number;
  max: number;
  /** Whether min itself is allowed. */
  minInclusive: boolean;
  integer: boolean;
  step: number;
}

const range = (min: number, max: number, step: number, options: Partial<Range> = {}): Range => ({ min, max, step, minInclusive: true, integer: false, ...options });

export const SETTING_RANGES: Record<NumericSetting, Range> = {
  learningRate: range(0, 100, 0.001, { minInclusive: false }),
  momentum: range(0, 0.999, 0.01),
  beta1: range(0, 0.999, 0.001),
  beta2: range(0, 0.99999, 0.0001),
  batchSize: range(0, 1000, 1, { integer: true }),
  l1: range(0, 1, 0.0001),
  l2: range(0, 1, 0.0001),
  clipNorm: range(0, 1000, 0.1),
};

export const DEFAULT_SETTINGS: TrainingSettings = {
  optimizer: 'sgd',
  learningRate: 0.3,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  batchSize: 10,
  l1: 0,
  l2: 0,
  clipNorm: 0,
};

/** `value` as a setting, or the message for a value out of range. */
export function checkNumber(label: string, value: number, r: Range): string | null {
  if (!Number.isFinite(value)) return `${label} must be a number`;
  if (r.integer && !Number.isInteger(value)) return `${label} must be a whole number`;
  const low = r.minInclusive ? value < r.min : value <= r.min;
  if (low || value > r.max) return `${label} must be ${r.minInclusive ? 'from' : 'above'} ${r.min}${r.minInclusive ? ' to' : ' and at most'} ${r.max}, got ${value}`;
  return null;
}

/** Problems with settings, one per bad field. */
export function settingsProblems(settings: TrainingSettings): { key: keyof TrainingSettings; message: string }[] {
  const problems: { key: keyof TrainingSettings; message: string }[] = [];
  if (!OPTIMIZERS.includes(settings.optimizer)) problems.push({ key: 'optimizer', message: `unknown optimiser '${settings.optimizer}'` });
  for (const key of Object.keys(SETTING_RANGES) as NumericSetting[]) {
    const message = checkNumber(key, settings[key], SETTING_RANGES[key]);
    if (message !== null) problems.push({ key, message });
  }
  return problems;
}
