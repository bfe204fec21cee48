/**
 * User-supplied keys meet the lab's tables as own keys only (issue #14, item 7): Object's
 * inherited names (toString, constructor, __proto__, hasOwnProperty) are unknown options
 * wherever a user can type one: the CLI's --grid, the sweep page's and experiment pages' address.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, findExperiment, kebab, resolveConfig } from '../../lab/experiments/index.js';
import { parseGrid } from '../../lab/sweep/plan.js';
import { planOf, sweepRequest, sweepSearch } from '../../lab/web/sweep/params.js';
import { experimentParams } from '../../lab/web/url.js';

const INHERITED = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('own keys only', () => {
  it.each(INHERITED)("parseGrid('two-layer', '%s=1') is refused as an unknown option", (name) => {
    expect(() => parseGrid('two-layer', `${name}=1`)).toThrow(new ConfigError(`sweep: --grid names unknown option ${JSON.stringify(name)} of two-layer (options: ${Object.keys(findExperiment('two-layer').schema).map(kebab).join(', ')})`));
  });

  it.each(INHERITED)("the sweep page's ?page=sweep&grid=%s=1 is refused, naming the option", (name) => {
    expect(() => planOf(sweepRequest(`?page=sweep&grid=${name}=1`))).toThrow(`--grid names unknown option "${name}"`);
  });

  it.each(INHERITED)("the sweep page's ?page=sweep&%s=1 is an unknown option, not dropped", (name) => {
    const request = sweepRequest(`?page=sweep&${name}=1`);
    expect(Object.keys(request.options)).toEqual([kebab(name)]);
    expect(() => planOf(request)).toThrow(`unknown option --${kebab(name)}`);
    expect(sweepSearch(request)).toContain(`&${kebab(name)}=1`);
  });

  it.each(INHERITED)("an experiment page's ?page=two-layer&%s=1 is an unknown option with a notice", (name) => {
    const { problems, config } = experimentParams(findExperiment('two-layer'), `?page=two-layer&${name}=1`);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining(`unknown option ${JSON.stringify(name)}`)]);
    expect(Object.hasOwn(config, name)).toBe(false);
  });

  it.each(INHERITED)('resolveConfig(two-layer, { %s: 1 }) is refused as an unknown option', (name) => {
    expect(() => resolveConfig(findExperiment('two-layer'), Object.fromEntries([[name, 1]]))).toThrow(/unknown option/);
  });
});
