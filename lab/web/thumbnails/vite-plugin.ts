/**
 * A Vite plugin that gives the landing page its thumbnails as `virtual:nnlab-thumbnails`: a
 * list of ThumbnailLink, each SVG a file of the build (a data: URL under Vite's dev server).
 * The figures come from real runs (render.ts, run in a child Node with tsx, since the lab's
 * TypeScript is not loadable by Vite's config loader), about 10 s of CPU, so they are kept in
 * dist/thumbnails-cache.json under a hash of every file render.ts runs (as a bundler resolves its
 * imports): rebuilding after a change to the page alone reuses them. Node only (build time).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { PluginBuild } from 'esbuild';
import type { Plugin } from 'vite';
import type { Thumbnail } from './types.js';

const MODULE = 'virtual:nnlab-thumbnails';
const RESOLVED = `\0${MODULE}`;

/** Files outside render.ts's imports that decide its output: the installed packages and the compiler settings. */
const INPUT_FILES = ['package-lock.json', 'tsconfig.json'];
const RENDER = 'lab/web/thumbnails/render.ts';

/**
 * Every source file render.ts runs, found as esbuild finds them when bundling it (the packages
 * left out: package-lock.json stands for them): exactly what the figures and verdicts depend on,
 * wherever in src/ or lab/ it lives, and nothing the page alone uses.
 */
async function renderInputs(root: string): Promise<string[]> {
  // Packages stay out (package-lock.json stands for them), but for 'nnlab' itself: the library's source.
  const packagesOut = { name: 'packages-out', setup(b: PluginBuild) { b.onResolve({ filter: /^[^./]/ }, (args) => (args.path === 'nnlab' ? undefined : { path: args.path, external: true })); } };
  const { metafile } = await build({ entryPoints: [join(root, RENDER)], absWorkingDir: root, bundle: true, platform: 'node', format: 'esm', plugins: [packagesOut], write: false, metafile: true, logLevel: 'silent' });
  return Object.keys(metafile.inputs);
}

/** sourceHash(root): a hash of the contents (and names) of every file the thumbnails depend on. */
export async function sourceHash(root: string): Promise<string> {
  const files = [...new Set([...(await renderInputs(root)), ...INPUT_FILES])].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(await readFile(join(root, file)).catch(() => Buffer.alloc(0))).update('\0');
  return hash.digest('hex');
}

/** The thumbnails for the sources under `root`: from the cache when its hash matches, else rendered (and cached). */
export async function thumbnails(root: string, cacheFile: string): Promise<Thumbnail[]> {
  const hash = await sourceHash(root);
  const cached = await readFile(cacheFile, 'utf8').then((text) => JSON.parse(text) as { hash: string; thumbnails: Thumbnail[] }, () => undefined);
  if (cached?.hash === hash) return cached.thumbnails;
  const unique = `${process.pid}-${Date.now()}`;
  const out = `${cacheFile}.${unique}.out`;
  await mkdir(join(cacheFile, '..'), { recursive: true });
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'lab/web/thumbnails/render.ts'), out], { cwd: root, maxBuffer: 16 << 20 });
    const rendered = JSON.parse(await readFile(out, 'utf8')) as Thumbnail[];
    // Written beside the cache and renamed over it, so two builds at once never read half a file.
    await writeFile(`${cacheFile}.${unique}`, JSON.stringify({ hash, thumbnails: rendered }));
    await rename(`${cacheFile}.${unique}`, cacheFile);
    return rendered;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`thumbnails: rendering the landing page's figures failed (${relative(root, join(root, 'lab/web/thumbnails/render.ts'))})${stderr ? `:\n${stderr}` : `: ${String(error)}`}`);
  } finally {
    await rm(out, { force: true });
  }
}

export function thumbnailsPlugin(options: { root: string; cacheFile: string }): Plugin {
  let building = false;
  return {
    name: 'nnlab-thumbnails',
    configResolved(config) {
      building = config.command === 'build';
    },
    resolveId(id) {
      return id === MODULE ? RESOLVED : undefined;
    },
    async load(id) {
      if (id !== RESOLVED) return undefined;
      const list = await thumbnails(options.root, options.cacheFile);
      const entries = list.map(({ svg, ...meta }) => {
        // In a build each SVG is a file of its own (hashed name, cached by the browser); the dev server has no files to emit.
        const url = building
          ? `import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name: `thumbnail-${meta.experiment}.svg`, source: svg })}`
          : JSON.stringify(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
        return `{ ...${JSON.stringify(meta)}, url: ${url} }`;
      });
      return `export default [\n${entries.join(',\n')}\n];\n`;
    },
  };
}
