/**
 * pickPerRow: from each row of x [n, k], the entry in the column its index names,
 * out[r] = x[r, indices[r]]: cross entropy's −log p[label] before the minus sign.
 *
 * Why an op and not a gather at positions r·k + label: the labels are then an input of the graph
 * (a constant one: they get no gradient), not numbers read once in JavaScript, so a captured
 * training step (src/capture/) reads them again at every replay and minibatches can change them.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
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

const pickPerRowOp = defineOp<'x' | 'indices', undefined, Int32Array>({
  name: 'pickPerRow',
  inputs: ['x', 'indices'],
  constantInputs: ['indices'],
  forward: ({ x, indices }) => {
    const [n, k] = x.shape;
    const src = x.data;
    const labels = indices.data;
    // The flat positions, kept for backward: the indices tensor may change after this step.
    const positions = new Int32Array(n);
    const out = allocate(x.dtype, n);
    for (let r = 0; r < n; r++) {
      positions[r] = r * k + labels[r];
      out[r] = src[positions[r]];
    }
    return { out: new Tensor(out, [n]), saved: positions };
  },
  // Zero except at the picked entries (accumulated into zeros, as gather's backward does).
  backward: (dy, { inputs: { x }, saved: positions }) => {
    const dx = allocate(dy.dtype, x.size);
    const g = dy.data;
    for (let r = 0; r < positions.length; r++) dx[positions[r]] += g[r];
    return { x: new Tensor(dx, x.shape) };
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
