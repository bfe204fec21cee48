/**
 * Counting what a call allocates, deterministically (no heap sampling): every Float32Array and
 * Float64Array created while it runs is counted, and one longer than the budget throws instead of
 * being allocated, so a test of a runaway allocation never makes one.
 */

export class OverBudget extends Error {}

export interface Allocations<T> {
  /** What the call returned, or undefined when it threw. */
  result?: T;
  error?: unknown;
  /** Elements of every float array created (those refused as over budget included). */
  elements: number;
}

export function countAllocations<T>(budget: number, run: () => T): Allocations<T> {
  const originals = { Float32Array: globalThis.Float32Array, Float64Array: globalThis.Float64Array };
  let elements = 0;
  const counting = <C extends Float32ArrayConstructor | Float64ArrayConstructor>(original: C): C => {
    const proxy: C = new Proxy(original, {
      construct(target, args: unknown[], newTarget) {
        const length = typeof args[0] === 'number' ? args[0] : Array.isArray(args[0]) || ArrayBuffer.isView(args[0]) ? (args[0] as ArrayLike<unknown>).length : 0;
        elements += length;
        if (length > budget) throw new OverBudget(`an array of ${length} elements, over the budget of ${budget}`);
        return Reflect.construct(target, args, newTarget === proxy ? target : newTarget) as object;
      },
    });
    return proxy;
  };
  globalThis.Float32Array = counting(originals.Float32Array);
  globalThis.Float64Array = counting(originals.Float64Array);
  try {
    return { result: run(), elements };
  } catch (error) {
    return { error, elements };
  } finally {
    Object.assign(globalThis, originals);
  }
}
