/**
 * The messages between an experiment page and its training worker, in the vocabulary the
 * playground's protocol shares (`init`, `step`, `records`, `error`, and `run` on every message).
 *
 * The page starts a run with `init`, then asks for epochs: `step` advances exactly that many
 * epochs and pauses; `play` advances until `pause` (or the end), at most `epochsPerSecond` (0: as
 * fast as it can). The worker pulls the experiment's generator lazily, so between requests
 * nothing is computed. Every reply is `records`: the records of the epochs done since the last
 * one, the epoch now shown and the worker's state; or `error`. Heat-map values travel as typed
 * arrays whose buffers are transferred, not copied. Each message carries the page's `run`
 * number; a reply to an older run (before a reset) is ignored.
 *
 *     page → worker   { type: 'init', run: 1, command: 1, experiment: 'two-layer', config, seed: 1 }
 *     worker → page   { type: 'records', run: 1, command: 1, records: [start, epoch 0, snapshot 0], epoch: 0, state: 'paused' }
 *     page → worker   { type: 'step', run: 1, command: 2, epochs: 1 }
 *     worker → page   { type: 'records', run: 1, command: 2, records: [epoch 1], epoch: 1, state: 'paused' }
 */
import type { Config, HeatMap, LabRecord, SnapshotRecord } from '../../experiments/types.js';

/** `command` counts the page's messages, so the page can tell a reply that predates its latest request. */
export type ToWorker = { run: number; command: number } & (
  | { type: 'init'; experiment: string; config: Config; seed: number }
  | { type: 'step'; epochs: number }
  | { type: 'play'; epochsPerSecond: number }
  | { type: 'pause' }
  /** A finished run of a continuable experiment trains `epochs` more (then play or step as before). */
  | { type: 'continue'; epochs: number }
);

/** 'done' once the final record was sent; 'failed' after an error (the message says why). */
export type WorkerState = 'paused' | 'running' | 'done' | 'failed';

/** `command` is the latest command the worker had handled when it sent this. */
export type FromWorker =
  | { type: 'records'; run: number; command: number; records: WireRecord[]; epoch: number; state: Exclude<WorkerState, 'failed'> }
  | { type: 'error'; run: number; command: number; message: string };

/** A heat map whose values are a typed array (float32 when that loses nothing, else float64). */
export interface WireHeatMap extends Omit<HeatMap, 'values'> {
  values: Float32Array | Float64Array;
}

export interface WireSnapshot extends Omit<SnapshotRecord, 'maps'> {
  maps: WireHeatMap[];
}

/** A record as it crosses to the page: snapshots carry typed arrays, the rest is as yielded. */
export type WireRecord = Exclude<LabRecord, SnapshotRecord> | WireSnapshot;

/** The values as float32 if every one is a float32 already (tensors' default dtype), else float64. */
function packed(values: readonly number[]): Float32Array | Float64Array {
  const single = Float32Array.from(values);
  for (let i = 0; i < values.length; i++) if (single[i] !== values[i] && !Number.isNaN(values[i])) return Float64Array.from(values);
  return single;
}

/** toWire(record) is the record to post and the buffers to transfer with it. */
export function toWire(record: LabRecord): { record: WireRecord; transfer: ArrayBuffer[] } {
  if (record.kind !== 'snapshot') return { record, transfer: [] };
  const maps = record.maps.map((map) => ({ ...map, values: packed(map.values) }));
  return { record: { ...record, maps }, transfer: maps.map((map) => map.values.buffer as ArrayBuffer) };
}

/** fromWire(record) is the record as the experiment yielded it (plain number arrays again). */
export function fromWire(record: WireRecord): LabRecord {
  if (record.kind !== 'snapshot') return record;
  return { ...record, maps: record.maps.map((map) => ({ ...map, values: Array.from(map.values) })) };
}
