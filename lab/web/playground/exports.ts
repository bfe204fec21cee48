/**
 * The playground's exports: the run's records (the losses and accuracies per epoch that the page
 * keeps for its curves, and the weights now) as JSON, and the output map with its points as PNG.
 * `recordsFile` is pure (tested in Node); `exportPanel` is the page's buttons.
 */
import { h } from '../dom.js';
import { canvasPng, saveBlob } from '../download.js';
import { panel } from './controls.js';
import type { TrainingSettings } from './settings.js';
import { describeSpec } from './spec.js';
import type { NetworkSpec } from './spec.js';
import type { EpochMetrics, LayerWeights } from './trainer.js';

export interface RunRecords {
  spec: NetworkSpec;
  settings: TrainingSettings;
  seed: number;
  /** The page's address query, which reproduces the data, the network and the run. */
  address: string;
  /** Epochs between kept records (the page thins long runs); the latest record is always kept. */
  every: number;
  records: readonly EpochMetrics[];
  weights: readonly LayerWeights[];
}

/** A layer's weights as JSON: `weight[i][j]` from input i to unit j. */
interface LayerJson {
  name: string;
  weight: number[][];
  bias: number[];
  skip: LayerWeights['skip'];
  preluSlopes: number[] | null;
}

export interface RecordsFile {
  format: 'nnlab-playground-records';
  version: 1;
  network: string;
  spec: NetworkSpec;
  settings: TrainingSettings;
  seed: number;
  address: string;
  epoch: number;
  recordEvery: number;
  records: EpochMetrics[];
  weights: LayerJson[];
}

/**
 * recordsFile(run) is the records download: the run's settings and address, its epoch records
 * and its weights, with `epoch` the latest record's (0 before any).
 */
export function recordsFile(run: RunRecords): RecordsFile {
  const layer = (w: LayerWeights): LayerJson => ({
    name: w.name,
    weight: Array.from({ length: w.inFeatures }, (_, i) => Array.from(w.weight.subarray(i * w.outFeatures, (i + 1) * w.outFeatures))),
    bias: Array.from(w.bias),
    skip: w.skip,
    preluSlopes: w.alpha === null ? null : Array.from(w.alpha),
  });
  return {
    format: 'nnlab-playground-records',
    version: 1,
    network: describeSpec(run.spec),
    spec: run.spec,
    settings: run.settings,
    seed: run.seed,
    address: run.address,
    epoch: run.records[run.records.length - 1]?.epoch ?? 0,
    recordEvery: run.every,
    records: [...run.records],
    weights: run.weights.map(layer),
  };
}

export interface ExportSource {
  /** The run's records and weights, or null before the network is set up. */
  run(): RunRecords | null;
  /** The output map as drawn, points and all. */
  outputCanvas: HTMLCanvasElement;
  epoch(): number;
}

/** The Export panel: the records as JSON (data-testid="export-records") and the output map as PNG ("export-output-png"). */
export function exportPanel(source: ExportSource): HTMLElement {
  const records = h('button', { type: 'button', 'data-testid': 'export-records' }, 'Records (JSON)');
  const output = h('button', { type: 'button', 'data-testid': 'export-output-png' }, 'Output map (PNG)');
  const error = h('p', { class: 'pg-error', role: 'alert', 'data-testid': 'export-error' });
  const stem = () => `nnlab-playground-epoch-${source.epoch()}`;
  records.addEventListener('click', () => {
    const run = source.run();
    if (run === null) return void (error.textContent = 'Nothing to export yet: the network is not set up; try again in a moment.');
    error.textContent = '';
    saveBlob(new Blob([JSON.stringify(recordsFile(run)) + '\n'], { type: 'application/json' }), `${stem()}-records.json`);
  });
  output.addEventListener('click', () => {
    const name = `${stem()}-output.png`;
    canvasPng(source.outputCanvas).then(
      (png) => {
        error.textContent = '';
        saveBlob(png, name);
      },
      (failure: unknown) => (error.textContent = `Not exported: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
  });
  return panel(
    'Export',
    'pg-export',
    h('p', { class: 'pg-help' }, 'The loss and accuracy of each epoch shown in the curves, with the weights now, as JSON; the output map as you see it, as PNG.'),
    h('div', { class: 'pg-row' }, records, output),
    error,
  );
}
