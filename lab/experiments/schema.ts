/**
 * Config schemas: defaults, and checking user-given values against each option's type and
 * range. Every error names the option and what it allows, so a typo fails loudly.
 */
import type { Config, ConfigOf, ConfigRule, Experiment, OptionSpec, Schema } from './types.js';

/** The user's mistake in a config: shown as one line by the CLI and next to the control by the page. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** reportEvery → report-every, as the CLI spells options. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function defaults<S extends Schema>(schema: S): ConfigOf<S> {
  return Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, spec.default])) as ConfigOf<S>;
}

/** What an option allows, e.g. `an integer in [1, 100000]` or `one of or, and, xor`. */
export function allowed(spec: OptionSpec): string {
  switch (spec.type) {
    case 'integer': return `an integer in [${spec.min}, ${spec.max}]`;
    case 'number': return `a number in [${spec.min}, ${spec.max}]`;
    case 'choice': return `one of ${spec.choices.join(', ')}`;
    case 'boolean': return 'true or false';
  }
}

/** Parses and checks one value (text from the command line or the URL, or a typed value). */
export function parseOption(experiment: string, name: string, spec: OptionSpec, raw: unknown): number | string | boolean {
  const fail = (): never => {
    throw new ConfigError(`${experiment}: option --${kebab(name)} must be ${allowed(spec)}, got ${JSON.stringify(raw)}`);
  };
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(value) || value < spec.min || value > spec.max) fail();
      if (spec.type === 'integer' && !Number.isInteger(value)) fail();
      return value;
    }
    case 'choice':
      if (typeof raw !== 'string' || !spec.choices.includes(raw)) fail();
      return raw as string;
    case 'boolean':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      return fail();
  }
}

/**
 * The full config for a run: defaults overridden by `given` (keys camelCase or kebab-case), each
 * value checked alone, then the experiment's rules across options (see checkRules).
 * Unknown options are errors that list the known ones.
 */
export function resolveConfig<S extends Schema>(experiment: Experiment<S>, given: Readonly<Record<string, unknown>> = {}): ConfigOf<S> {
  const config = resolveValues(experiment, given);
  checkRules(experiment, config);
  return config;
}

/** resolveConfig without the rules across options: for a sweep, whose grid changes one option per run. */
export function resolveValues<S extends Schema>(experiment: Experiment<S>, given: Readonly<Record<string, unknown>> = {}): ConfigOf<S> {
  const config: Config = { ...defaults(experiment.schema) };
  const byKebab = new Map(Object.keys(experiment.schema).map((name) => [kebab(name), name]));
  for (const [key, raw] of Object.entries(given)) {
    const name = Object.hasOwn(experiment.schema, key) ? key : byKebab.get(key);
    if (name === undefined) {
      const known = Object.keys(experiment.schema).map((n) => `--${kebab(n)}`).join(', ');
      throw new ConfigError(`${experiment.name}: unknown option --${kebab(key)} (options: ${known})`);
    }
    config[name] = parseOption(experiment.name, name, experiment.schema[name], raw);
  }
  return config as ConfigOf<S>;
}

/** The first of the experiment's rules that `config` breaks, or undefined. */
export function brokenRule(experiment: Experiment, config: Config): ConfigRule | undefined {
  return experiment.rules?.find((rule) => !rule.holds(config));
}

/**
 * The one line for a broken rule: the options with their values, the rule, the fix.
 * 'two-layer: --dataset square with --hidden 2: the square data set needs --hidden 3 or more (…); use --hidden 3'
 */
export function ruleMessage(experiment: Experiment, rule: ConfigRule, config: Config): string {
  const values = rule.options.map((name) => `--${kebab(name)} ${String(config[name])}`).join(' with ');
  return `${experiment.name}: ${values}: ${rule.rule}; ${rule.fix(config)}`;
}

/** Throws a ConfigError (see ruleMessage) when `config` breaks one of the experiment's rules. */
export function checkRules(experiment: Experiment, config: Config): void {
  const rule = brokenRule(experiment, config);
  if (rule !== undefined) throw new ConfigError(ruleMessage(experiment, rule, config));
}
