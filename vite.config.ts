/**
 * Builds the lab's page (lab/web) into lab/dist/web, where the lab package ships it prebuilt:
 * `nnlab serve` (npm start) runs this build when the sources are newer than the output, then
 * serves only what it wrote.
 */
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig } from 'vite';
import { thumbnailsPlugin } from './lab/web/thumbnails/vite-plugin.js';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** Vite's logger, less one note a user cannot act on. */
const logger = createLogger('warn');
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  // Rolldown's note on which plugins took the build's time: the landing page's thumbnails take
  // seconds when their runs are not cached, as expected; nothing a user could act on.
  if (message.includes('[PLUGIN_TIMINGS]')) return;
  warn(message, options);
};

export default defineConfig({
  root: path('./lab/web'),
  // Relative asset URLs: the page works from any path it is served at.
  base: './',
  publicDir: false,
  logLevel: 'warn',
  customLogger: logger,
  resolve: {
    // The library imports itself by its package name, as its users do.
    alias: { nnlab: path('./packages/nnlab/src/index.ts') },
  },
  worker: { format: 'es' },
  // The landing page's thumbnails: figures of real runs, made at build time (cached under dist/).
  plugins: [thumbnailsPlugin({ root: path('./'), cacheFile: path('./dist/thumbnails-cache.json') })],
  build: {
    outDir: path('./lab/dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
