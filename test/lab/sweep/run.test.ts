/** One run of a sweep: the success criterion, and the cheap config that does not change the numbers. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lab/experiments/index.js';
import { makePlan } from '../../../lab/sweep/plan.js';
import { runOne, solved, sweepConfig } from '../../../lab/sweep/run.js';
import { sweepable } from '../../../lab/sweep/plan.js';
import { findExperiment, resolveConfig } from '../../../lab/experiments/index.js';

describe('one run of a sweep', () => {
  it('solved(predictions): a single output within 0.5 of its 0/1 target; several outputs: the target class is the largest', () => {
    const binary = (output: number, target: number) => ({ input: [0, 0], target: [target], output: [output] });
    expect(solved([binary(0.49, 0), binary(0.51, 1)])).toBe(true);
    expect(solved([binary(0.49, 0), binary(0.49, 1)])).toBe(false);
    expect(solved([binary(0.5, 0)])).toBe(false);
    const classes = (output: number[], target: number) => ({ input: [0, 0], target: [target], output });
    expect(solved([classes([0.1, 0.6, 0.2, 0.1], 1), classes([0.4, 0.3, 0.2, 0.1], 0)])).toBe(true);
    expect(solved([classes([0.1, 0.6, 0.2, 0.1], 2)])).toBe(false);
  });

  it.each(sweepable())('%s: the cheap sweep config (resolution 2, one snapshot) gives the same row as the full config, or neither can be swept', (name) => {
    const plan = makePlan({ experiment: name, options: { epochs: 40, reportEvery: 7 } });
    const cheap = sweepConfig(findExperiment(name), resolveConfig(findExperiment(name), plan.config));
    if ('resolution' in findExperiment(name).schema) expect(cheap).toMatchObject({ resolution: 2 });
    expect(cheap).toMatchObject({ reportEvery: 40 });
    for (const seed of [1, 2]) {
      const row = (options: { cheap: boolean }) => {
        try {
          return runOne(plan, { seed }, options);
        } catch (error) {
          if (error instanceof ConfigError) return error.message;
          throw error;
        }
      };
      expect(row({ cheap: true })).toEqual(row({ cheap: false }));
    }
  });

  it('the chapter experiments that train can all be swept', () => {
    for (const experiment of ['logistic-regression', 'two-layer', 'dropout', 'bce-logits', 'categorical']) {
      expect(runOne(makePlan({ experiment, options: { epochs: 5 } }), { seed: 1 })).toHaveProperty('solved');
    }
  });

  it('runOne on an experiment without predictions (activations, bce) is a ConfigError that says why', () => {
    for (const experiment of ['activations', 'bce']) {
      const attempt = () => runOne(makePlan({ experiment, count: 1 }), { seed: 1 });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`sweep: ${experiment} cannot be swept: its runs make no predictions with targets to judge`);
    }
  });
});
