/**
 * The lab computes with one arithmetic on every runtime. The library's matrix kernel uses
 * relaxed-SIMD fused multiply-add where the engine has it (Node, Chromium ≥ 114) and mul + add
 * elsewhere; the two differ in the last bits, and the deep-net experiments are chaotic enough
 * for last bits to change their outcome (vanishing-gradients' ReLU net learns the circle with
 * one and stalls with the other). A page must show what `nnlab run <experiment> --json` prints
 * in every browser, so the lab always uses mul + add, which every engine with WebAssembly SIMD has.
 */
import { setWasmGemmFma } from 'nnlab';
import type { Experiment, Schema } from './types.js';

/** Sets the lab's arithmetic for this thread (idempotent; call before the first product). */
export function useLabArithmetic(): void {
  setWasmGemmFma(false);
}

/** The experiment with its run preceded by useLabArithmetic, whichever thread runs it. */
export function withLabArithmetic<S extends Schema>(experiment: Experiment<S>): Experiment<S> {
  return {
    ...experiment,
    run(config, seed) {
      useLabArithmetic();
      return experiment.run(config, seed);
    },
  };
}
