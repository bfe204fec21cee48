/**
 * One Vite build of the page, run by build.ts in a process of its own (Node only, repository
 * only): Vite and Rollup leave a few hundred MB behind in the process that ran them, which
 * `nnlab serve` would otherwise keep for as long as it serves.
 *
 *     node lab/server/vite-build.mjs <vite.config.ts> <outDir>
 */
import { build } from 'vite';

const [configFile, outDir] = process.argv.slice(2);
await build({ configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
