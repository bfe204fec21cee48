/** `toString()` for tensors: NumPy-like nested brackets, aligned columns, long axes elided. */
import type { FloatArray } from './dtype.js';
import { formatShape, sizeOf, stridesOf } from './shape.js';
import type { Shape } from './shape.js';

/** Above this many elements, each axis shows only its first and last EDGE_ITEMS entries. */
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e9)) return x.toExponential(4).replace(/\.?0+e/, 'e');
  // Four decimals, trailing zeros trimmed: 0.5 stays 0.5, 1/3 shows 0.3333.
  return x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

export function formatTensor(data: FloatArray, shape: Shape, dtype: string): string {
  const header = `Tensor(shape=${formatShape(shape)}, dtype=${dtype})`;
  return `${header}\n${formatValues(data, shape)}`;
}

export function formatValues(data: FloatArray, shape: Shape): string {
  if (shape.length === 0) return formatNumber(data[0]);
  const summarise = sizeOf(shape) > SUMMARY_THRESHOLD;
  const strides = stridesOf(shape);
  const cells: string[] = [];
  // First pass: collect the shown numbers so every column gets the same width.
  const collect = (axis: number, offset: number): void => {
    for (const i of shownIndices(shape[axis], summarise)) {
      if (i < 0) continue;
      const at = offset + i * strides[axis];
      if (axis === shape.length - 1) cells.push(formatNumber(data[at]));
      else collect(axis + 1, at);
    }
  };
  collect(0, 0);
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  let next = 0;
  const render = (axis: number, offset: number, indent: string): string => {
    const parts: string[] = [];
    for (const i of shownIndices(shape[axis], summarise)) {
      if (i < 0) {
        parts.push('...');
        continue;
      }
      const at = offset + i * strides[axis];
      parts.push(axis === shape.length - 1 ? cells[next++].padStart(width) : render(axis + 1, at, indent + ' '));
    }
    if (axis === shape.length - 1) return `[${parts.join(', ')}]`;
    const separator = ',' + '\n'.repeat(shape.length - 1 - axis) + indent + ' ';
    return `[${parts.join(separator)}]`;
  };
  return render(0, 0, '');
}

/** Indices shown along an axis; -1 marks the elision. */
function shownIndices(size: number, summarise: boolean): number[] {
  if (!summarise || size <= 2 * EDGE_ITEMS) return Array.from({ length: size }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}
