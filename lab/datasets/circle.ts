/**
 * A disc in the unit square: points drawn uniformly from [0, 1]², target 1 inside the circle of
 * centre (0.5, 0.5) whose area is half the square's (radius √(1/2π) ≈ 0.399), so the two
 * classes are about equally common. No line separates them, so the network needs hidden layers.
 *
 *     circle(100, new Generator(1).fork('data'))
 */
import type { Generator } from 'nnlab';
import type { Dataset } from './gates.js';

export const CIRCLE_RADIUS = Math.sqrt(1 / (2 * Math.PI));

export function circle(count: number, rng: Generator): Dataset {
  if (!Number.isInteger(count) || count < 1) throw new Error(`circle: count must be a positive integer, got ${count}`);
  const inputs: number[][] = [];
  const targets: number[][] = [];
  for (let i = 0; i < count; i++) {
    const x0 = rng.uniform();
    const x1 = rng.uniform();
    inputs.push([x0, x1]);
    targets.push([Math.hypot(x0 - 0.5, x1 - 0.5) < CIRCLE_RADIUS ? 1 : 0]);
  }
  return { inputs, targets };
}
