/**
 * The address as untrusted input (issue #14's fuzz suite): random query strings for the
 * experiment pages, the playground and the sweep page. Each gives a valid state with a notice per
 * parameter it could not use (naming it), or, for the sweep, a ConfigError; and a valid state
 * written back into an address reads back the same.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, experiments, findExperiment, kebab } from '../../lab/experiments/index.js';
import { parseOption } from '../../lab/experiments/schema.js';
import { experimentParams, experimentSearch } from '../../lab/web/url.js';
import { formatState, parseState } from '../../lab/web/playground/url-state.js';
import { planOf, sweepRequest, sweepSearch } from '../../lab/web/sweep/params.js';

const INHERITED = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'];
const PLAYGROUND_KEYS = ['data', 'n', 'noise', 'classes', 'test', 'points', 'seed', 'inputs', 'layers', 'skip', 'loss', 'opt', 'lr', 'mom', 'b1', 'b2', 'batch', 'l1', 'l2', 'clip', 'discrete', 'showtest', 'palette', 'res', 'speed', 'hide'];
const OPTION_KEYS = [...new Set(experiments.flatMap((e) => Object.keys(e.schema).flatMap((name) => [name, kebab(name)])))];

const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '0', '1', 'toString=1', 'constructor=1', 'hidden=2,3', 'epochs=10,20', '-1', '1e308', 'NaN', 'Infinity', '2.5', '9007199254740993', 'true', 'none', 'circle', 'custom', 'relu', '4:tanh,2:relu:0.2', 'x0,x1,x0sq', 'hidden=2,3', ...INHERITED),
  fc.integer({ min: -5, max: 5000 }).map(String),
);
const key = (known: string[]) => fc.oneof(fc.constantFrom(...known, ...INHERITED, 'page', 'projector'), fc.string({ maxLength: 6 }));
const query = (known: string[]) => fc.array(fc.tuple(key(known), value), { maxLength: 8 }).map((pairs) => `?${new URLSearchParams(pairs)}`);
const RUNS = 300;

describe('experiment pages: experimentParams(experiment, random address)', () => {
  it(`gives valid options and a notice naming each parameter it did not use; the state's address reads back the same (${RUNS} addresses)`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...experiments), query([...OPTION_KEYS, 'seed', 'palette', 'speed']), (experiment, search) => {
        const { config, settings, problems } = experimentParams(experiment, search);
        for (const [name, spec] of Object.entries(experiment.schema)) expect(parseOption(experiment.name, name, spec, config[name])).toBe(config[name]);
        expect(Object.keys(config).sort()).toEqual(Object.keys(experiment.schema).sort());
        const params = new URLSearchParams(search);
        for (const problem of problems) {
          const named = problem.control ?? [...params.keys()].find((k) => problem.message.includes(JSON.stringify(k)));
          expect(named, problem.message).toBeDefined();
        }
        const again = experimentParams(experiment, experimentSearch(experiment, config, settings));
        expect(again).toEqual({ config, settings, problems: [] });
      }),
      { seed: 1, numRuns: RUNS },
    );
  });
});

describe('the playground: parseState(random address)', () => {
  it(`never throws, names the parameter of every notice, and its state's address reads back the same (${RUNS} addresses)`, () => {
    fc.assert(
      fc.property(query(PLAYGROUND_KEYS), (search) => {
        const { state, problems } = parseState(search);
        const keys = new Set([...new URLSearchParams(search).keys(), 'address']);
        for (const problem of problems) expect(keys.has(problem.key), `${problem.key}: ${problem.message}`).toBe(true);
        const again = parseState(formatState(state));
        expect(again).toEqual({ state, problems: [] });
      }),
      { seed: 2, numRuns: RUNS },
    );
  });
});

describe('the sweep page: sweepRequest and planOf(random address)', () => {
  const sweepKeys = ['experiment', 'seeds', 'from', 'workers', 'grid', ...OPTION_KEYS];
  const grid = fc.constantFrom('', '&grid=hidden=2,3', '&grid=epochs=10,20', ...INHERITED.map((n) => `&grid=${n}=1`));
  it(`give a plan or a ConfigError naming an option; a plan's address reads back the same plan (${RUNS} addresses)`, () => {
    fc.assert(
      fc.property(query(sweepKeys), fc.constantFrom(...experiments.map((e) => e.name)), grid, (search, name, gridParam) => {
        let plan;
        let request;
        try {
          request = sweepRequest(`${search}&experiment=${name}${gridParam}`);
          plan = planOf(request);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          return;
        }
        const schema = findExperiment(name).schema;
        if (plan.grid !== undefined) {
          expect(Object.hasOwn(schema, plan.grid.option)).toBe(true);
          for (const v of plan.grid.values) expect(parseOption(name, plan.grid.option, schema[plan.grid.option], v)).toBe(v);
        }
        expect(planOf(sweepRequest(sweepSearch(request)))).toEqual(plan);
      }),
      { seed: 3, numRuns: RUNS },
    );
  });
});
