import { describe, expect, it } from 'vitest';
import { defaults, findExperiment } from '../experiments/index.js';
import { DEFAULT_SETTINGS, experimentParams, experimentSearch, parseSetting, routeOf } from './url.js';

const twoLayer = findExperiment('two-layer');

describe('routeOf', () => {
  it('routeOf(search) finds the landing page, the playground and each experiment', () => {
    expect(routeOf('')).toEqual({ kind: 'landing' });
    expect(routeOf('?page=')).toEqual({ kind: 'landing' });
    expect(routeOf('?page=playground&hidden=3')).toEqual({ kind: 'playground' });
    expect(routeOf('?page=two-layer')).toEqual({ kind: 'experiment', experiment: twoLayer });
  });

  it('routeOf(search) names an unknown page and lists the experiments', () => {
    const route = routeOf('?page=three-layer');
    expect(route.kind).toBe('not-found');
    expect(route.kind === 'not-found' && route.message).toBe(
      "unknown experiment 'three-layer' (experiments: activations, logistic-regression, two-layer, dropout, bce, bce-logits, categorical, backprop, vanishing-gradients, exploding-gradients, skip-connections, leaky-relu, annealing-vs-descent, interpolation)",
    );
  });
});

describe('experimentParams', () => {
  it('experimentParams(experiment, search) reads options (kebab or camelCase) and settings', () => {
    const params = experimentParams(twoLayer, '?page=two-layer&hidden=3&learning-rate=2.5&initStd=0.5&dataset=square&seed=7&palette=colorblind&speed=max');
    expect(params.problems).toEqual([]);
    expect(params.config).toEqual({ ...defaults(twoLayer.schema), hidden: 3, learningRate: 2.5, initStd: 0.5, dataset: 'square' });
    expect(params.settings).toEqual({ seed: 7, palette: 'colorblind', speed: 'max' });
  });

  it('experimentParams keeps the default for a value out of range and says why, next to its control', () => {
    const params = experimentParams(twoLayer, '?page=two-layer&hidden=100&seed=7');
    expect(params.config.hidden).toBe(2);
    expect(params.settings.seed).toBe(7);
    expect(params.problems).toEqual([
      { control: 'hidden', value: '100', message: 'two-layer: option --hidden must be an integer in [1, 64], got "100"; the page uses the default, 2' },
    ]);
  });

  it('experimentParams reports malformed values, bad settings, repeats and unknown parameters', () => {
    const params = experimentParams(twoLayer, '?page=two-layer&epochs=1e&dataset=xnor&seed=1.5&palette=viridis&speed=fast&hidden=3&hidden=4&hiden=3');
    expect(params.config).toEqual(defaults(twoLayer.schema));
    expect(params.settings).toEqual(DEFAULT_SETTINGS);
    expect(params.problems.map((p) => [p.control, p.value])).toEqual([
      ['epochs', '1e'],
      ['dataset', 'xnor'],
      ['seed', '1.5'],
      ['palette', 'viridis'],
      ['speed', 'fast'],
      ['hidden', '3, 4'],
      [undefined, '3'],
    ]);
    expect(params.problems[1].message).toBe('two-layer: option --dataset must be one of xor, square, got "xnor"; the page uses the default, xor');
    expect(params.problems[3].message).toBe('option --palette must be one of bwr, colorblind, got "viridis"; the page uses the default, bwr');
    expect(params.problems[5].message).toBe('option --hidden is given 2 times in the address; the page uses the default, 2');
    expect(params.problems[6].message).toMatch(/^two-layer: the address has an unknown option "hiden", ignored \(options: dataset, hidden, epochs, learning-rate, /);
  });
});

describe('experimentSearch', () => {
  it('experimentSearch(experiment, config, settings) writes changed options and always the seed', () => {
    expect(experimentSearch(twoLayer, defaults(twoLayer.schema), DEFAULT_SETTINGS)).toBe('?page=two-layer&seed=1');
    const config = { ...defaults(twoLayer.schema), hidden: 3, learningRate: 2.5 };
    expect(experimentSearch(twoLayer, config, { seed: 7, palette: 'colorblind', speed: 'max' })).toBe(
      '?page=two-layer&hidden=3&learning-rate=2.5&seed=7&palette=colorblind&speed=max',
    );
  });

  it('experimentParams(experiment, experimentSearch(…)) round-trips every option', () => {
    const config = { ...defaults(twoLayer.schema), dataset: 'square', hidden: 5, epochs: 123, learningRate: 0.75, initStd: 1, reportEvery: 7, resolution: 20 };
    const settings = { seed: -42, palette: 'colorblind', speed: '10' } as const;
    expect(experimentParams(twoLayer, experimentSearch(twoLayer, config, settings))).toEqual({ config, settings, problems: [] });
  });
});

describe('parseSetting', () => {
  it("parseSetting('seed', text) takes safe integers only", () => {
    expect(parseSetting('seed', '-3')).toBe(-3);
    expect(() => parseSetting('seed', '')).toThrow('option --seed must be an integer, got ""');
    expect(() => parseSetting('seed', '9007199254740993')).toThrow('must be an integer');
  });
});
