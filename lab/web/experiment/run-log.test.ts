import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../experiments/index.js';
import { toWire } from './protocol.js';
import { RunLog } from './run-log.js';

const wireRun = (given: Record<string, unknown>) => {
  const experiment = findExperiment('dropout');
  return [...experiment.run(resolveConfig(experiment, given), 1)].map((r) => toWire(r).record);
};

describe('RunLog', () => {
  it('log.add(records) tracks the epoch, the latest train error, every series and the final record', () => {
    const log = new RunLog();
    const records = wireRun({ epochs: 20, reportEvery: 5, resolution: 4 });
    log.add(records.slice(0, 6));
    expect(log.start?.experiment).toBe('dropout');
    expect(log.epoch).toBe(1);
    expect(log.error).toBe(log.series.get('train')!.errors[1]);
    log.add(records.slice(6));
    expect(log.epoch).toBe(20);
    expect([...log.series.keys()]).toEqual(['train', 'no dropout']);
    expect(log.final?.kind).toBe('final');
    expect(log.snapshot?.epoch).toBe(20);
    expect(log.count).toBe(records.length);
    expect(log.toRecords()).toHaveLength(records.length);
  });

  it('past its snapshot budget the log lets go of the oldest snapshots but the first and the latest', () => {
    const log = new RunLog(3 * 16); // three 4×4 maps
    const records = wireRun({ epochs: 10, reportEvery: 1, resolution: 4 });
    log.add(records);
    const kept = log.toRecords().filter((r) => r.kind === 'snapshot').map((r) => r.kind === 'snapshot' && r.epoch);
    expect(kept).toEqual([0, 9, 10]);
    expect(log.droppedSnapshots).toBe(8);
    expect(log.count).toBe(records.length);
  });

  it('a figure record again under the same name replaces the earlier one and bumps figureVersion', () => {
    const log = new RunLog();
    const figure = (title: string) => ({ kind: 'figure' as const, name: 'norms', title, panels: [] });
    log.add([figure('epoch 0'), { kind: 'figure', name: 'other', title: 'o', panels: [] }]);
    expect(log.figureVersion).toBe(2);
    log.add([figure('epoch 10')]);
    expect(log.figures.map((f) => f.title)).toEqual(['epoch 10', 'o']);
    expect(log.figureVersion).toBe(3);
    expect(log.toRecords()).toHaveLength(3);
  });

  it('a log before any record has epoch 0 and no error', () => {
    const log = new RunLog();
    expect([log.epoch, log.error, log.count]).toEqual([0, undefined, 0]);
  });
});
