/**
 * A continued run is a longer run: after its final record a continuable experiment trains the
 * same models on (next({ continueEpochs })), and from there yields exactly the records a fresh
 * run with the sum of the epochs yields. What the experiment pages' "Continue" button relies on.
 */
import { describe, expect, it } from 'vitest';
import { experiments, resolveConfig } from '../../lab/experiments/index.js';
import type { Continuation, LabRecord } from '../../lab/experiments/index.js';

const SMALL = { epochs: 20, reportEvery: 5, resolution: 3 };

/** Runs `first` epochs, then continues by each of `more` in turn, collecting every record. */
function continued(name: string, first: number, more: number[]): LabRecord[] {
  const experiment = experiments.find((e) => e.name === name)!;
  const run = experiment.run(resolveConfig(experiment, { ...SMALL, epochs: first }), 1)[Symbol.iterator]() as Iterator<LabRecord, unknown, Continuation | undefined>;
  const records: LabRecord[] = [];
  const pull = (value?: Continuation) => {
    for (let r = run.next(value); r.done !== true; r = run.next()) {
      records.push(r.value);
      if (r.value.kind === 'final') return;
    }
    throw new Error('the run ended without a final record');
  };
  pull();
  for (const epochs of more) pull({ continueEpochs: epochs });
  expect(run.next().done).toBe(true);
  return records;
}

function fresh(name: string, epochs: number): LabRecord[] {
  const experiment = experiments.find((e) => e.name === name)!;
  return [...experiment.run(resolveConfig(experiment, { ...SMALL, epochs }), 1)];
}

/** The records after epoch `after`: its epochs, snapshots and figures, and the final record. */
function from(records: readonly LabRecord[], after: number): LabRecord[] {
  let epoch = 0;
  return records.filter((r) => {
    if (r.kind === 'epoch' || r.kind === 'snapshot') epoch = r.epoch;
    return epoch > after && r.kind !== 'start';
  });
}

const continuable = experiments.filter((e) => e.continuable === true).map((e) => e.name);

describe('continuing a run', () => {
  it('the chapter’s training programs can be continued', () => {
    expect(continuable).toEqual(['logistic-regression', 'two-layer', 'dropout', 'bce-logits', 'categorical']);
  });

  it.each(continuable)('%s: 20 epochs continued by 10 and then 7 give the records of a fresh 37-epoch run from epoch 21 on, the same final record and every epoch error', (name) => {
    const records = continued(name, 20, [10, 7]);
    const longer = fresh(name, 37);
    expect(records.filter((r) => r.kind === 'final')).toHaveLength(3);
    expect(from(records, 20).filter((r) => r.kind !== 'final')).toEqual(from(longer, 20).filter((r) => r.kind !== 'final'));
    expect(records.at(-1)).toEqual(longer.at(-1));
    expect(records.filter((r) => r.kind === 'epoch')).toEqual(longer.filter((r) => r.kind === 'epoch'));
  });

  it('a run that is not continued ends after its final record, as before', () => {
    const records = fresh('two-layer', 20);
    expect(records.at(-1)!.kind).toBe('final');
    expect(records.filter((r) => r.kind === 'final')).toHaveLength(1);
  });
});
