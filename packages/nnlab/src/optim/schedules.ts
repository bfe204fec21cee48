/**
 * Learning-rate schedules: plain functions from the step (0 on the first step) to a rate.
 * @packageDocumentation
 */
import * as math from '../math/index.js';

/** The learning rate at a step (0 on the first). */
export type Schedule = (step: number) => number;

function positive(name: string, label: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${name}: ${label} must be a positive finite number, got ${value}`);
}

/** lr at every step. */
export function constant(lr: number): Schedule {
  positive('constant', 'lr', lr);
  return () => lr;
}

/** lr · factor^⌊step / every⌋: drops by `factor` every `every` steps. */
export function stepDecay(lr: number, every: number, factor = 0.5): Schedule {
  positive('stepDecay', 'lr', lr);
  positive('stepDecay', 'every', every);
  positive('stepDecay', 'factor', factor);
  return (step) => lr * math.pow(factor, Math.floor(step / every));
}

/** lr · rate^(step / every): a smooth exponential decay. */
export function exponentialDecay(lr: number, rate: number, every = 1): Schedule {
  positive('exponentialDecay', 'lr', lr);
  positive('exponentialDecay', 'rate', rate);
  positive('exponentialDecay', 'every', every);
  return (step) => lr * math.pow(rate, step / every);
}

/** Cosine from lr down to `min` over `steps` steps, then `min`. */
export function cosineDecay(lr: number, steps: number, min = 0): Schedule {
  positive('cosineDecay', 'lr', lr);
  positive('cosineDecay', 'steps', steps);
  return (step) => min + ((lr - min) * (1 + math.cos(Math.PI * Math.min(step, steps) / steps))) / 2;
}

/** Rises linearly from 0 to the schedule's value over `warmupSteps`, then follows the schedule. */
export function linearWarmup(schedule: Schedule, warmupSteps: number): Schedule {
  positive('linearWarmup', 'warmupSteps', warmupSteps);
  return (step) => (step < warmupSteps ? (schedule(step) * (step + 1)) / warmupSteps : schedule(step));
}
