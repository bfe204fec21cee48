/**
 * `nnlab serve [--port 5178] [--host 127.0.0.1]` (and `npm start`): in the repository, builds
 * the browser lab if it is missing or older than its sources; installed, serves the page the
 * package came with. Then serves it until Ctrl+C or SIGTERM.
 */
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join, relative } from 'node:path';
import { FROM_SOURCES, LAB_ROOT } from '../../location.js';
import { lanUrls } from '../../server/addresses.js';
import { buildPage, buildReason, WEB_OUT } from '../../server/build.js';
import { serveDirectory } from '../../server/server.js';

export interface ServeOptions {
  port: number;
  host: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/** Builds the page when its sources changed; an installed lab has no sources, only its prebuilt page. */
async function preparePage(): Promise<void> {
  if (!FROM_SOURCES) {
    if (!existsSync(join(WEB_OUT, 'index.html'))) throw new Error(`the page is missing from this installation (no ${join(WEB_OUT, 'index.html')}): its package was packed without it`);
    return;
  }
  const reason = await buildReason();
  if (reason === undefined) return;
  const started = Date.now();
  process.stdout.write(`nnlab: building the page (${reason === 'missing' ? 'not built yet' : 'sources changed'})…\n`);
  await buildPage();
  process.stdout.write(`nnlab: built lab/${relative(LAB_ROOT, WEB_OUT)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

export async function serveCommand(options: ServeOptions): Promise<void> {
  await preparePage();
  const served = await serveDirectory(WEB_OUT, options).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new Error(`port ${options.port} on ${options.host} is in use: choose another with --port, or --port 0 for any free one`);
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') throw new Error(`cannot listen on host ${options.host}: it is not an address of this machine`);
    if (error.code === 'EACCES') throw new Error(`not allowed to listen on port ${options.port}: choose a port above 1023`);
    throw error;
  });
  if (!LOOPBACK.test(options.host)) {
    const urls = lanUrls(options.host, Number(new URL(served.url).port), networkInterfaces());
    process.stdout.write(`nnlab: warning: with --host ${options.host} anyone on this network can open the lab\n`);
    process.stdout.write(
      urls.length === 0
        ? `nnlab: no network address of this machine found for --host ${options.host}\n`
        : `nnlab: a class opens it at:\n${urls.map((url) => `  ${url}\n`).join('')}`,
    );
  }
  // Listen for the signals before printing the address: whoever reads it may stop us at once.
  // The first one closes the server; a second one, while it closes, ends the process.
  let signals = 0;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      if (++signals > 1) process.exit(130);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write(`nnlab: serving the lab at ${served.url} (Ctrl+C stops)\n`);
  await stopped;
  await served.close();
  process.stdout.write('nnlab: stopped\n');
}
