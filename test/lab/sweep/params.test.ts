/** The sweep page's address: read, checked, written back, and the links of failed seeds. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lab/experiments/index.js';
import { planOf, runAddress, sweepRequest, sweepSearch, sweepable } from '../../../lab/web/sweep/params.js';

describe('the sweep page address', () => {
  it("sweepRequest('?page=sweep&experiment=two-layer&seeds=200&grid=hidden=2,3&learningRate=2') reads the sweep and the options", () => {
    const request = sweepRequest('?page=sweep&experiment=two-layer&seeds=200&grid=hidden=2,3&learningRate=2');
    expect(request).toEqual({ experiment: 'two-layer', seeds: 200, from: 1, grid: 'hidden=2,3', options: { 'learning-rate': '2' } });
    expect(planOf(request)).toMatchObject({ from: 1, count: 200, grid: { option: 'hidden', values: [2, 3] }, config: { learningRate: 2, hidden: 2 } });
  });

  it("projector mode in the address is the lab's, not an option of the experiment", () => {
    expect(sweepRequest('?page=sweep&experiment=two-layer&seeds=20&projector=1')).toEqual({ experiment: 'two-layer', seeds: 20, from: 1, options: {} });
  });

  it('sweepSearch(request) writes the address back, options at their default left out', () => {
    const search = '?page=sweep&experiment=two-layer&seeds=50&from=7&workers=3&grid=hidden%3D2%2C3&epochs=300';
    const request = sweepRequest(search);
    expect(sweepSearch(request)).toBe(search);
    expect(sweepSearch(sweepRequest('?page=sweep&epochs=2000'))).toBe('?page=sweep&experiment=two-layer&seeds=100');
  });

  it('a bad seed count, worker count or option is a ConfigError naming it and the value', () => {
    expect(() => sweepRequest('?page=sweep&seeds=0')).toThrow(new ConfigError('sweep: option --seeds must be an integer in [1, 1000000], got "0"'));
    expect(() => sweepRequest('?page=sweep&workers=x')).toThrow(/option --workers must be an integer in \[1, 32\], got "x"/);
    expect(() => planOf(sweepRequest('?page=sweep&hidden=0'))).toThrow('two-layer: option --hidden must be an integer in [1, 64], got "0"');
  });

  it('runAddress(plan, task) opens the failed run on its experiment page, with its grid value and seed', () => {
    const plan = planOf(sweepRequest('?page=sweep&experiment=two-layer&grid=hidden=2,3&epochs=300'));
    expect(runAddress(plan, { seed: 8, value: 3 })).toBe('?page=two-layer&hidden=3&epochs=300&seed=8');
  });

  it('sweepable() lists the experiments that train, not activations or bce', () => {
    expect(sweepable()).toEqual(expect.arrayContaining(['logistic-regression', 'two-layer', 'dropout', 'bce-logits', 'categorical']));
    expect(sweepable()).not.toContain('activations');
    expect(sweepable()).not.toContain('bce');
    // The deep-network comparisons end with tables, not predictions to judge.
    expect(sweepable()).not.toContain('vanishing-gradients');
    expect(sweepable()).toEqual(expect.arrayContaining(['exploding-gradients', 'annealing-vs-descent', 'interpolation']));
  });
});
