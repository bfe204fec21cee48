#!/usr/bin/env node
// The nnlab command: runs the TypeScript CLI through tsx, so `npx nnlab` needs no build step.
// Paths resolve from this file's real location (node follows the node_modules/.bin symlink),
// so the command works from any working directory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
register({ tsconfig: existsSync(tsconfig) ? tsconfig : false });
await import('../cli/main.ts');
