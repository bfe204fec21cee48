/** The annealer on its own: its schedule, the Metropolis rule, its bookkeeping and its answer. */
import { describe, expect, it } from 'vitest';
import { Generator, tensor } from 'nnlab';
import type { Tensor } from 'nnlab';
import { Annealer, geometricTemperature, metropolisAccepts } from '../../../lab/experiments/annealing/anneal.js';
import type { AnnealOptions } from '../../../lab/experiments/annealing/anneal.js';

const options = (overrides: Partial<AnnealOptions> = {}): AnnealOptions => ({
  steps: 500,
  startTemperature: 1,
  endTemperature: 1e-4,
  scale: 0.3,
  proposal: 'all',
  rng: new Generator(1),
  ...overrides,
});

/** (x − 3)² + (y + 1)² over two tensors, counting its calls. */
function bowl(): { parameters: Tensor[]; loss: () => number; calls: () => number } {
  const parameters = [tensor([0], 'float64'), tensor([0], 'float64')];
  let calls = 0;
  const loss = () => {
    calls++;
    return (parameters[0].data[0] - 3) ** 2 + (parameters[1].data[0] + 1) ** 2;
  };
  return { parameters, loss, calls: () => calls };
}

describe('geometricTemperature(start, end, k, steps)', () => {
  it('starts at start, ends at end, and falls by the same ratio every step', () => {
    const ts = Array.from({ length: 5 }, (_, k) => geometricTemperature(1, 1e-4, k, 5));
    expect(ts[0]).toBe(1);
    expect(ts[4]).toBeCloseTo(1e-4, 12);
    for (let k = 1; k < 5; k++) expect(ts[k] / ts[k - 1]).toBeCloseTo(0.1, 12);
  });

  it('a single step runs at the start temperature', () => {
    expect(geometricTemperature(2, 1, 0, 1)).toBe(2);
  });
});

describe('metropolisAccepts(delta, temperature, uniform)', () => {
  it('accepts a downhill or level move without drawing a number', () => {
    const never = () => {
      throw new Error('drew a number');
    };
    expect(metropolisAccepts(-1, 1e-9, never)).toBe(true);
    expect(metropolisAccepts(0, 1e-9, never)).toBe(true);
  });

  it('accepts an uphill move Δ when the uniform draw is below exp(−Δ/T)', () => {
    // exp(−0.5 / 1) ≈ 0.607
    expect(metropolisAccepts(0.5, 1, () => 0.6)).toBe(true);
    expect(metropolisAccepts(0.5, 1, () => 0.61)).toBe(false);
    // The same Δ at a tenth of the temperature: exp(−5) ≈ 0.0067.
    expect(metropolisAccepts(0.5, 0.1, () => 0.01)).toBe(false);
  });
});

describe('new Annealer(parameters, loss, options)', () => {
  it('evaluates the loss once for the starting point and once per proposal, and counts both', () => {
    const { parameters, loss, calls } = bowl();
    const annealer = new Annealer(parameters, loss, options({ steps: 50 }));
    expect(calls()).toBe(1);
    while (!annealer.done) annealer.step();
    expect(calls()).toBe(51);
    expect(annealer.evaluations).toBe(51);
    expect(annealer.steps).toBe(50);
    expect(() => annealer.step()).toThrow('Annealer.step: all 50 proposals are made');
  });

  it('finds the bottom of a bowl and loadBest() leaves the best point in the parameters', () => {
    const { parameters, loss } = bowl();
    const annealer = new Annealer(parameters, loss, options());
    while (!annealer.done) annealer.step();
    annealer.loadBest();
    expect(parameters[0].data[0]).toBeCloseTo(3, 1);
    expect(parameters[1].data[0]).toBeCloseTo(-1, 1);
    expect(loss()).toBe(annealer.best);
  });

  it('best is the lowest loss evaluated so far and never rises', () => {
    const { parameters, loss } = bowl();
    const annealer = new Annealer(parameters, loss, options());
    let lowest = annealer.best;
    let previous = annealer.best;
    while (!annealer.done) {
      const { proposed } = annealer.step();
      lowest = Math.min(lowest, proposed);
      expect(annealer.best).toBe(lowest);
      expect(annealer.best).toBeLessThanOrEqual(previous);
      previous = annealer.best;
    }
  });

  it('a rejected proposal writes the old values back exactly', () => {
    // Every move away from 0 is uphill, and at T = 1e-12 no uphill move is kept.
    const parameters = [tensor([0, 0, 0])];
    const annealer = new Annealer(parameters, () => parameters[0].square().sum().item(), options({ startTemperature: 1e-12, endTemperature: 1e-12 }));
    const uphill = Array.from({ length: 100 }, () => annealer.step());
    expect(uphill.every((s) => s.uphill && !s.accepted)).toBe(true);
    expect(annealer.accepted).toBe(0);
    expect(Array.from(parameters[0].data)).toEqual([0, 0, 0]);
  });

  it("proposal 'one' changes exactly one entry of one tensor; 'all' changes every entry", () => {
    const changed = (proposal: 'one' | 'all') => {
      const parameters = [tensor([0, 0], 'float64'), tensor([[0, 0], [0, 0]], 'float64')];
      // Every proposal is downhill, so every one is kept.
      let value = 0;
      const annealer = new Annealer(parameters, () => value--, options({ proposal }));
      annealer.step();
      return parameters.flatMap((p) => Array.from(p.data)).filter((v) => v !== 0).length;
    };
    expect(changed('one')).toBe(1);
    expect(changed('all')).toBe(6);
  });

  it('never accepts a NaN loss', () => {
    const parameters = [tensor([1])];
    let first = true;
    const annealer = new Annealer(parameters, () => (first ? ((first = false), 1) : NaN), options({ startTemperature: 1e9, endTemperature: 1e9 }));
    expect(Array.from({ length: 20 }, () => annealer.step().accepted)).toEqual(Array(20).fill(false));
    expect(parameters[0].item()).toBe(1);
  });

  it('withBest(fn) runs fn at the best point and puts the current point back', () => {
    const { parameters, loss } = bowl();
    const annealer = new Annealer(parameters, loss, options({ steps: 200 }));
    while (!annealer.done) annealer.step();
    const current = parameters.map((p) => p.data[0]);
    expect(annealer.withBest(loss)).toBe(annealer.best);
    expect(parameters.map((p) => p.data[0])).toEqual(current);
  });

  it('the same seed gives the same run; another seed another', () => {
    const trace = (seed: number) => {
      const { parameters, loss } = bowl();
      const annealer = new Annealer(parameters, loss, options({ steps: 30, rng: new Generator(seed) }));
      return Array.from({ length: 30 }, () => annealer.step().proposed);
    };
    expect(trace(5)).toEqual(trace(5));
    expect(trace(5)).not.toEqual(trace(6));
  });

  it('rejects a temperature ≤ 0, naming both temperatures', () => {
    expect(() => new Annealer([tensor([0])], () => 0, options({ endTemperature: 0 }))).toThrow(
      'Annealer: temperatures must be > 0, got start 1 and end 0',
    );
  });
});
