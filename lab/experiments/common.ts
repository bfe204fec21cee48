/** Options and helpers shared by the chapter's training experiments. */
import { grid2d, noGrad, tensor } from 'nnlab';
import type { Tensor, nn, NestedArray } from 'nnlab';
import type { DataPoint, HeatMap, OptionSpec, Prediction } from './types.js';
import type { Dataset } from '../datasets/gates.js';

export const epochsOption = (value: number): OptionSpec => ({ type: 'integer', default: value, min: 0, max: 1_000_000, help: 'full-batch training steps' });
export const learningRateOption = (value: number): OptionSpec => ({ type: 'number', default: value, min: 1e-6, max: 100, help: 'gradient-descent learning rate' });
export const reportEveryOption = (value: number): OptionSpec => ({
  type: 'integer',
  default: value,
  min: 1,
  max: 1_000_000,
  help: 'epochs between printed errors and heat-map snapshots',
});
export const resolutionOption: OptionSpec = { type: 'integer', default: 50, min: 2, max: 400, help: 'heat-map points per axis' };
export const initStdOption: OptionSpec = { type: 'number', default: 0.3, min: 0, max: 10, help: 'standard deviation of the normal initial weights' };

/** The grid the heat maps are evaluated on, cached per resolution. */
const grids = new Map<number, Tensor>();
export function gridOf(resolution: number): Tensor {
  let grid = grids.get(resolution);
  if (grid === undefined) {
    grid = grid2d({ resolution });
    grids.set(resolution, grid);
  }
  return grid;
}

/** Column `column` of a [n, k] tensor of values on the grid, as a heat map. */
export function heatMap(name: string, values: Tensor, column: number, resolution: number): HeatMap {
  const [rows, width] = values.shape;
  const out = new Array<number>(rows);
  for (let i = 0; i < rows; i++) out[i] = values.data[i * width + column];
  return { name, resolution, values: out };
}

export function parametersOf(model: nn.Module): Record<string, NestedArray> {
  return Object.fromEntries(model.namedParameters().map(([name, p]) => [name, p.toArray()]));
}

export function inputsOf(data: Dataset): Tensor {
  return tensor(data.inputs);
}

/** The model's outputs on every training input, next to the targets. */
export function predictionsOf(data: Dataset, predict: (x: Tensor) => Tensor): Prediction[] {
  const outputs = noGrad(() => predict(inputsOf(data)));
  const width = outputs.shape[1];
  return data.inputs.map((input, i) => ({
    input,
    target: data.targets[i],
    output: Array.from(outputs.data.subarray(i * width, (i + 1) * width)),
  }));
}

/** The training data as points for the start record (and the plots' overlays). */
export function dataPoints(data: Dataset): DataPoint[] {
  return data.inputs.map((input, i) => ({ input, target: data.targets[i] }));
}

/**
 * The options of the chapter's two-layer programs (03, 04, 06 and 07), with their shared
 * defaults: normal(0, 0.3) weights, learning rate 5, 2000 epochs, a report every 100.
 */
export function twoLayerOptions(hidden: number) {
  return {
    hidden: { type: 'integer', default: hidden, min: 1, max: 64, help: 'hidden units' } as OptionSpec,
    epochs: epochsOption(2000),
    learningRate: learningRateOption(5.0),
    initStd: initStdOption,
    reportEvery: reportEveryOption(100),
    resolution: resolutionOption,
  };
}
