/**
 * The landing page's `virtual:nnlab-thumbnails` module as Vite's dev server and a build get it:
 * under the dev server each SVG is inline (a data: URL, there being no files to emit), in a
 * build a file of its own. Driven through the plugin's hooks with a cache whose key matches the
 * sources, so no figure is rendered here (the browser tests load the built page's thumbnails).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceHash, thumbnailsPlugin } from '../../lab/web/thumbnails/vite-plugin.js';
import type { Thumbnail, ThumbnailLink } from '../../lab/web/thumbnails/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nnlab-thumbnail-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An SVG with every character a URL or a JavaScript string must escape. */
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><text>a & b < "c" \'d\' # % ? é \\ ` ${x}</text></svg>';
const THUMBNAIL: Thumbnail = { experiment: 'two-layer', figure: 'output', title: 'Output', seed: 1, verdict: null, width: 40, height: 30, svg: SVG };

type Hooks = { configResolved(config: { command: string }): void; resolveId(id: string): string | undefined; load(this: unknown, id: string): Promise<string | undefined> };

async function moduleCode(command: 'serve' | 'build', emitted: { name: string; source: string }[] = []): Promise<string> {
  const cacheFile = join(dir, 'thumbnails-cache.json');
  writeFileSync(cacheFile, JSON.stringify({ hash: await sourceHash(ROOT), thumbnails: [THUMBNAIL] }));
  const plugin = thumbnailsPlugin({ root: ROOT, cacheFile }) as unknown as Hooks;
  plugin.configResolved({ command });
  const id = plugin.resolveId('virtual:nnlab-thumbnails');
  expect(id).toBeDefined();
  const context = { emitFile: (file: { name: string; source: string }) => (emitted.push(file), `ref${emitted.length}`) };
  const code = await plugin.load.call(context, id!);
  expect(code).toBeDefined();
  return code!;
}

describe('virtual:nnlab-thumbnails', () => {
  it('under the dev server: each thumbnail’s url is a data: URL of exactly its SVG, with its metadata', async () => {
    const code = await moduleCode('serve');
    const { default: links } = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { default: ThumbnailLink[] };
    expect(links).toHaveLength(1);
    const { url, ...meta } = links[0];
    const { svg: _svg, ...expected } = THUMBNAIL;
    expect(meta).toEqual(expected);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(SVG);
  });

  it('in a build: each SVG is emitted as a file and the url is that file’s', async () => {
    const emitted: { name: string; source: string }[] = [];
    const code = await moduleCode('build', emitted);
    expect(emitted).toEqual([expect.objectContaining({ name: 'thumbnail-two-layer.svg', source: SVG })]);
    expect(code).toContain('url: import.meta.ROLLUP_FILE_URL_ref1');
    expect(code).not.toContain('data:');
  });
});
