/**
 * Where a captured step keeps its arrays (runs in Node and browsers): float32 buffers large
 * enough for the wasm kernels live in the kernels' own memory (a resident array, see
 * ../kernels/wasm/memory.ts), so that a product, the ReLU mask's backward and the SGD update
 * read and write them in place instead of copying each operand in and each result out at every
 * replay. Its parameters move there too (`adoptParameters`): the Parameter tensors view the
 * step's arrays, so their values, read or saved after a step, are the updated ones. Where the
 * engine has no shared wasm memory (a page that is not cross-origin isolated), or wasm is off,
 * these are ordinary arrays and the kernels copy as before; the numbers are the same either way.
 */
import { allocate } from '../tensor/dtype.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { residentArray, WASM_MIN_WORK } from '../kernels/index.js';

/**
 * Smaller arrays stay ordinary: they only meet the JS loops (a tiny net's products run below
 * WASM_MIN_WORK multiply-adds), and a resident block costs at least a 64-byte line.
 */
const RESIDENT_MIN = WASM_MIN_WORK;

/** A zeroed buffer of `size` values for a captured step: resident when float32 and large enough. */
export function stepBuffer(dtype: DType, size: number): FloatArray {
  return (dtype === 'float32' && size >= RESIDENT_MIN ? residentArray(size) : null) ?? allocate(dtype, size);
}

/** A copy of `data` in a step buffer. */
export function stepCopy(data: FloatArray): FloatArray {
  const copy = stepBuffer(data instanceof Float32Array ? 'float32' : 'float64', data.length);
  copy.set(data);
  return copy;
}

/**
 * Moves float32 parameters into resident arrays (their values copied), and returns a check to
 * call before each replay: a parameter whose array was replaced since (another captured step
 * adopted it) is moved back, with its current values, so every step reads what the last one
 * wrote.
 */
export function adoptParameters(params: readonly Tensor[]): () => void {
  const adopted: Tensor[] = [];
  const homes: FloatArray[] = [];
  for (const p of params) {
    if (!(p.data instanceof Float32Array) || p.size < RESIDENT_MIN) continue;
    const home = residentArray(p.size);
    if (home === null) continue;
    moveTo(p, home);
    adopted.push(p);
    homes.push(home);
  }
  return () => {
    for (let i = 0; i < adopted.length; i++) if (adopted[i].data !== homes[i]) moveTo(adopted[i], homes[i]);
  };
}

function moveTo(p: Tensor, home: FloatArray): void {
  home.set(p.data);
  // NOTE: the one place a tensor's array is replaced: same length and dtype, same values.
  (p as { data: FloatArray }).data = home;
}
