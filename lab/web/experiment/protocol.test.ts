import { describe, expect, it } from 'vitest';
import type { LabRecord, SnapshotRecord } from '../../experiments/index.js';
import { fromWire, toWire } from './protocol.js';

const snapshot = (values: number[]): SnapshotRecord => ({
  kind: 'snapshot',
  epoch: 3,
  maps: [{ name: 'Output', resolution: 2, values }],
  parameters: { 'output.bias': [0.5] },
});

describe('toWire / fromWire', () => {
  it('toWire(snapshot) packs float32 maps into Float32Arrays and lists their buffers to transfer', () => {
    const values = [0, 0.25, Math.fround(0.1), 1];
    const { record, transfer } = toWire(snapshot(values));
    expect(record.kind === 'snapshot' && record.maps[0].values).toBeInstanceOf(Float32Array);
    expect(transfer).toHaveLength(1);
    expect(fromWire(record)).toEqual(snapshot(values));
  });

  it('toWire(snapshot) keeps float64 values exact in a Float64Array, and NaN', () => {
    const values = [0.1, 1 / 3, NaN, 1];
    const { record } = toWire(snapshot(values));
    expect(record.kind === 'snapshot' && record.maps[0].values).toBeInstanceOf(Float64Array);
    expect(fromWire(record)).toEqual(snapshot(values));
  });

  it('toWire(record) passes other records through untouched, with nothing to transfer', () => {
    const epoch: LabRecord = { kind: 'epoch', epoch: 1, error: 0.25, series: 'train' };
    expect(toWire(epoch)).toEqual({ record: epoch, transfer: [] });
    expect(fromWire(epoch)).toBe(epoch);
  });
});
