/**
 * A run's figures from its records: the last snapshot's heat maps, the error curve, every figure
 * record. Node (CLI, report) and browser (the experiment pages, their downloads).
 */
import type { DataPoint, DecisionLine, FigureRecord, HeatMap, LabRecord, SnapshotRecord, StartRecord } from '../experiments/types.js';
import { seriesLabel } from '../experiments/summary.js';
import { errorCurveSvg, type ErrorSeries } from './error-curve.js';
import { heatMapFigureSvg, type HeatMapPanel } from './heatmap.js';
import type { Palette } from './palette.js';
import { panelsSvg } from './panels.js';

export interface Figure {
  /** The file-name stem: 'output', 'hidden', 'error', or a figure record's name. */
  name: string;
  title: string;
  svg: string;
}

const isOutput = (map: Pick<HeatMap, 'name'>) => map.name.startsWith('Output');

/** The class of a target: its index for one-hot vectors, else its single value. */
function classOf(target: readonly number[]): number {
  if (target.length === 1) return target[0];
  return target.indexOf(Math.max(...target));
}

/**
 * The data points as drawn on `map`, their fill a value in [0, 1]. With more than two classes
 * the map 'Output k' shows "class k or not"; other maps shade the classes from 0 to 1.
 */
export function pointsFor(map: Pick<HeatMap, 'name'>, data: readonly DataPoint[]): DataPoint[] {
  const classes = data.map((p) => classOf(p.target));
  const count = Math.max(2, ...classes.map((c) => c + 1));
  if (count <= 2 && data.every((p) => p.target.length === 1)) return [...data];
  const k = /^Output (\d+)$/.exec(map.name);
  return data.map((p, i) => ({
    input: p.input,
    target: [k === null ? classes[i] / (count - 1) : Number(classes[i] === Number(k[1]))],
  }));
}

/** Output maps get every decision line; a hidden unit's map gets the line of the same name. */
export function linesFor(map: Pick<HeatMap, 'name'>, lines: readonly DecisionLine[]): DecisionLine[] {
  return isOutput(map) ? [...lines] : lines.filter((line) => line.name === map.name);
}

function lastSnapshot(records: readonly LabRecord[]): SnapshotRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i];
    if (record.kind === 'snapshot') return record;
  }
  return undefined;
}

function errorSeries(records: readonly LabRecord[], mainSeries?: string): ErrorSeries[] {
  const bySeries = new Map<string, ErrorSeries['points']>();
  for (const record of records) {
    if (record.kind !== 'epoch') continue;
    let points = bySeries.get(record.series);
    if (points === undefined) bySeries.set(record.series, (points = []));
    points.push({ epoch: record.epoch, error: record.error });
  }
  return [...bySeries].map(([series, points]) => ({ label: seriesLabel(series, mainSeries), points }));
}

/**
 * figuresOf(records, { palette }?) is every figure of a run, in order: 'output' (the last
 * snapshot's Output maps, small multiples if several, with decision lines and data points),
 * 'hidden' (every other map), 'error' (all epoch series) and one per figure name (its latest record).
 */
export function figuresOf(records: readonly LabRecord[], options: { palette?: Palette } = {}): Figure[] {
  const start = records.find((r): r is StartRecord => r.kind === 'start');
  const snapshot = lastSnapshot(records);
  const data = start?.data ?? [];
  const figures: Figure[] = [];

  if (snapshot !== undefined) {
    const panelOf = (map: HeatMap): HeatMapPanel => ({ map, lines: linesFor(map, snapshot.lines ?? []), points: pointsFor(map, data) });
    const groups = [
      { name: 'output', heading: 'Output', maps: snapshot.maps.filter(isOutput), maxRow: 2 },
      { name: 'hidden', heading: 'Hidden units', maps: snapshot.maps.filter((m) => !isOutput(m)), maxRow: 4 },
    ];
    for (const { name, heading, maps, maxRow } of groups) {
      if (maps.length === 0) continue;
      const title = `${heading} after ${snapshot.epoch} epochs`;
      const columns = Math.min(maxRow, maps.length);
      figures.push({ name, title, svg: heatMapFigureSvg(maps.map(panelOf), { palette: options.palette, title, idPrefix: name, columns }) });
    }
  }

  const series = errorSeries(records, start?.mainSeries);
  if (series.length > 0) {
    const title = 'Error progress';
    figures.push({ name: 'error', title, svg: errorCurveSvg(series, { yLabel: start?.errorLabel ?? 'error', title, scale: start?.errorScale }) });
  }

  for (const record of latestFigures(records)) figures.push({ name: record.name, title: record.title, svg: panelsSvg(record) });
  return figures;
}

/**
 * The figure records of a run, the latest of each name (a run re-yields a figure as training
 * goes on), in the order the names first appeared.
 */
export function latestFigures(records: readonly LabRecord[]): FigureRecord[] {
  const byName = new Map<string, FigureRecord>();
  for (const record of records) if (record.kind === 'figure') byName.set(record.name, record);
  return [...byName.values()];
}
