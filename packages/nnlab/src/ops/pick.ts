/**
 * pickPerRow: from each row of x [n, k], the entry in the column its index names,
 * out[r] = x[r, indices[r]]: cross entropy's −log p[label] before the minus sign.
 *
 * Why an op and not a gather at positions r·k + label: the labels are then an input of the graph
 * (a constant one: they get no gradient), not numbers read once in JavaScript, so a captured
 * training step (src/capture/) reads them again at every replay and minibatches can change them.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { FloatArray } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { defineOp } from '../autograd/op.js';

/** The error for a label that is not a class index; `where` says whose label it is (e.g. " of input 't'"). */
export function classIndexError(op: string, value: number, row: number, classes: number, where = ''): Error {
  return new Error(`${op}: target ${value} at row ${row}${where} is not a class index in [0, ${classes - 1}]`);
}

/** Throws for the first value that is not an integer in [0, classes), naming its row. */
export function checkClassIndices(op: string, values: ArrayLike<number>, classes: number): void {
  for (let row = 0; row < values.length; row++) {
    const c = values[row];
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw classIndexError(op, c, row, classes);
  }
}

/**
 * out[r] = x[r, labels[r]] for x [n, classes], checking each label as it is read (in a captured
 * step the labels may be an input that changed), and keeping the flat positions for backward.
 */
function pickRows(x: FloatArray, labels: FloatArray, out: FloatArray, positions: Int32Array, classes: number, caller: string, where: string): void {
  for (let r = 0; r < positions.length; r++) {
    const c = labels[r];
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw classIndexError(caller, c, r, classes, where);
    positions[r] = r * classes + c;
    out[r] = x[positions[r]];
  }
}

/** Zero except at the picked entries (accumulated into zeros, as gather's backward does). */
function pickRowsGrad(g: FloatArray, dx: FloatArray, positions: Int32Array): void {
  dx.fill(0);
  for (let r = 0; r < positions.length; r++) dx[positions[r]] += g[r];
}

const pickPerRowOp = defineOp<'x' | 'indices', undefined, Int32Array>({
  name: 'pickPerRow',
  inputs: ['x', 'indices'],
  constantInputs: ['indices'],
  kernel: {
    shape: ({ x }) => [x.shape[0]],
    // The flat positions, kept for backward: the indices tensor may change after this step.
    saved: ({ x }) => new Int32Array(x.shape[0]),
    forward: (k, { x, indices }, out, _attrs, positions) => {
      const where = indices.input === undefined ? '' : ` of input '${indices.input}'`;
      k.call(pickRows, [x, indices, out, positions, x.shape[1], k.caller, where]);
    },
    backward: (k, dy, { grads: { x: dx }, saved: positions }) => {
      if (dx !== undefined) k.call(pickRowsGrad, [dy, dx, positions]);
    },
  },
});

/**
 * x[r, indices[r]] for each row r of x [n, k]; `indices` is a tensor [n] of integers in [0, k).
 * `op` names the caller in errors.
 */
export function pickPerRow(x: Tensor, indices: Tensor, op = 'pickPerRow'): Tensor {
  if (x.rank !== 2) throw new Error(`${op}: expected a matrix [n, classes], got ${formatShape(x.shape)}`);
  if (indices.rank !== 1 || indices.size !== x.shape[0]) {
    throw new Error(`${op}: expected ${x.shape[0]} class indices (one per row of ${formatShape(x.shape)}), got ${formatShape(indices.shape)}`);
  }
  checkClassIndices(op, indices.data, x.shape[1]);
  return pickPerRowOp({ x, indices }, undefined);
}
