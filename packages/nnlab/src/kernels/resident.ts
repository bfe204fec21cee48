/**
 * Long-lived float32 buffers in the wasm kernels' memory where it pays (runs in Node and
 * browsers): a captured step's buffers, an optimiser's parameters and state, an eager backward
 * plan's scratch. The kernels read and write them in place instead of copying them in and out;
 * elsewhere (wasm off, no shared memory, small arrays) they are ordinary arrays, with the same
 * numbers.
 */
import { allocate } from '../tensor/dtype.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import { residentArray } from './backend.js';
import { WASM_MIN_WORK } from './gemm.js';

/**
 * Smaller arrays stay ordinary: they only meet the JS loops (a tiny net's products run below
 * WASM_MIN_WORK multiply-adds), and a resident block costs at least a 64-byte line.
 */
export const RESIDENT_MIN = WASM_MIN_WORK;

/** A zeroed float32 array of `length` values, resident when large enough and possible. */
function residentOrPlain(length: number): Float32Array {
  return (length >= RESIDENT_MIN ? residentArray(length) : null) ?? new Float32Array(length);
}

/** A zeroed buffer of `size` values of `dtype`: resident when float32 and large enough (residentOrPlain). */
export function residentBuffer(dtype: DType, size: number): FloatArray {
  return dtype === 'float32' ? residentOrPlain(size) : allocate(dtype, size);
}
