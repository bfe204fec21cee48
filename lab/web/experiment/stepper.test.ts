import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig, summarize } from '../../experiments/index.js';
import type { LabRecord } from '../../experiments/index.js';
import { EpochStepper } from './stepper.js';

const run = (name: string, given: Record<string, unknown> = {}, seed = 1) => {
  const experiment = findExperiment(name);
  return experiment.run(resolveConfig(experiment, given), seed);
};

describe('EpochStepper', () => {
  it('stepper.next() first gives the start, epoch 0 and its snapshot, then one epoch per call', () => {
    const stepper = new EpochStepper(run('two-layer', { epochs: 3, reportEvery: 2, resolution: 3 }));
    expect(stepper.next().map((r) => r.kind)).toEqual(['start', 'epoch', 'snapshot']);
    expect(stepper.epoch).toBe(0);
    expect(stepper.next().map((r) => [r.kind, 'epoch' in r ? r.epoch : undefined])).toEqual([['epoch', 1]]);
    expect(stepper.next().map((r) => [r.kind, 'epoch' in r ? r.epoch : undefined])).toEqual([['epoch', 2], ['snapshot', 2]]);
    expect(stepper.done).toBe(false);
    expect(stepper.next().map((r) => r.kind)).toEqual(['epoch', 'snapshot', 'final']);
    expect(stepper.epoch).toBe(3);
    expect(stepper.done).toBe(true);
    expect(stepper.next()).toEqual([]);
  });

  it('stepper.next() keeps every series of an epoch together (dropout trains two nets)', () => {
    const stepper = new EpochStepper(run('dropout', { epochs: 2, resolution: 3 }));
    stepper.next();
    expect(stepper.next().map((r) => (r.kind === 'epoch' ? `${r.series}@${r.epoch}` : r.kind))).toEqual(['train@1', 'no dropout@1']);
  });

  it('stepper.next() computes nothing ahead but the step it must see to end an epoch', () => {
    let pulled = 0;
    function* counted(): Generator<LabRecord> {
      for (const record of run('two-layer', { epochs: 50, resolution: 3 })) {
        pulled++;
        yield record;
      }
    }
    const stepper = new EpochStepper(counted());
    stepper.next();
    stepper.next();
    // start, epoch 0, snapshot 0, epoch 1 (given), epoch 2 (held back): nothing further.
    expect(pulled).toBe(5);
  });

  it('a run stepped one epoch at a time has the records, and so the --json summary, of the run in one go', () => {
    for (const [name, given] of [['two-layer', {}], ['dropout', { epochs: 300 }], ['categorical', { epochs: 200, reportEvery: 50 }], ['bce-logits', { epochs: 100 }], ['activations', {}]] as const) {
      const whole = [...run(name, given, 7)];
      const stepper = new EpochStepper(run(name, given, 7));
      const stepped: LabRecord[] = [];
      while (!stepper.done) stepped.push(...stepper.next());
      expect(stepped).toEqual(whole);
      expect(JSON.stringify(summarize(stepped))).toBe(JSON.stringify(summarize(whole)));
    }
  });

  it('a run without epochs comes whole from the first call', () => {
    const stepper = new EpochStepper(run('bce'));
    expect(stepper.next().map((r) => r.kind)).toEqual(['start', 'figure', 'figure', 'final']);
    expect(stepper.done).toBe(true);
  });

  it('an error of the run comes out of the next() that reaches it', () => {
    function* failing(): Generator<LabRecord> {
      yield { kind: 'epoch', epoch: 0, error: 1, series: 'train' };
      yield { kind: 'epoch', epoch: 1, error: 1, series: 'train' };
      throw new Error('demo: the error became NaN at epoch 2');
    }
    const stepper = new EpochStepper(failing());
    expect(stepper.next()).toHaveLength(1);
    expect(() => stepper.next()).toThrow('demo: the error became NaN at epoch 2');
  });
});
