// Preloaded with `node --import <this file>`: appends the URL of every module the process
// resolves (ES modules and the packages they import) to the file named by NNLAB_RECORD_LOADS,
// one per line, so a test can tell what a command loaded. The hooks run on a thread of their own.
import { register } from 'node:module';

register(new URL('./record-loads-hooks.mjs', import.meta.url));
