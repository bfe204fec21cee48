/**
 * Op attributes compared as values, for work recorded under some attributes and reused under
 * equal ones: an eager plan (eager-plan.ts) and a kept captured step (../capture/keep.ts).
 */

/**
 * Primitives by Object.is (NaN equals NaN; 0 and −0 differ, since they can give different
 * bits), plain arrays and plain objects of them element for element and key for key; anything
 * else (a function, a typed array, a class instance) must be the same object, since the
 * recorded work may hold it and read it each time. Written with loops, not Object.keys: an
 * eager op's call compares its attributes with its plan's every time.
 */
export function sameAttrs(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameAttrs(a[i], b[i])) return false;
    return true;
  }
  if (!isPlainRecord(a) || !isPlainRecord(b)) return false;
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(b, key) || !sameAttrs((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

/** An object literal or an object without a prototype (not a class instance, an array or a typed array). */
export function isPlainRecord(x: object): boolean {
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}
