#!/usr/bin/env node
// The nnlab command: runs the compiled CLI (dist/cli, JavaScript: no TypeScript loader). In the
// repository, where the TypeScript sources sit beside this file, a CLI or library build older
// than its sources is rebuilt first (lab/dev), so an edit shows at the next command without a
// manual build. An installed package has no sources and runs what it was packed with.
// Paths resolve from this file's real location (node follows the node_modules/.bin symlink),
// so the command works from any working directory.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../cli/main.ts', import.meta.url))) {
  const { cliBuildReason, libraryBuildReason } = await import('../dev/stale.mjs');
  if (libraryBuildReason() !== undefined || cliBuildReason() !== undefined) {
    const { buildStale } = await import('../dev/build.mjs');
    // Said on a terminal only: piped output (--json, the tests) stays the command's own.
    const say = (text) => process.stderr.isTTY && process.stderr.write(`nnlab: ${text}\n`);
    try {
      await buildStale({ say });
    } catch (error) {
      process.stderr.write(`nnlab: cannot build the command from its sources: ${error.message}\n`);
      process.exit(1);
    }
  }
}
await import('../dist/cli/nnlab.js');
