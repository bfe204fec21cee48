/**
 * The address is the page's whole state: `?page=two-layer&hidden=3&seed=7` opens two-layer with
 * 3 hidden units and seed 7, so copying the address repeats the run. Options are spelled as on
 * the command line (`learning-rate`; camelCase is accepted too); options left at their default
 * are left out, the seed never is. Pure functions: no DOM, tested in Node.
 */
import { ConfigError, DEFAULT_SEED, defaults, findExperiment, kebab } from '../experiments/index.js';
import { parseOption } from '../experiments/schema.js';
import type { Config, Experiment } from '../experiments/index.js';
import type { Palette } from '../render/palette.js';

export const PALETTES: readonly Palette[] = ['bwr', 'colorblind'];

/** Training speeds (epochs per second) the page offers; 'max' trains as fast as the worker can. */
export const SPEEDS = ['10', '100', '500', '2000', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

/** How the page runs and draws an experiment, beside its config. */
export interface Settings {
  seed: number;
  palette: Palette;
  speed: Speed;
}

export const DEFAULT_SETTINGS: Settings = { seed: DEFAULT_SEED, palette: 'bwr', speed: '500' };

export const SETTING_HELP: Record<keyof Settings, string> = {
  seed: 'random seed; the same seed repeats a run',
  palette: 'heat-map colours: blue–white–red, or blue–white–orange for colour-blind readers',
  speed: 'training speed in epochs per second while playing (max: as fast as it can)',
};

export type Route =
  | { kind: 'landing' }
  | { kind: 'playground' }
  | { kind: 'sweep' }
  | { kind: 'experiment'; experiment: Experiment }
  | { kind: 'not-found'; message: string };

/** routeOf('?page=two-layer') → the two-layer experiment; no page → the landing page. */
export function routeOf(search: string): Route {
  const page = new URLSearchParams(search).get('page');
  if (page === null || page === '') return { kind: 'landing' };
  if (page === 'playground') return { kind: 'playground' };
  if (page === 'sweep') return { kind: 'sweep' };
  try {
    return { kind: 'experiment', experiment: findExperiment(page) };
  } catch (error) {
    return { kind: 'not-found', message: error instanceof Error ? error.message : String(error) };
  }
}

function settingError(name: string, raw: string): ConfigError {
  const allowed = name === 'seed' ? 'an integer' : `one of ${(name === 'palette' ? PALETTES : SPEEDS).join(', ')}`;
  return new ConfigError(`option --${name} must be ${allowed}, got ${JSON.stringify(raw)}`);
}

/** parseSetting('seed', '7') → 7; a value the setting does not allow throws a ConfigError. */
export function parseSetting<K extends keyof Settings>(name: K, raw: string): Settings[K] {
  if (name === 'seed') {
    const seed = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isSafeInteger(seed)) throw settingError(name, raw);
    return seed as Settings[K];
  }
  const choices: readonly string[] = name === 'palette' ? PALETTES : SPEEDS;
  if (!choices.includes(raw)) throw settingError(name, raw);
  return raw as Settings[K];
}

/** A value in the address that the page could not use, and why. */
export interface Problem {
  /** The control it belongs to (an option's kebab-case name, 'seed', 'palette' or 'speed'), or none for an unknown parameter. */
  control?: string;
  value: string;
  message: string;
}

export interface ExperimentParams {
  /** Defaults, overridden by every valid value in the address. */
  config: Config;
  settings: Settings;
  problems: Problem[];
}

/**
 * experimentParams(experiment, search) reads the config and settings from the address. A value
 * that is not allowed keeps the default and becomes a Problem that names it; so does an unknown
 * parameter or one given twice.
 */
export function experimentParams(experiment: Experiment, search: string): ExperimentParams {
  const params = new URLSearchParams(search);
  const config: Config = { ...defaults(experiment.schema) };
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const problems: Problem[] = [];
  // Every control by the name the address may use for it: how to parse it, its default, where it goes.
  const controls = new Map<string, { control: string; parse(raw: string): Config[string]; fallback: Config[string]; set(value: Config[string]): void }>();
  for (const [name, spec] of Object.entries(experiment.schema)) {
    const entry = { control: kebab(name), parse: (raw: string) => parseOption(experiment.name, name, spec, raw), fallback: spec.default, set: (value: Config[string]) => (config[name] = value) };
    controls.set(name, entry);
    controls.set(kebab(name), entry);
  }
  for (const name of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const set = (value: Config[string]) => Object.assign(settings, { [name]: value });
    controls.set(name, { control: name, parse: (raw) => parseSetting(name, raw), fallback: DEFAULT_SETTINGS[name], set });
  }
  const known = [...new Set([...controls.values()].map((c) => c.control))].join(', ');
  for (const key of new Set(params.keys())) {
    // The page, and projector mode (projector.ts): the lab's, not the experiment's.
    if (key === 'page' || key === 'projector') continue;
    const values = params.getAll(key);
    const entry = controls.get(key);
    if (entry === undefined) {
      problems.push({ value: values[0], message: `${experiment.name}: the address has an unknown option ${JSON.stringify(key)}, ignored (options: ${known})` });
      continue;
    }
    const { control, fallback } = entry;
    if (values.length > 1) {
      problems.push({ control, value: values.join(', '), message: `option --${control} is given ${values.length} times in the address; the page uses the default, ${fallback}` });
      continue;
    }
    try {
      entry.set(entry.parse(values[0]));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push({ control, value: values[0], message: `${error.message}; the page uses the default, ${fallback}` });
    }
  }
  return { config, settings, problems };
}

/**
 * experimentSearch(experiment, config, settings) is the query string for that page:
 * '?page=two-layer&hidden=3&seed=7'. Options at their default and default settings but the seed
 * are left out.
 */
export function experimentSearch(experiment: Experiment, config: Config, settings: Settings): string {
  const params = new URLSearchParams({ page: experiment.name });
  for (const [name, spec] of Object.entries(experiment.schema)) {
    if (config[name] !== undefined && config[name] !== spec.default) params.set(kebab(name), String(config[name]));
  }
  params.set('seed', String(settings.seed));
  if (settings.palette !== DEFAULT_SETTINGS.palette) params.set('palette', settings.palette);
  if (settings.speed !== DEFAULT_SETTINGS.speed) params.set('speed', settings.speed);
  return `?${params}`;
}
