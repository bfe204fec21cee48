/** Shapes, strides and NumPy broadcasting. Every shape in an error message is printed by `formatShape`. */

export type Shape = readonly number[];

/** `[2, 3]`, the form every error message uses. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides: the last axis is contiguous. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The shape two operands broadcast to, by NumPy's rule: align trailing axes; each pair of
 * sizes must be equal or one of them 1.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape, names: [string, string] = ['a', 'b']): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes cannot broadcast: ${names[0]} ${formatShape(a)} and ${names[1]} ${formatShape(b)} ` +
          `(axis ${i - rank} has sizes ${da} and ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Normalises an axis argument (negative counts from the end) and checks it against the tensor's
 * shape (or only its rank); pass the shape when there is one, so the error can print it.
 */
export function normalizeAxis(op: string, axis: number, shapeOrRank: Shape | number): number {
  const rank = typeof shapeOrRank === 'number' ? shapeOrRank : shapeOrRank.length;
  if (typeof axis !== 'number') throw new Error(`${op}: axis must be an integer, got ${axis === null ? 'null' : typeof axis === 'string' ? `the string '${axis}'` : typeof axis}`);
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const tensor = typeof shapeOrRank === 'number' ? `a rank-${rank} tensor` : `shape ${formatShape(shapeOrRank)}`;
    if (rank === 0) throw new Error(`${op}: ${tensor} has no axes, got axis ${axis}`);
    throw new Error(`${op}: axis must be an integer in [${-rank}, ${rank - 1}] for ${tensor}, got ${axis}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** `undefined` means every axis. Returns sorted, unique, non-negative axes. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, shapeOrRank: Shape | number): number[] {
  const rank = typeof shapeOrRank === 'number' ? shapeOrRank : shapeOrRank.length;
  if (axes === undefined) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new Error(`${op}: axes must be an integer or an array of integers, got ${axes === null ? 'null' : typeof axes === 'string' ? `the string '${axes}'` : typeof axes}`);
  }
  const list: readonly number[] = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, shapeOrRank)))];
  if (out.length !== list.length) {
    const tensor = typeof shapeOrRank === 'number' ? `a rank-${rank} tensor` : `shape ${formatShape(shapeOrRank)}`;
    throw new Error(`${op}: axes [${list.join(', ')}] name the same axis twice for ${tensor}`);
  }
  return out.sort((x, y) => x - y);
}

/** True when `small` equals the trailing axes of `full` and `full` has the whole of `small` repeated. */
export function isTrailingBroadcast(small: Shape, full: Shape): boolean {
  if (small.length === 0) return false;
  for (let i = 1; i <= small.length; i++) {
    if (small[small.length - i] !== full[full.length - i]) return false;
  }
  return true;
}

/** For each element of `full`, the flat index of the element of a `shape` tensor broadcast to it. */
export function broadcastIndex(shape: Shape, full: Shape): Int32Array {
  const size = sizeOf(full);
  const index = new Int32Array(size);
  const rank = full.length;
  const offset = rank - shape.length;
  const own = stridesOf(shape);
  // Stride 0 along axes this tensor is broadcast over.
  const strides = full.map((_, axis) => (axis < offset || shape[axis - offset] === 1 ? 0 : own[axis - offset]));
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < size; i++) {
    index[i] = at;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]++;
      at += strides[axis];
      if (counter[axis] < full[axis]) break;
      at -= strides[axis] * counter[axis];
      counter[axis] = 0;
    }
  }
  return index;
}
