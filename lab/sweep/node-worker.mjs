// A worker thread starts without the parent's TypeScript loader: register tsx here (as
// bin/nnlab.js does for the main thread), then load the TypeScript worker. This works under the
// CLI and under vitest alike.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
await import('./node-worker.ts');
