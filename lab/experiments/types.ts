/**
 * What an experiment is: a declared config schema plus a run function that, given a config and
 * a seed, yields records. Experiments never draw; the CLI, the browser page and the tests all
 * consume the same records.
 */
import type { NestedArray } from 'nnlab';

/** One option of an experiment, as `nnlab run <experiment> --help` lists it. */
export type OptionSpec =
  | { type: 'integer' | 'number'; default: number; min: number; max: number; help: string }
  | { type: 'choice'; default: string; choices: readonly string[]; help: string }
  | { type: 'boolean'; default: boolean; help: string };

/** Options by name (camelCase; the CLI spells them kebab-case: reportEvery ↔ --report-every). */
export type Schema = Readonly<Record<string, OptionSpec>>;

/** The config a schema describes: numbers, strings and booleans by option name. */
export type ConfigOf<S extends Schema> = {
  [K in keyof S]: S[K] extends { type: 'choice' } ? string : S[K] extends { type: 'boolean' } ? boolean : number;
};

export type Config = Record<string, number | string | boolean>;

/**
 * A heat map: a network output over the grid of `grid2d` on the unit square. `values` is
 * row-major with `resolution` rows: row r has x1 = r / (resolution − 1) (row 0 is x1 = 0, drawn
 * at the bottom), column c has x0 = c / (resolution − 1).
 */
export interface HeatMap {
  /** e.g. 'Output', 'h0', 'Output 2'. */
  name: string;
  resolution: number;
  values: number[];
  /** The value range the colour scale spans (default [0, 1]). */
  domain?: [number, number];
}

/** A line w·x + b = 0 over the unit square (the decision boundary of one unit). */
export interface DecisionLine {
  name: string;
  /** [w0, w1] */
  weights: [number, number];
  bias: number;
}

/** A data point drawn on a heat map: input and target class (0/1, or a class index). */
export interface DataPoint {
  input: number[];
  target: number[];
}

/** One series of a line or bar plot. */
export interface Series {
  label: string;
  x: number[];
  y: number[];
  /** How to draw it: a solid line (default), a dotted line, or bars. */
  style?: 'line' | 'dotted' | 'bars';
  /**
   * What the series stands for across the experiment's charts, as an index of seriesColour: the
   * renderer draws every series of one variant in one colour. For a comparison run it is the
   * index of its error series (0: the main run), so a run has its error curve's colour in every
   * chart. Default: coloured by position within the panel.
   */
  variant?: number;
}

/** A panel of curves (activation functions, losses): axis labels, ranges and series. */
export interface Panel {
  title: string;
  xLabel: string;
  yLabel: string;
  /** The axes' ranges; the renderer fits an absent one to the series (whole decades on a log axis). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /**
   * 'log' for quantities spanning orders of magnitude (gradient norms). A log axis drops the
   * points that are ≤ 0 or not finite, and a domain given for it must be positive.
   */
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  series: Series[];
}

export interface StartRecord {
  kind: 'start';
  experiment: string;
  config: Config;
  seed: number;
  /** Training experiments: the number of epochs and the reporting interval. */
  epochs?: number;
  reportEvery?: number;
  /** What the error is: 'MSE' or 'XE' (cross entropy). */
  errorLabel?: string;
  /**
   * What the main ('train') series is when the run compares several (e.g. 'clip by norm',
   * 'gradient descent'): legends, tables and final lines say this instead of 'train'.
   */
  mainSeries?: string;
  /**
   * 'log' when the run's error curves span orders of magnitude from the start (skip-connections:
   * the residual net starts near 150, the others below 1): the error curve, live and in the
   * figure, uses a log axis. Default: linear, switching to log past LOG_SPAN (a diverging run).
   */
  errorScale?: 'log';
  /** The training data. */
  data?: DataPoint[];
}

/** The training error after `epoch` full-batch steps (epoch 0: before any step), per series. */
export interface EpochRecord {
  kind: 'epoch';
  epoch: number;
  error: number;
  /** 'train' for the main run; other names for comparison runs (e.g. 'no dropout'). */
  series: string;
}

/** Every `reportEvery` epochs (and at 0 and the end): the heat maps and parameters. */
export interface SnapshotRecord {
  kind: 'snapshot';
  epoch: number;
  maps: HeatMap[];
  lines?: DecisionLine[];
  /** Parameters by dotted name, as nested arrays. */
  parameters: Record<string, NestedArray>;
}

/**
 * A figure that is not a heat map: panels of curves or bars (activations, losses). A run may
 * yield a figure again under the same name as training goes on (gradient norms every report):
 * the latest one is the figure; pages redraw it as it arrives.
 */
export interface FigureRecord {
  kind: 'figure';
  name: string;
  title: string;
  /** The panels share one y domain (fitted over all of them when they give none), to compare them by eye. */
  sharedY?: boolean;
  panels: Panel[];
}

export interface Prediction {
  input: number[];
  target: number[];
  output: number[];
}

/** A table cell: a number, a word, yes/no, or null for a value that is not a finite number. */
export type Cell = number | string | boolean | null;

/**
 * One thing a final record reports besides its error and predictions, typed so the CLI, the
 * report and the page render it without guessing its shape. `label` defaults to the item's key
 * in words ('largestDifference' → 'largest difference').
 */
export type FinalItem =
  /** A number (null: none, or not finite), with its unit if it has one. */
  | { kind: 'number'; value: number | null; unit?: string; label?: string }
  | { kind: 'text'; text: string; label?: string }
  /** A yes/no answer to the question the label asks, computed from the run. */
  | { kind: 'verdict'; holds: boolean; label?: string }
  /**
   * Rows of cells by column key (columns in first-seen order, headed by `columns[key]`, else by the
   * key in words: 'finalError' → 'final error').
   */
  | { kind: 'table'; rows: Record<string, Cell>[]; note?: string; label?: string; columns?: Readonly<Record<string, string>> }
  | { kind: 'predictions'; predictions: Prediction[]; label?: string };

export interface FinalRecord {
  kind: 'final';
  /** Training error after the last step (absent for experiments without training). */
  error?: number;
  predictions: Prediction[];
  parameters: Record<string, NestedArray>;
  /** What else the experiment reports (e.g. the comparison run's predictions), by key. */
  extra?: Record<string, FinalItem>;
}

/** What a consumer passes to a continuable run's `next()` after a final record: train `continueEpochs` more. */
export interface Continuation {
  continueEpochs: number;
}

export type LabRecord = StartRecord | EpochRecord | SnapshotRecord | FigureRecord | FinalRecord;

/**
 * What an experiment is, which decides how it is shown: 'training' runs epochs (a live page with
 * play, pause and step; live CLI output), 'figures' computes its figures once (activations,
 * losses), 'walkthrough' has a page of its own that steps through a computation (backprop).
 */
export type ExperimentKind = 'training' | 'figures' | 'walkthrough';

/**
 * A rule across options whose values are each allowed alone (the square data set needs 3 hidden
 * units): checked after every option's own check, wherever a config is resolved (run, sweep,
 * page, worker), so a run that cannot show what the experiment is about is refused up front.
 */
export interface ConfigRule {
  /** The options it reads (camelCase), in the order the message names them; the page marks each. */
  options: readonly string[];
  /** What must hold, in words, with why: 'the square data set needs --hidden 3 or more (…)'. */
  rule: string;
  holds(config: Config): boolean;
  /** How to keep the rule from `config`, e.g. 'use --hidden 3'. */
  fix(config: Config): string;
}

export interface Experiment<S extends Schema = Schema> {
  /** The name `nnlab run` takes, e.g. 'two-layer'. */
  name: string;
  kind: ExperimentKind;
  /**
   * Whether `nnlab sweep` can run it: a training experiment whose final predictions have targets
   * to be right or wrong about (the deep-network comparisons end with tables instead).
   */
  sweepable: boolean;
  /**
   * Whether a finished run trains on: after its final record, `next({ continueEpochs: n })` on the
   * run's iterator trains the same models n more epochs, yielding their records and a new final
   * record, the same records a fresh run with `epochs` + n yields from there (see training.ts).
   */
  continuable?: boolean;
  /** A one-line description for `nnlab list`. */
  description: string;
  /** A short explanation in our own words: what to look at and why it happens. */
  explanation: string;
  schema: S;
  /** Rules across options (see ConfigRule); none by default. */
  rules?: readonly ConfigRule[];
  /** Yields the run's records, from a 'start' to a 'final'. Deterministic for a given config and seed. */
  run(config: ConfigOf<S>, seed: number): Iterable<LabRecord>;
}
