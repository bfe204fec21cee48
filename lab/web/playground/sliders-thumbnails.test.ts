/** The data set thumbnails' points and the learning-rate slider's stops (the pure parts; the page test clicks them). */
import { describe, expect, it } from 'vitest';
import { nearestStop } from './controls.js';
import { DATASETS, generateDataset } from './datasets.js';
import { thumbnailPoints } from './thumbnails.js';
import { LEARNING_RATE_STOPS } from './training-panel.js';
import { pointsOf, withDataset } from './transitions.js';
import { DEFAULT_STATE } from './url-state.js';

describe('thumbnailPoints(state, name)', () => {
  it.each(DATASETS)('%s: the points choosing it would give (the same seed and parameters)', (name) => {
    const state = { ...DEFAULT_STATE, seed: 5, data: { ...DEFAULT_STATE.data, noise: 0.1 } };
    const outcome = withDataset(state, name);
    if ('error' in outcome) throw new Error(outcome.error);
    expect(thumbnailPoints(state, name)).toEqual({ points: pointsOf(outcome.state), classes: expect.any(Number) });
  });

  it('the circle with seed 1 is generateDataset’s circle; XOR is its four corners (chosen as the chapter has it)', () => {
    expect(thumbnailPoints(DEFAULT_STATE, 'circle')!.points).toEqual(generateDataset({ name: 'circle', count: 200, noise: 0.03, classes: 2, testFraction: 0.3 }, 1));
    expect(thumbnailPoints(DEFAULT_STATE, 'xor')!.points.map((p) => [p.x0, p.x1, p.label, p.test])).toEqual([[0, 0, 0, false], [0, 1, 1, false], [1, 0, 1, false], [1, 1, 0, false]]);
    expect(thumbnailPoints(DEFAULT_STATE, 'spiral')!.classes).toBe(2);
  });
});

describe('nearestStop(stops, value)', () => {
  it('is the stop nearest on a log scale: exact stops, values between, and beyond the ends', () => {
    const stops = LEARNING_RATE_STOPS;
    expect(stops.map((v) => nearestStop(stops, v))).toEqual(stops.map((_, i) => i));
    expect(stops[nearestStop(stops, 0.05)]).toBe(0.03); // log distance: 0.05/0.03 = 1.67 < 0.1/0.05 = 2
    expect(stops[nearestStop(stops, 0.2)]).toBe(0.3);
    expect(nearestStop(stops, 1e-9)).toBe(0);
    expect(nearestStop(stops, 100)).toBe(stops.length - 1);
  });
});
