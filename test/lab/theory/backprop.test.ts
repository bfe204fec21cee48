/**
 * The backprop experiment: golden records and figures, and the claim it demonstrates — backprop
 * and central differences agree on every parameter, and a wrong local derivative is caught.
 */
import { describe, expect, it } from 'vitest';

import { CHAIN_RULE, checkWalk, relativeError, type LocalDerivatives, type NetworkSpec } from '../../../lab/experiments/backprop/network.js';
import { resolveConfig, findExperiment } from '../../../lab/experiments/index.js';
import type { FinalRecord, LabRecord } from '../../../lab/experiments/index.js';
import { figuresOf } from '../../../lab/render/index.js';
import { edgeOfStep, walkState } from '../../../lab/web/experiment/backprop/walk.js';
import type { BackwardStep } from '../../../lab/experiments/backprop/network.js';
import { normaliseSvg as normalise, rounded } from '../golden.js';
import { SMALL as SMALLS } from './small.js';
import { extraValues } from '../../../lab/experiments/items.js';

const SMALL = SMALLS['backprop'];
const backprop = findExperiment('backprop');

function run(given: Record<string, unknown> = {}, seed = 1): LabRecord[] {
  return [...backprop.run(resolveConfig(backprop, given), seed)];
}

function finalOf(records: readonly LabRecord[]): FinalRecord {
  const final = records[records.length - 1];
  if (final.kind !== 'final') throw new Error(`last record is ${final.kind}`);
  return final;
}

interface Row {
  [key: string]: number | string;
}
const table = (final: FinalRecord, name: string) => extraValues(final)[name] as Row[];

/** Float64 rounding noise, by key: the golden record keeps its bound, not its digits. */
const NOISE: Record<string, number> = { relativeError: 1e-6, largestRelativeError: 1e-6, largestChainRuleDifference: 1e-15 };

function withoutNoise(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && key in NOISE) return value < NOISE[key] ? `below ${NOISE[key].toExponential()}` : value;
  if (Array.isArray(value)) return value.map((v) => withoutNoise(v));
  // A final record's number item keeps its key's noise floor.
  if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'number') {
    return { ...value, value: withoutNoise((value as { value: unknown }).value, key) };
  }
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNoise(v, k)]));
  return rounded(value);
}

describe('backprop experiment', () => {
  it('matches its golden snapshot with one hidden unit (numbers rounded)', () => {
    expect(withoutNoise(run(SMALL))).toMatchSnapshot();
  });

  it('figures match their golden snapshots (normalised SVG)', () => {
    const figures = figuresOf(run(SMALL));
    expect(figures.map((f) => f.name)).toEqual(['gradient-check']);
    for (const figure of figures) expect(normalise(figure.svg)).toMatchSnapshot(figure.name);
  });

  it('the forward table holds every unit: the inputs, each hidden unit and the output y, whose a is the prediction', () => {
    const final = finalOf(run({ hidden: 3 }));
    const forward = table(final, 'forward');
    expect(forward.map((r) => r.unit)).toEqual(['x0', 'x1', 'h0', 'h1', 'h2', 'y']);
    expect(forward[forward.length - 1].a).toBe(final.predictions[0].output[0]);
    expect(final.error).toBeCloseTo((final.predictions[0].output[0] - 1) ** 2, 15);
  });
});

describe('backprop: the claim (backprop and central differences agree)', () => {
  it.each([
    ['sigmoid', 2],
    ['tanh', 3],
    ['relu', 4],
  ])('with %s hidden units (%i): every parameter\'s relative error is below 1e-6', (activation, hidden) => {
    const final = finalOf(run({ activation, hidden, initStd: 1 }));
    const check = table(final, 'gradientCheck');
    expect(check).toHaveLength(3 * hidden + hidden + 1);
    for (const row of check) expect(row.relativeError).toBeLessThan(1e-6);
    expect(extraValues(final).largestRelativeError).toBe(Math.max(...check.map((r) => r.relativeError as number)));
  });

  it('the edge-by-edge chain rule ends at nnlab\'s autodiff gradient for every node, and inputs sum one contribution per hidden unit', () => {
    const final = finalOf(run({ hidden: 3 }));
    const steps = table(final, 'backward');
    const last = new Map(steps.map((s) => [s.to, s]));
    for (const s of last.values()) expect(relativeError(s.accumulated as number, s.autodiff as number)).toBeLessThan(1e-12);
    expect(steps.filter((s) => s.to === 'x0')).toHaveLength(3);
    for (const s of steps) expect(s.contribution).toBe((s.localDerivative as number) * (s.upstream as number));
    expect(extraValues(final).largestChainRuleDifference).toBeLessThan(1e-15);
  });

  it('each step\'s upstream gradient is the complete gradient of its from-node (the walk goes output to input)', () => {
    const steps = table(finalOf(run({ hidden: 2 })), 'backward');
    steps.forEach((s, k) => {
      if (s.from === 'L') return expect(s.upstream).toBe(1);
      const into = steps.filter((t) => t.to === s.from);
      expect(into.length).toBeGreaterThan(0);
      expect(into.every((t) => (t.step as number) < (s.step as number))).toBe(true);
      expect(s.upstream).toBe(into[into.length - 1].accumulated);
      expect(k + 1).toBe(s.step);
    });
  });

  it('a wrong local derivative is caught: the sigmoid\'s a instead of a(1 − a) gives relative errors near 1', () => {
    const spec: NetworkSpec = { hidden: 2, activation: 'sigmoid', inputs: [1, 0.5], target: 1, initStd: 0.5 };
    const right = checkWalk(spec, 1, 1e-6, CHAIN_RULE);
    const wrong: LocalDerivatives = { ...CHAIN_RULE, activation: (kind, z, a) => (kind === 'sigmoid' ? a : CHAIN_RULE.activation(kind, z, a)) };
    const caught = checkWalk(spec, 1, 1e-6, wrong);
    expect(Math.max(...right.map((r) => r.relativeError))).toBeLessThan(1e-6);
    // Every parameter lies below the output's sigmoid, so every one of them is wrong.
    for (const row of caught) expect(row.relativeError).toBeGreaterThan(0.1);
  });

  it('a wrong loss derivative (y − t instead of 2(y − t)) is caught with relative error 0.5 on every parameter', () => {
    const spec: NetworkSpec = { hidden: 2, activation: 'tanh', inputs: [0.3, -0.7], target: 0, initStd: 1 };
    const caught = checkWalk(spec, 3, 1e-6, { ...CHAIN_RULE, loss: (y, t) => y - t });
    for (const row of caught) expect(row.relativeError).toBeCloseTo(0.5, 6);
  });

  it('at a ReLU kink (input 0, zero biases: z = 0) backprop takes relu′(0) = 0 and the check flags the hidden biases with error 1', () => {
    const check = table(finalOf(run({ activation: 'relu', x0: 0, x1: 0 })), 'gradientCheck');
    const biases = check.filter((r) => (r.parameter as string).startsWith('hidden.bias'));
    for (const row of biases) {
      expect(row.backprop).toBe(0);
      expect(row.relativeError).toBe(1);
    }
    for (const row of check.filter((r) => !biases.includes(r))) expect(row.relativeError).toBeLessThan(1e-6);
  });

  it('relativeError(a, b) is |a − b| / max(|a|, |b|), and 0 when both are 0', () => {
    expect(relativeError(1, 1)).toBe(0);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(2, 1)).toBe(0.5);
    expect(relativeError(-1, 1)).toBe(2);
    expect(relativeError(0, 1e-20)).toBe(1);
  });

  it('a step h too large or too small makes the check worse than h = 1e-6 (curvature, then rounding)', () => {
    const largest = (h: number) => extraValues(finalOf(run({ h }))).largestRelativeError as number;
    expect(largest(1e-1)).toBeGreaterThan(100 * largest(1e-6));
    expect(largest(1e-12)).toBeGreaterThan(100 * largest(1e-6));
  });

  it('an option out of range fails naming the option, the rule and the value', () => {
    expect(() => resolveConfig(backprop, { hidden: 7 })).toThrow('backprop: option --hidden must be an integer in [1, 6], got 7');
  });
});

describe('backprop page: the step-through state', () => {
  const steps = table(finalOf(run({ hidden: 2 })), 'backward') as unknown as BackwardStep[];

  it('walkState(steps, 0) knows only ∂L/∂L = 1; walkState(steps, k) knows each node walked so far', () => {
    expect([...walkState(steps, 0).known]).toEqual([['L', 1]]);
    const five = walkState(steps, 5);
    expect(five.current).toBe(steps[4]);
    expect([...five.known.keys()]).toEqual(['L', 'a(y)', 'z(y)', 'b(y)', 'w(h0→y)', 'w(h1→y)']);
  });

  it('an input is complete only after its contribution from every hidden unit', () => {
    const first = steps.find((s) => s.to === 'x0')!.step;
    const last = steps.filter((s) => s.to === 'x0').at(-1)!.step;
    expect(walkState(steps, first).known.has('x0')).toBe(true);
    expect(walkState(steps, first).complete.has('x0')).toBe(false);
    expect(walkState(steps, last).complete.has('x0')).toBe(true);
    expect(walkState(steps, steps.length).known.get('x0')).toBeCloseTo(steps[last - 1].autodiff, 15);
  });

  it('edgeOfStep(step) is the drawn edge the gradient travels back along, or undefined inside a unit', () => {
    const edge = (from: string, to: string) => edgeOfStep(steps.find((s) => s.from === from && s.to === to)!);
    expect(edge('L', 'a(y)')).toBe('y→L');
    expect(edge('a(y)', 'z(y)')).toBeUndefined();
    expect(edge('z(y)', 'b(y)')).toBeUndefined();
    expect(edge('z(y)', 'w(h1→y)')).toBe('h1→y');
    expect(edge('z(y)', 'a(h1)')).toBe('h1→y');
    expect(edge('z(h1)', 'x0')).toBe('x0→h1');
  });
});
