/**
 * The starting values of a dense layer, as every library's runner and the Python child process
 * receive them (Node only, like all of bench/). A module of its own so that workload.ts (which
 * describes workloads, including their Python task) and python/python.ts (which sends the task
 * to python3) both use it without importing each other.
 */

/** One dense layer's starting values: weight [inFeatures, outFeatures] row-major, bias [outFeatures]. */
export interface DenseInit {
  inFeatures: number;
  outFeatures: number;
  weight: Float32Array;
  bias: Float32Array;
}
