/**
 * What the page keeps of a run as its batches arrive: every record (for export), the error
 * series (for the curve), the latest snapshot (for the heat maps) and the final record.
 *
 * Snapshots are the bulky part (a map per unit per snapshot), so past `snapshotBudget` stored
 * heat-map values the oldest intermediate snapshots are let go; the first and the latest stay.
 */
import type { EpochRecord, FigureRecord, FinalRecord, LabRecord, StartRecord } from '../../experiments/types.js';
import { seriesLabel } from '../../experiments/summary.js';
import { fromWire, type WireRecord, type WireSnapshot } from './protocol.js';

/** 16 million values: 64 MB of float32 heat maps (a 50×50 Output map for 6,400 snapshots). */
export const SNAPSHOT_BUDGET = 16_000_000;

export interface ErrorSeriesLog {
  label: string;
  epochs: number[];
  errors: number[];
}

export class RunLog {
  /** Every record received, in order; a snapshot let go leaves `undefined` behind. */
  private readonly records: (WireRecord | undefined)[] = [];
  /** Indices in `records` of the stored snapshots, oldest first. */
  private readonly snapshots: number[] = [];
  private snapshotValues = 0;
  private readonly budget: number;

  start: StartRecord | undefined;
  final: FinalRecord | undefined;
  snapshot: WireSnapshot | undefined;
  /** The latest figure of each name, in the order the names first arrived. */
  private readonly figureByName = new Map<string, FigureRecord>();
  /** Counts figure records received, so a view knows when to redraw them. */
  figureVersion = 0;
  /** Error series by name, 'train' first. */
  readonly series = new Map<string, ErrorSeriesLog>();
  /** Records received, including snapshots let go. */
  count = 0;
  droppedSnapshots = 0;

  constructor(snapshotBudget = SNAPSHOT_BUDGET) {
    this.budget = snapshotBudget;
  }

  /** The epoch a continued run now trains to (see extendTo); undefined: the start record's. */
  private extendedTo: number | undefined;

  /** The run's last epoch: the start record's, or what a continuation extended it to. */
  get lastEpoch(): number {
    return this.extendedTo ?? this.start?.epochs ?? 0;
  }

  /** The finished run goes on to `epochs`: its final record is history until the new one arrives. */
  extendTo(epochs: number): void {
    this.extendedTo = epochs;
    this.final = undefined;
  }

  get figures(): FigureRecord[] {
    return [...this.figureByName.values()];
  }

  /** The latest epoch of the main ('train') series, 0 before any. */
  get epoch(): number {
    const train = this.series.get('train');
    return train === undefined || train.epochs.length === 0 ? 0 : train.epochs[train.epochs.length - 1];
  }

  /** The latest training error, undefined before any (and for runs without training). */
  get error(): number | undefined {
    const train = this.series.get('train');
    return train === undefined || train.errors.length === 0 ? undefined : train.errors[train.errors.length - 1];
  }

  add(records: readonly WireRecord[]): void {
    for (const record of records) {
      this.count++;
      this.records.push(record);
      switch (record.kind) {
        case 'start': this.start = record; break;
        case 'figure':
          this.figureByName.set(record.name, record);
          this.figureVersion++;
          break;
        case 'final': this.final = record; break;
        case 'epoch': this.addEpoch(record); break;
        case 'snapshot': this.addSnapshot(record); break;
      }
    }
  }

  private addEpoch(record: EpochRecord): void {
    let log = this.series.get(record.series);
    if (log === undefined) this.series.set(record.series, (log = { label: seriesLabel(record.series, this.start?.mainSeries), epochs: [], errors: [] }));
    log.epochs.push(record.epoch);
    log.errors.push(record.error);
  }

  private addSnapshot(record: WireSnapshot): void {
    this.snapshot = record;
    this.snapshots.push(this.records.length - 1);
    this.snapshotValues += valuesOf(record);
    // Let go of the oldest but the first, never the latest.
    while (this.snapshotValues > this.budget && this.snapshots.length > 2) {
      const [index] = this.snapshots.splice(1, 1);
      this.snapshotValues -= valuesOf(this.records[index] as WireSnapshot);
      this.records[index] = undefined;
      this.droppedSnapshots++;
    }
  }

  /** The records as the experiment yielded them (heat maps as number arrays), for export. */
  toRecords(): LabRecord[] {
    const out: LabRecord[] = [];
    for (const record of this.records) if (record !== undefined) out.push(fromWire(record));
    return out;
  }
}

function valuesOf(snapshot: WireSnapshot): number {
  let count = 0;
  for (const map of snapshot.maps) count += map.values.length;
  return count;
}
