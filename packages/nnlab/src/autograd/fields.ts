/**
 * An op's named inputs (or gradients) as a record and as an array, converted by functions made
 * once per op for its names. Shared code that reads `record[names[i]]` sees every op's record
 * shape and V8's lookups there go megamorphic (measured a third of an eager XOR step); a
 * function per op reads fixed property names.
 */
import { canCompile } from './scalar.js';

export interface Fields {
  /** The record's values, in the order of the names. */
  read(record: object): unknown[];
  /** A record of the values by name (undefined values kept as keys: "absent"). */
  write(values: readonly unknown[]): Record<string, unknown>;
}

export function fieldsOf(names: readonly string[]): Fields {
  if (!canCompile()) {
    return {
      read: (record) => names.map((n) => (record as Record<string, unknown>)[n]),
      write: (values) => Object.fromEntries(names.map((n, k) => [n, values[k]])),
    };
  }
  const keys = names.map((n) => JSON.stringify(n));
  /* eslint-disable @typescript-eslint/no-implied-eval */
  return {
    read: new Function('r', `return [${keys.map((k) => `r[${k}]`).join(', ')}];`) as Fields['read'],
    write: new Function('v', `return { ${keys.map((k, i) => `${k}: v[${i}]`).join(', ')} };`) as Fields['write'],
  };
}
