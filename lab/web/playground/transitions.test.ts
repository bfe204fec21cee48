import { describe, expect, it } from 'vitest';
import { addPoint, asCustom, pointsOf, removePoint, withClasses, withData, withNetwork, withSettings } from './transitions.js';
import type { Outcome } from './transitions.js';
import { DEFAULT_STATE } from './url-state.js';
import type { PlaygroundState } from './url-state.js';
import { quantise } from './points-codec.js';

const stateOf = (outcome: Outcome): PlaygroundState => {
  if ('error' in outcome) throw new Error(outcome.error);
  return outcome.state;
};

describe('addPoint(state, x0, x1, label) / removePoint(state, index)', () => {
  it('turns generated data into custom points, then adds a quantised training point', () => {
    const next = stateOf(addPoint(DEFAULT_STATE, 0.3, 0.4, 1));
    expect(next.data.name).toBe('custom');
    const points = pointsOf(next);
    expect(points).toHaveLength(pointsOf(DEFAULT_STATE).length + 1);
    expect(points.at(-1)).toEqual({ x0: quantise(0.3), x1: quantise(0.4), label: 1, test: false });
    expect(points.slice(0, -1).map((p) => p.test)).toEqual(pointsOf(DEFAULT_STATE).map((p) => p.test));
  });

  it('adding a third class switches the loss to softmax and says so', () => {
    const outcome = addPoint(DEFAULT_STATE, 0.5, 0.5, 2);
    expect(outcome).toMatchObject({ state: { network: { loss: 'softmax' }, data: { classes: 3 } }, note: expect.stringMatching(/3 classes/) });
  });

  it('removes the point at an index', () => {
    const custom = stateOf(addPoint(DEFAULT_STATE, 0.3, 0.4, 1));
    const fewer = stateOf(removePoint(custom, 0));
    expect(pointsOf(fewer)).toEqual(pointsOf(custom).slice(1));
    expect(removePoint(custom, 999)).toEqual({ error: 'there is no point there' });
  });

  it('refuses points outside the square and beyond 1000', () => {
    expect(addPoint(DEFAULT_STATE, 1.2, 0.5, 0)).toHaveProperty('error');
    const full = { ...DEFAULT_STATE, data: { ...asCustom(DEFAULT_STATE), points: Array.from({ length: 1000 }, () => ({ x0: 0, x1: 0, label: 0, test: false })) } };
    expect(addPoint(full, 0.5, 0.5, 0)).toEqual({ error: expect.stringMatching(/at most 1000 points/) });
  });
});

describe('withNetwork / withSettings / withClasses', () => {
  it('refuses a two-class loss for three classes, and a highway over PReLU', () => {
    const spiral = stateOf(withData(DEFAULT_STATE, { ...DEFAULT_STATE.data, name: 'spiral', classes: 3 }));
    expect(withNetwork(spiral, { ...spiral.network, loss: 'mse' })).toEqual({ error: expect.stringMatching(/3 classes need the softmax/) });
    const prelu = { ...DEFAULT_STATE.network, hidden: [{ units: 2, activation: 'prelu' as const, dropout: 0 }], skip: 'highway' as const };
    expect(withNetwork(DEFAULT_STATE, prelu)).toEqual({ error: expect.stringMatching(/highway layer cannot use PReLU/) });
  });

  it('refuses settings out of range', () => {
    expect(withSettings(DEFAULT_STATE, { ...DEFAULT_STATE.settings, momentum: 1 })).toEqual({ error: expect.stringMatching(/momentum must be/) });
    expect(stateOf(withSettings(DEFAULT_STATE, { ...DEFAULT_STATE.settings, l2: 0.01 })).settings.l2).toBe(0.01);
  });

  it('keeps enough classes for the custom points there are', () => {
    const custom = stateOf(addPoint(DEFAULT_STATE, 0.5, 0.5, 2));
    expect(withClasses(custom, 2)).toEqual({ error: expect.stringMatching(/points of class 2/) });
    expect(stateOf(withClasses(custom, 4)).data.classes).toBe(4);
  });
});
