/**
 * What a workload is: one computation, written once per library, from the same data and the
 * same starting weights, so the first step's value can be compared across libraries before
 * any of them is timed.
 */
import { Generator } from '../src/index.js';

export const LIBRARIES = ['nnlab', 'tfjs-cpu', 'tfjs-wasm', 'hand'] as const;
export type Library = (typeof LIBRARIES)[number];

/** A workload set up in one library, ready to run. */
export interface Runner {
  /**
   * One iteration. Returns a number computed from the iteration's result (the loss, or a sum
   * of the outputs) that has been read back into JavaScript, so async backends have finished.
   */
  step(): number;
  /** Frees what the library will not free by itself (tfjs tensors and variables). */
  dispose?(): void;
}

export interface Workload {
  /** 'a', 'b' or 'c': what `--only` selects. */
  id: string;
  title: string;
  description: string;
  /** Relative tolerance when comparing the first step's value across libraries (float32 everywhere). */
  tolerance: number;
  nnlab(): Runner;
  /** Runs on whichever tfjs backend is active; run.ts sets cpu, then wasm. */
  tfjs(): Runner;
  /** A plain-loop reference with explicit derivative formulas, where the workload has one. */
  hand?(): Runner;
}

/** One dense layer's starting values: weight [inFeatures, outFeatures] row-major, bias [outFeatures]. */
export interface DenseInit {
  inFeatures: number;
  outFeatures: number;
  weight: Float32Array;
  bias: Float32Array;
}

/**
 * Starting weights for a stack of dense layers, `sizes` = [in, hidden…, out]: each weight
 * normal(0, std(fanIn)), each bias zero. Drawn from `seed`, so every library starts alike.
 */
export function denseInits(sizes: readonly number[], seed: number, std: (fanIn: number) => number): DenseInit[] {
  const rng = new Generator(seed);
  return sizes.slice(1).map((outFeatures, i) => {
    const inFeatures = sizes[i];
    const weight = new Float32Array(inFeatures * outFeatures);
    for (let j = 0; j < weight.length; j++) weight[j] = rng.normal(0, std(inFeatures));
    return { inFeatures, outFeatures, weight, bias: new Float32Array(outFeatures) };
  });
}
