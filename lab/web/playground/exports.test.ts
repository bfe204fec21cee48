import { describe, expect, it } from 'vitest';
import { recordsFile } from './exports.js';
import { DEFAULT_STATE, formatState, networkSpecOf } from './url-state.js';

describe('recordsFile', () => {
  const weights = [
    { name: 'h1', inFeatures: 2, outFeatures: 3, weight: Float32Array.from([1, 2, 3, 4, 5, 6]), bias: Float32Array.from([0.5, 0, -0.5]), skip: 'none' as const, alpha: null },
    { name: 'output', inFeatures: 3, outFeatures: 1, weight: Float32Array.from([1, -1, 0.25]), bias: Float32Array.from([0]), skip: 'none' as const, alpha: Float32Array.from([0.1]) },
  ];
  const records = [1, 2].map((epoch) => ({ epoch, trainLoss: 1 / epoch, testLoss: null, trainAccuracy: 0.5, testAccuracy: null }));
  const run = { spec: networkSpecOf(DEFAULT_STATE), settings: DEFAULT_STATE.settings, seed: 1, address: formatState(DEFAULT_STATE), every: 1, records, weights };

  it('recordsFile(run) holds the epoch records, the latest epoch and the weights as nested arrays [input][unit]', () => {
    const file = recordsFile(run);
    expect(file.records).toEqual(records);
    expect(file.epoch).toBe(2);
    expect(file.weights[0].weight).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(file.weights[1]).toMatchObject({ name: 'output', weight: [[1], [-1], [0.25]], bias: [0] });
    expect(file.weights[1].preluSlopes![0]).toBeCloseTo(0.1);
    expect(file.network).toBe('2 → 4 tanh → 2 tanh → 1 sigmoid');
  });

  it('recordsFile(run) round-trips through JSON, epoch 0 before any record', () => {
    const text = JSON.stringify(recordsFile({ ...run, records: [] }));
    expect(JSON.parse(text)).toMatchObject({ format: 'nnlab-playground-records', version: 1, epoch: 0, records: [], address: run.address });
  });
});
