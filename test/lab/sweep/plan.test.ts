/** Sweep plans: the grid and seed range are checked against the experiment's schema up front. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lab/experiments/index.js';
import { makePlan, parseGrid, tasksOf } from '../../../lab/sweep/plan.js';

describe('sweep plans', () => {
  it("parseGrid('two-layer', 'hidden=2,3,4') checks each value against the option", () => {
    expect(parseGrid('two-layer', 'hidden=2,3,4')).toEqual({ option: 'hidden', values: [2, 3, 4] });
    expect(parseGrid('two-layer', 'learning-rate=0.5, 5')).toEqual({ option: 'learningRate', values: [0.5, 5] });
    expect(parseGrid('two-layer', 'dataset=xor,square')).toEqual({ option: 'dataset', values: ['xor', 'square'] });
  });

  it.each([
    ['hidden', /--grid must be name=value,value,… \(e\.g\. hidden=2,3,4\), got "hidden"/],
    ['hiden=2,3', /--grid names unknown option "hiden" of two-layer \(options: dataset, hidden, epochs/],
    ['hidden=2,,3', /--grid hidden has an empty value in "2,,3"/],
    ['hidden=2,0', /option --hidden must be an integer in \[1, 64\], got "0"/],
    ['hidden=2,2.5', /option --hidden must be an integer in \[1, 64\], got "2\.5"/],
    ['dataset=xor,and', /option --dataset must be one of xor, square, got "and"/],
    ['hidden=3,3', /--grid hidden lists 3 twice/],
    ['resolution=10,20', /--grid resolution changes only what is drawn, never a run's results/],
  ])('a bad grid %s is a ConfigError naming the option and the values', (grid, message) => {
    const attempt = () => makePlan({ experiment: 'two-layer', grid });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('makePlan refuses an option that is both set and swept, a bad seed count and an unknown option', () => {
    expect(() => makePlan({ experiment: 'two-layer', options: { hidden: 3 }, grid: 'hidden=2,4' })).toThrow(/option --hidden is both set \(3\) and swept by --grid/);
    expect(() => makePlan({ experiment: 'two-layer', count: 0 })).toThrow(/option --seeds must be an integer in \[1, 1000000\], got 0/);
    expect(() => makePlan({ experiment: 'two-layer', options: { epoch: 5 } })).toThrow(/two-layer: unknown option --epoch/);
    expect(() => makePlan({ experiment: 'no-such' })).toThrow(/unknown experiment 'no-such'/);
  });

  it('tasksOf(plan) lists every (grid value, seed) pair, grid value first, then seed', () => {
    const plan = makePlan({ experiment: 'two-layer', from: 5, count: 2, grid: 'hidden=4,2' });
    expect(tasksOf(plan)).toEqual([{ seed: 5, value: 4 }, { seed: 6, value: 4 }, { seed: 5, value: 2 }, { seed: 6, value: 2 }]);
    expect(tasksOf(makePlan({ experiment: 'two-layer', from: -1, count: 3 }))).toEqual([{ seed: -1 }, { seed: 0 }, { seed: 1 }]);
  });
});
