// The resolve hook of record-loads.mjs.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.NNLAB_RECORD_LOADS) appendFileSync(process.env.NNLAB_RECORD_LOADS, `${resolved.url}\n`);
  return resolved;
}
