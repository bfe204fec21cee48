// A sweep's worker thread when the lab runs from source (vitest, tsx): a worker starts without
// the parent's TypeScript loader, so register tsx here, then load the TypeScript worker. The
// compiled CLI (lab/dist/cli) starts its own compiled node-worker.js instead (see pool.ts).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
await import('./node-worker.ts');
