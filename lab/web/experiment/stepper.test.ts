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

  it('stepper.extend(n) trains a finished continuable run n more epochs, one per call, ending with a new final record', () => {
    const stepper = new EpochStepper(run('two-layer', { epochs: 3, reportEvery: 2, resolution: 3 }));
    while (!stepper.done) stepper.next();
    expect(stepper.extend(2)).toBe(true);
    expect(stepper.done).toBe(false);
    expect(stepper.next().map((r) => [r.kind, 'epoch' in r ? r.epoch : undefined])).toEqual([['epoch', 4], ['snapshot', 4]]);
    expect(stepper.next().map((r) => r.kind)).toEqual(['epoch', 'snapshot', 'final']);
    expect([stepper.epoch, stepper.done]).toEqual([5, true]);
    // Continued 3 + 2 is the 5-epoch run, record for record from epoch 4 on.
    const longer = [...run('two-layer', { epochs: 5, reportEvery: 2, resolution: 3 })];
    const again = new EpochStepper(run('two-layer', { epochs: 3, reportEvery: 2, resolution: 3 }));
    const records: LabRecord[] = [];
    while (!again.done) records.push(...again.next());
    again.extend(2);
    while (!again.done) records.push(...again.next());
    expect(records.slice(records.findIndex((r) => r.kind === 'epoch' && r.epoch === 4))).toEqual(longer.slice(longer.findIndex((r) => r.kind === 'epoch' && r.epoch === 4)));
  });

  it('stepper.extend(n) refuses a run that is not done, or one that cannot go on', () => {
    const stepper = new EpochStepper(run('two-layer', { epochs: 3, resolution: 3 }));
    stepper.next();
    expect(stepper.extend(2)).toBe(false);
    const figures = new EpochStepper(run('bce'));
    figures.next();
    expect(figures.extend(2)).toBe(true);
    // bce's run has ended for good: the pull finds nothing more.
    expect(figures.next()).toEqual([]);
    expect(figures.done).toBe(true);
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
