/**
 * The lab's one arithmetic (lab/experiments/arithmetic.ts): whatever the library's FMA setting
 * was, an experiment from the registry computes the same bits. The library's own default stays
 * as it is (relaxed-SIMD FMA where the engine has it), so each test restores it afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hasRelaxedSimd, setWasmGemmFma } from 'nnlab';
import { findExperiment, resolveConfig } from '../../lab/experiments/index.js';
import type { Experiment, LabRecord } from '../../lab/experiments/index.js';
import { twoLayer } from '../../lab/experiments/two-layer.js';
import { vanishingGradients } from '../../lab/experiments/vanishing-gradients.js';

/** The library's default, as backend.ts reads it: FMA unless NNLAB_WASM_FMA turns it off. */
const LIBRARY_DEFAULT = !/^(0|false|off)$/i.test(process.env.NNLAB_WASM_FMA ?? '');

/**
 * Runs chaotic or wide enough for the matrix kernel's rounding to show: the deep nets (tanh
 * differs by 0.008 after 50 epochs) and the square with 8 hidden units (products large enough
 * for the wasm kernel; XOR's 4×2 products never reach it).
 */
const RUNS = [
  { name: 'vanishing-gradients', raw: vanishingGradients as unknown as Experiment, options: { epochs: 50, reportEvery: 50, resolution: 10 } },
  { name: 'two-layer', raw: twoLayer as unknown as Experiment, options: { dataset: 'square', hidden: 8, epochs: 300, reportEvery: 300, resolution: 10 } },
] as const;

/** The numbers of a run: every error, and the final record (predictions, parameters). */
function numbers(experiment: Experiment, options: Readonly<Record<string, unknown>>): LabRecord[] {
  return [...experiment.run(resolveConfig(experiment, options), 1)].filter((r) => r.kind === 'epoch' || r.kind === 'final');
}

afterEach(() => setWasmGemmFma(LIBRARY_DEFAULT));

describe('the lab pins its arithmetic (withLabArithmetic)', () => {
  for (const { name, options } of RUNS) {
    it(`${name}: the registry's run gives the same records after setWasmGemmFma(true) as after setWasmGemmFma(false)`, () => {
      const experiment = findExperiment(name);
      setWasmGemmFma(true);
      const afterFmaOn = numbers(experiment, options);
      setWasmGemmFma(false);
      const afterFmaOff = numbers(experiment, options);
      expect(afterFmaOn).toEqual(afterFmaOff);
    });
  }

  for (const { name, raw, options } of RUNS) {
    it(`${name}: without the pin the library's FMA changes the numbers (so the test above can fail), and the pin is mul + add`, () => {
      setWasmGemmFma(true);
      const fused = numbers(raw, options);
      expect(hasRelaxedSimd(), 'this engine runs relaxed SIMD (Node ≥ 20), so FMA was in use').toBe(true);
      setWasmGemmFma(false);
      const unfused = numbers(raw, options);
      expect(fused).not.toEqual(unfused);
      setWasmGemmFma(true);
      expect(numbers(findExperiment(name), options)).toEqual(unfused);
    });
  }
});
