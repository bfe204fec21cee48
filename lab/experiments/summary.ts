/**
 * The one JSON document a run reduces to (`nnlab run … --json`):
 * { experiment, seed, config, history: [{epoch, error}], final: {error, predictions, parameters}, … }
 * plus what the experiment adds (comparison series, figures (the latest of each name), the last snapshot).
 */
import type { EpochRecord, FigureRecord, FinalRecord, LabRecord, SnapshotRecord, StartRecord } from './types.js';

export interface RunSummary {
  experiment: string;
  seed: number;
  config: StartRecord['config'];
  errorLabel?: string;
  /** What the main ('train') series is, when the run names it (see StartRecord). */
  mainSeries?: string;
  /** The main run's error after each epoch (epoch 0: before training). */
  history: { epoch: number; error: number }[];
  /** Other series by name (e.g. 'no dropout'), same form as history. */
  comparisons?: Record<string, { epoch: number; error: number }[]>;
  final: Omit<FinalRecord, 'kind'>;
  /** The last snapshot's heat maps and decision lines. */
  snapshot?: Omit<SnapshotRecord, 'kind'>;
  figures?: Omit<FigureRecord, 'kind'>[];
}

/** A series as legends and tables name it: the main 'train' series by the run's `mainSeries`, if any. */
export function seriesLabel(series: string, mainSeries?: string): string {
  return series === 'train' && mainSeries !== undefined ? mainSeries : series;
}

export function summarize(records: Iterable<LabRecord>): RunSummary {
  let start: StartRecord | undefined;
  let final: FinalRecord | undefined;
  let snapshot: SnapshotRecord | undefined;
  const series = new Map<string, EpochRecord[]>();
  // A figure re-yielded under the same name replaces the earlier one, keeping its place.
  const figures = new Map<string, FigureRecord>();
  for (const record of records) {
    switch (record.kind) {
      case 'start': start = record; break;
      case 'epoch': {
        const list = series.get(record.series) ?? [];
        list.push(record);
        series.set(record.series, list);
        break;
      }
      case 'snapshot': snapshot = record; break;
      case 'figure': figures.set(record.name, record); break;
      case 'final': final = record; break;
    }
  }
  if (start === undefined || final === undefined) throw new Error('summarize: a run must yield a start and a final record');
  const points = (list: EpochRecord[] = []) => list.map(({ epoch, error }) => ({ epoch, error }));
  const summary: RunSummary = {
    experiment: start.experiment,
    seed: start.seed,
    config: start.config,
    history: points(series.get('train')),
    final: { error: final.error, predictions: final.predictions, parameters: final.parameters, ...(final.extra ? { extra: final.extra } : {}) },
  };
  if (start.errorLabel !== undefined) summary.errorLabel = start.errorLabel;
  if (start.mainSeries !== undefined) summary.mainSeries = start.mainSeries;
  const others = [...series.keys()].filter((name) => name !== 'train');
  if (others.length > 0) summary.comparisons = Object.fromEntries(others.map((name) => [name, points(series.get(name))]));
  if (snapshot !== undefined) {
    const { kind: _kind, ...rest } = snapshot;
    summary.snapshot = rest;
  }
  if (figures.size > 0) summary.figures = [...figures.values()].map(({ kind: _kind, ...rest }) => rest);
  return summary;
}
