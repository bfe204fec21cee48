/** The two element types nnlab stores: float32 (the default) and float64 (for gradient checks). */

export type DType = 'float32' | 'float64';
/** The storage of a tensor's values: Float32Array for float32, Float64Array for float64. */
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64'];

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** Mixed operands compute in float64, as NumPy promotes float32 with float64. */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

export function checkDType(op: string, dtype: string): DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    const shown: string = typeof dtype === 'string' ? `'${dtype}'` : dtype === null ? 'null' : typeof dtype;
    throw new Error(`${op}: dtype must be 'float32' or 'float64', got ${shown}`);
  }
  return dtype;
}

/**
 * target.set(source), by a loop for a few values: for a small net's inputs, fed every step, the
 * call of `set` costs more than the copy. Any other array-like goes to `set`.
 */
export function copyInto(target: FloatArray, source: ArrayLike<number>): void {
  const n = source.length;
  if (n > 64 || !ArrayBuffer.isView(source)) {
    target.set(source);
    return;
  }
  for (let i = 0; i < n; i++) target[i] = source[i];
}
