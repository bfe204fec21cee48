/**
 * What a sweep is: one experiment with one config, run for a range of seeds, optionally for each
 * value of ONE option (the grid). A plan is checked against the experiment's schema up front, so
 * a typo fails before any run starts, with the option and the values in the message.
 *
 * The folder: sweeps of one experiment over many seeds. plan, run, scheduler and summary are
 * pure and shared by Node and the browser's sweep page (Web Workers); file, lines, lock, pool,
 * node-worker and sweep are Node's (results files and their lock, worker threads).
 */
import { ConfigError, checkRules, experiments, findExperiment, kebab, resolveValues, ruleMessage } from '../experiments/index.js';
import { parseOption } from '../experiments/schema.js';
import type { Config } from '../experiments/index.js';

/** The experiments a sweep may run, as they declare (`Experiment.sweepable`). */
export function sweepable(): string[] {
  return experiments.filter((e) => e.sweepable).map((e) => e.name);
}

/** Options that only change what is drawn (snapshots), never a run's numbers. */
export const DRAWING_OPTIONS: readonly string[] = ['reportEvery', 'resolution'];

/** `values` without the drawing-only options: what decides a sweep's results. */
export function withoutDrawingOptions<T>(values: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !DRAWING_OPTIONS.includes(name)));
}

/** One option swept over a list of values (each checked against the option's spec). */
export interface SweepGrid {
  option: string;
  values: (number | string | boolean)[];
}

export interface SweepPlan {
  experiment: string;
  /** The full config (defaults + overrides); the grid option, if any, is overridden per run. */
  config: Config;
  /** Seeds from, from + 1, …, from + count − 1. */
  from: number;
  count: number;
  grid?: SweepGrid;
}

/** One run of a sweep: a seed, and the grid value when there is a grid. */
export interface SweepTask {
  seed: number;
  value?: number | string | boolean;
}

/** How many runs a sweep may have (seeds × grid values): enough for any question, not a typo's worth. */
export const MAX_RUNS = 1_000_000;

export interface PlanRequest {
  experiment: string;
  /** Experiment options (camelCase or kebab-case), as given on the command line or in the address. */
  options?: Readonly<Record<string, unknown>>;
  from?: number;
  count?: number;
  /** `name=v1,v2,…` (the option spelled as on the command line). */
  grid?: string;
}

/** makePlan({ experiment: 'two-layer', count: 200, grid: 'hidden=2,3' }) is the checked plan. */
export function makePlan(request: PlanRequest): SweepPlan {
  const experiment = findExperiment(request.experiment);
  const from = request.from ?? 1;
  const count = request.count ?? 100;
  if (!Number.isSafeInteger(from)) throw new ConfigError(`sweep: option --from must be an integer, got ${JSON.stringify(from)}`);
  if (!Number.isInteger(count) || count < 1 || count > MAX_RUNS) {
    throw new ConfigError(`sweep: option --seeds must be an integer in [1, ${MAX_RUNS}], got ${JSON.stringify(count)}`);
  }
  // NOTE: compared without adding: past 2^53 the float sum from + count - 1 rounds back to a safe integer.
  if (from > Number.MAX_SAFE_INTEGER - (count - 1)) {
    const last = BigInt(from) + BigInt(count) - 1n;
    throw new ConfigError(`sweep: seeds ${from} to ${last} are not all safe integers (--from plus --seeds must stay at most ${BigInt(Number.MAX_SAFE_INTEGER) + 1n})`);
  }
  // The rules across options are checked per run below: the grid changes one option per run.
  const config = resolveValues(experiment, request.options ?? {});
  const plan: SweepPlan = { experiment: experiment.name, config, from, count };
  if (request.grid === undefined) {
    checkRules(experiment, config);
    return plan;
  }
  const grid = parseGrid(experiment.name, request.grid);
  const given = Object.keys(request.options ?? {}).find((key) => key === grid.option || key === kebab(grid.option));
  if (given !== undefined) {
    throw new ConfigError(`sweep: option --${kebab(grid.option)} is both set (${JSON.stringify(request.options![given])}) and swept by --grid; give one of them`);
  }
  if (count * grid.values.length > MAX_RUNS) {
    throw new ConfigError(`sweep: ${count} seeds × ${grid.values.length} grid values is more than ${MAX_RUNS} runs`);
  }
  plan.grid = grid;
  checkGridRules(plan, grid);
  return plan;
}

/**
 * Refuses, before any run, a grid with values the experiment refuses with the plan's other
 * options (the square with --grid hidden=1,2,3): the message names the values, the rule, and the
 * grid that keeps it. A rule that does not read the grid's option is checked once, as for `run`.
 */
function checkGridRules(plan: SweepPlan, { option, values }: SweepGrid): void {
  const experiment = findExperiment(plan.experiment);
  const spec = `${kebab(option)}=${values.join(',')}`;
  for (const rule of experiment.rules ?? []) {
    if (!rule.options.includes(option)) {
      if (!rule.holds(plan.config)) throw new ConfigError(`sweep: ${ruleMessage(experiment, rule, plan.config)}`);
      continue;
    }
    const refused = values.filter((value) => !rule.holds({ ...plan.config, [option]: value }));
    if (refused.length === 0) continue;
    const kept = values.filter((value) => !refused.includes(value));
    const others = rule.options.filter((name) => name !== option).map((name) => ` with --${kebab(name)} ${String(plan.config[name])}`).join('');
    const flags = refused.map((value) => `--${kebab(option)} ${String(value)}`);
    const named = flags.length === 1 ? flags[0] : `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}`;
    const fix = kept.length > 0 ? `sweep --grid ${kebab(option)}=${kept.join(',')}` : `sweep values it allows (${rule.fix({ ...plan.config, [option]: refused[0] })})`;
    throw new ConfigError(`sweep: --grid ${spec}${others} includes ${named}, which ${experiment.name} refuses: ${rule.rule}; ${fix}`);
  }
}

/**
 * parseGrid('two-layer', 'hidden=2,3,4') → { option: 'hidden', values: [2, 3, 4] }. The option
 * must exist and each value must be allowed; values must not repeat.
 */
export function parseGrid(experimentName: string, spec: string): SweepGrid {
  const experiment = findExperiment(experimentName);
  const match = /^\s*([\w-]+)\s*=(.*)$/.exec(spec);
  if (match === null) throw new ConfigError(`sweep: --grid must be name=value,value,… (e.g. hidden=2,3,4), got ${JSON.stringify(spec)}`);
  const [, key, list] = match;
  const option = Object.hasOwn(experiment.schema, key) ? key : Object.keys(experiment.schema).find((name) => kebab(name) === key);
  if (option === undefined) {
    const known = Object.keys(experiment.schema).map((n) => kebab(n)).join(', ');
    throw new ConfigError(`sweep: --grid names unknown option ${JSON.stringify(key)} of ${experiment.name} (options: ${known})`);
  }
  if (DRAWING_OPTIONS.includes(option)) {
    throw new ConfigError(`sweep: --grid ${key} changes only what is drawn, never a run's results; sweep an option that changes training`);
  }
  const texts = list.split(',').map((text) => text.trim());
  if (texts.some((text) => text === '')) throw new ConfigError(`sweep: --grid ${key} has an empty value in ${JSON.stringify(list)}`);
  const values = texts.map((text) => parseOption(experiment.name, option, experiment.schema[option], text));
  const repeated = values.find((value, i) => values.indexOf(value) !== i);
  if (repeated !== undefined) throw new ConfigError(`sweep: --grid ${key} lists ${JSON.stringify(repeated)} twice`);
  return { option, values };
}

/** Every run of the plan, ordered by grid value (in the grid's order), then seed: the order results are reported in. */
export function tasksOf(plan: SweepPlan): SweepTask[] {
  const seeds = Array.from({ length: plan.count }, (_, i) => plan.from + i);
  if (plan.grid === undefined) return seeds.map((seed) => ({ seed }));
  return plan.grid.values.flatMap((value) => seeds.map((seed) => ({ seed, value })));
}

/** A task's identity within a sweep (the grid value and the seed). */
export function taskKey(task: SweepTask): string {
  return JSON.stringify([task.value ?? null, task.seed]);
}

/** The config of one run: the plan's config with the task's grid value. */
export function configOf(plan: SweepPlan, task: SweepTask): Config {
  return plan.grid === undefined || task.value === undefined ? plan.config : { ...plan.config, [plan.grid.option]: task.value };
}
