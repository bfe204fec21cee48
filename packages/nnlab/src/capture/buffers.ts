/**
 * Where a captured step keeps its arrays (runs in Node and browsers): float32 buffers large
 * enough for the wasm kernels live in the kernels' own memory (a resident array, see
 * ../kernels/wasm/memory.ts), so that a product, the ReLU mask's backward and the SGD update
 * read and write them in place instead of copying each operand in and each result out at every
 * replay. Its parameters live there too (../optim/resident.ts): the Parameter tensors view those
 * arrays, so their values, read or saved after a step, are the updated ones. Where the engine has
 * no shared wasm memory (a page that is not cross-origin isolated), or wasm is off, these are
 * ordinary arrays and the kernels copy as before; the numbers are the same either way.
 */
import type { FloatArray } from '../tensor/dtype.js';
import { residentBuffer } from '../kernels/index.js';

export { keepResident } from '../optim/resident.js';

/** A copy of `data` in a step's buffer (residentBuffer: resident when float32 and large enough). */
export function stepCopy(data: FloatArray): FloatArray {
  const copy = residentBuffer(data instanceof Float32Array ? 'float32' : 'float64', data.length);
  copy.set(data);
  return copy;
}
