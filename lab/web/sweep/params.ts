/**
 * The sweep page's address: `?page=sweep&experiment=two-layer&seeds=200&from=1&workers=4&grid=
 * hidden=2,3&epochs=1000` is the whole sweep, so a copied address repeats it. Options are
 * spelled as on the command line. Pure functions: no DOM, tested in Node.
 */
import { ConfigError, DEFAULT_SEED, findExperiment, kebab } from '../../experiments/index.js';
import type { Config } from '../../experiments/index.js';
import { configOf, makePlan, sweepable } from '../../sweep/plan.js';

export { sweepable };
import type { SweepPlan, SweepTask } from '../../sweep/plan.js';
import { DEFAULT_SETTINGS, experimentSearch } from '../url.js';

export const DEFAULT_SWEEP = { experiment: 'two-layer', seeds: 100, from: DEFAULT_SEED };
/** The most workers the page starts (a page with hundreds of workers helps nobody). */
export const MAX_WORKERS = 32;

/** The sweep's own parameters (the rest are the experiment's options). */
// 'projector' is the lab's display mode (lab/web/projector.ts), not an option of the sweep or its experiment.
const OWN = ['page', 'experiment', 'seeds', 'from', 'workers', 'grid', 'projector'];

export interface SweepRequest {
  experiment: string;
  seeds: number;
  from: number;
  /** Absent: one per core. */
  workers?: number;
  grid?: string;
  /** The experiment's options given in the address, by the name used there. */
  options: Record<string, string>;
}

function integer(name: string, raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null) return fallback;
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new ConfigError(`sweep: option --${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}`);
  return value;
}

/** sweepRequest(search) reads the address; a bad sweep parameter throws a ConfigError naming it. */
export function sweepRequest(search: string): SweepRequest {
  const params = new URLSearchParams(search);
  // fromEntries defines own keys: an address's "__proto__" stays an option (refused as unknown), not a prototype.
  const options: Record<string, string> = Object.fromEntries([...params].filter(([key]) => !OWN.includes(key)).map(([key, value]) => [kebab(key), value]));
  const workers = params.get('workers');
  const grid = params.get('grid');
  return {
    experiment: params.get('experiment') ?? DEFAULT_SWEEP.experiment,
    seeds: integer('seeds', params.get('seeds'), DEFAULT_SWEEP.seeds, 1, 1_000_000),
    from: integer('from', params.get('from'), DEFAULT_SWEEP.from, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    ...(workers === null ? {} : { workers: integer('workers', workers, 1, 1, MAX_WORKERS) }),
    ...(grid === null || grid === '' ? {} : { grid }),
    options,
  };
}

/** The checked plan of a request (a ConfigError names the option and value at fault). */
export function planOf(request: SweepRequest): SweepPlan {
  return makePlan({ experiment: request.experiment, options: request.options, from: request.from, count: request.seeds, grid: request.grid });
}

/** The address of a request: options at their default are left out. */
export function sweepSearch(request: SweepRequest): string {
  const params = new URLSearchParams({ page: 'sweep', experiment: request.experiment, seeds: String(request.seeds) });
  if (request.from !== DEFAULT_SWEEP.from) params.set('from', String(request.from));
  if (request.workers !== undefined) params.set('workers', String(request.workers));
  if (request.grid !== undefined) params.set('grid', request.grid);
  const schema = findExperiment(request.experiment).schema;
  for (const [key, value] of Object.entries(request.options)) {
    const name = Object.hasOwn(schema, key) ? key : Object.keys(schema).find((n) => kebab(n) === key);
    if (name === undefined || String(schema[name].default) !== value) params.set(name === undefined ? key : kebab(name), value);
  }
  return `?${params}`;
}

/** The experiment page of one run of the sweep (a failed seed opens there, to watch it get stuck). */
export function runAddress(plan: SweepPlan, task: SweepTask): string {
  const config: Config = configOf(plan, task);
  return experimentSearch(findExperiment(plan.experiment), config, { ...DEFAULT_SETTINGS, seed: task.seed });
}
