import { describe, expect, it } from 'vitest';
import { Generator } from 'nnlab';
import { DATASETS, classesOf, countClasses, generateDataset, isRegression, nearestPoint, splitPoints } from './datasets.js';
import type { DatasetParams } from './datasets.js';

const params = (name: DatasetParams['name'], extra: Partial<DatasetParams> = {}): DatasetParams => ({
  name, count: 200, noise: 0.05, classes: 3, testFraction: 0.3, ...extra,
});

describe('generateDataset(params, seed)', () => {
  it.each(DATASETS.filter((d) => !isRegression(d)))('%s: points lie in the unit square with labels 0..K−1', (name) => {
    const points = generateDataset(params(name), 1);
    const k = classesOf(params(name));
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      expect(p.x0).toBeGreaterThanOrEqual(0);
      expect(p.x0).toBeLessThanOrEqual(1);
      expect(p.x1).toBeGreaterThanOrEqual(0);
      expect(p.x1).toBeLessThanOrEqual(1);
      expect(Number.isInteger(p.label) && p.label >= 0 && p.label < k).toBe(true);
    }
    expect(countClasses(points, k).every((c) => c > 0)).toBe(true);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(generateDataset(params('spiral'), 7)).toEqual(generateDataset(params('spiral'), 7));
    expect(generateDataset(params('spiral'), 7)).not.toEqual(generateDataset(params('spiral'), 8));
  });

  it('xor without noise is the four corners of the truth table', () => {
    const points = generateDataset(params('xor', { noise: 0, testFraction: 0 }), 1);
    expect(points.map((p) => [p.x0, p.x1, p.label])).toEqual([[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]]);
  });

  it('square is the chapter\'s 16 points with the four interior ones in class 1', () => {
    const points = generateDataset(params('square', { noise: 0 }), 1);
    expect(points).toHaveLength(16);
    expect(points.filter((p) => p.label === 1).map((p) => [p.x0, p.x1])).toEqual([[0.3, 0.3], [0.3, 0.7], [0.7, 0.3], [0.7, 0.7]]);
  });

  it('holds out round(n · testFraction) points as the test set', () => {
    const points = generateDataset(params('circle', { count: 100, testFraction: 0.25 }), 3);
    expect(points.filter((p) => p.test)).toHaveLength(25);
  });

  it('circle without noise puts class 1 inside radius 0.25 and class 0 beyond 0.35', () => {
    for (const p of generateDataset(params('circle', { noise: 0 }), 2)) {
      const r = Math.hypot(p.x0 - 0.5, p.x1 - 0.5);
      expect(p.label === 1 ? r <= 0.25 : r >= 0.35).toBe(true);
    }
  });

  it('gaussians and spiral have `classes` classes; the others two', () => {
    expect(classesOf({ name: 'spiral', classes: 4 })).toBe(4);
    expect(classesOf({ name: 'circle', classes: 4 })).toBe(2);
    expect(new Set(generateDataset(params('gaussians', { classes: 5 }), 1).map((p) => p.label)).size).toBe(5);
  });
});

describe('splitPoints(points, testFraction, rng)', () => {
  it('keeps at least one training point', () => {
    const points = splitPoints([{ x0: 0, x1: 0, label: 0 }, { x0: 1, x1: 1, label: 1 }], 0.9, new Generator(1));
    expect(points.filter((p) => !p.test)).toHaveLength(1);
  });
});

describe('nearestPoint(points, x0, x1, radius)', () => {
  const points = generateDataset(params('xor', { noise: 0 }), 1);
  it('finds the nearest point within the radius, or −1', () => {
    expect(nearestPoint(points, 0.95, 0.02, 0.1)).toBe(2);
    expect(nearestPoint(points, 0.5, 0.5, 0.1)).toBe(-1);
  });
});
