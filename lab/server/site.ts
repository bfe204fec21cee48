/**
 * The lab as a static site: the page nnlab serve builds, plus what a static host needs beside
 * it, in one folder to upload. Asset URLs are relative (vite.config.ts's base './'), so the
 * folder works at any path (a GitHub project page, a university home directory). Node only.
 */
import { existsSync } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PROJECT_ROOT } from './build.js';
import { headersFile } from './headers.js';

/** Where `npm run build:site` writes when not told. */
export const SITE_OUT = join(PROJECT_ROOT, 'dist', 'site');

/** The files written beside the page, by name. */
export const SITE_EXTRAS: Readonly<Record<string, string>> = {
  // Netlify and Cloudflare Pages send these headers (cross-origin isolation: threads); hosts that
  // cannot send headers serve the file as a file, and the page runs on one thread.
  _headers: headersFile(),
  // GitHub Pages runs Jekyll over a folder without this file, and Jekyll drops files whose names
  // start with '_' (`_headers`, and any chunk the bundler happens to name so).
  '.nojekyll': '',
};

/** Whether `dir` may be replaced: it does not exist, is empty, or holds a site built here. */
async function replaceable(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return true;
  const entries = await readdir(dir).catch(() => undefined);
  if (entries === undefined) return false;
  return entries.length === 0 || (entries.includes('index.html') && entries.includes('_headers'));
}

/** Builds started by this process, for unique scratch names. */
let builds = 0;

/**
 * buildSite(out) writes the lab's static site into the folder `out`, replacing a site built
 * there before. Refuses a folder that holds anything else, so a mistyped path never empties a
 * folder of yours. The site is built beside `out` and renamed into place: never half a site.
 */
export async function buildSite(out: string = SITE_OUT): Promise<void> {
  if (!(await replaceable(out))) {
    throw new Error(`build:site: ${out} is not empty and holds no site built before (no index.html and _headers); give an empty or new folder`);
  }
  const unique = `${process.pid}-${Date.now()}-${++builds}`;
  const fresh = join(dirname(out), `.${basename(out)}-new-${unique}`);
  const old = join(dirname(out), `.${basename(out)}-old-${unique}`);
  try {
    const { build } = await import('vite');
    await build({ configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
    for (const [name, text] of Object.entries(SITE_EXTRAS)) await writeFile(join(fresh, name), text);
    await rename(out, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(fresh, out);
  } finally {
    await rm(fresh, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}
