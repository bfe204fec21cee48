/**
 * Parameters and optimiser state resident in the wasm kernels' memory (runs in Node and
 * browsers; see ../kernels/wasm/memory.ts): a float32 parameter there is read in place by the
 * products that use it and updated in place by the wasm SGD update, instead of being copied in
 * and out at every step, which for a wide layer at a small batch costs more than the arithmetic.
 * The Parameter tensor keeps its identity and its values; only the array behind it moves. Where
 * the engine has no shared wasm memory, or wasm is off, nothing moves.
 */
import type { FloatArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { isResidentArray, RESIDENT_MIN, residentArray } from '../kernels/index.js';

/**
 * Moves each float32 parameter (of at least RESIDENT_MIN values) that is not resident yet into a
 * resident array, its values copied. Returns a check to call before using them: one whose array
 * was replaced since (by another call of this, after wasm was turned off and on, say) is moved
 * back, with its current values.
 */
export function keepResident(params: readonly Tensor[]): () => void {
  const moved: Tensor[] = [];
  const homes: FloatArray[] = [];
  for (const p of params) {
    if (!(p.data instanceof Float32Array) || p.size < RESIDENT_MIN) continue;
    if (!isResidentArray(p.data)) {
      const home = residentArray(p.size);
      if (home === null) continue;
      moveTo(p, home);
    }
    moved.push(p);
    homes.push(p.data);
  }
  return () => {
    for (let i = 0; i < moved.length; i++) if (moved[i].data !== homes[i]) moveTo(moved[i], homes[i]);
  };
}

function moveTo(p: Tensor, home: FloatArray): void {
  home.set(p.data);
  // NOTE: the one place a tensor's array is replaced: same length, dtype and values.
  (p as { data: FloatArray }).data = home;
}
