/**
 * The lab as a static site (`npm run build:site`) in a real browser (Debian's Chromium). The
 * folder is served as a GitHub project page is, under a sub-path and by a plain file server
 * that sends no headers but the content type: every page loads everything it asks for from
 * the folder with no console error, single-threaded (not cross-origin isolated), and trains.
 * Served again with the headers its `_headers` file names, as Netlify would, the page is
 * cross-origin isolated.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { experiments } from '../../lab/experiments/index.js';
import { SECURITY_HEADERS } from '../../lab/server/headers.js';
import { serveFolder } from './file-server.js';
import type { FileServer } from './file-server.js';
import { ROOT, WAIT_MS, hasBrowser, hook, launchBrowser, nextFrame, screenshot, settled, watchErrors } from './harness.js';

/** Where the folder is served, as a GitHub project page is served at /<repository>/. */
const MOUNT = '/nnlab-lab/';

/**
 * The `_headers` file's rules: for each path pattern, its headers. Lines starting with '#' are
 * comments; a pattern starts at the line's first column, its headers are indented below it.
 */
function parseHeadersFile(text: string): Record<string, Record<string, string>> {
  const rules: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      current = rules[line.trim()] = {};
      continue;
    }
    const colon = line.indexOf(':');
    if (current === undefined || colon === -1) throw new Error(`_headers: a header outside a rule or without a colon: ${line}`);
    current[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return rules;
}

/** Every request a page makes that fails or is answered with an error status, by URL. */
function watchFailedRequests(page: Page): string[] {
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.url()}: ${response.status()}`);
  });
  return failed;
}

/** Every page of the lab: the landing page, the playground, the sweep page and each experiment. */
const PAGES = ['', '?page=playground', '?page=sweep', ...experiments.map((e) => `?page=${e.name}`)];

describe.skipIf(!hasBrowser)('the lab as a static site (npm run build:site)', () => {
  let dir = '';
  let site = '';
  let plain: FileServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nnlab-site-'));
    site = join(dir, 'site');
    execFileSync('npm', ['run', '--silent', 'build:site', '--', site], { cwd: ROOT, stdio: 'pipe' });
    plain = await serveFolder(site, { mount: MOUNT });
    browser = await launchBrowser();
  }, 5 * WAIT_MS);

  afterAll(async () => {
    await browser?.close();
    await plain?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function open(server: FileServer, query: string): Promise<{ page: Page; errors: string[]; failed: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    const errors = watchErrors(page);
    const failed = watchFailedRequests(page);
    await page.goto(`${server.url}${query}`);
    await page.waitForFunction(() => window.__nnlab !== undefined);
    return { page, errors, failed };
  }

  const isolated = (page: Page) => page.evaluate(() => window.crossOriginIsolated);

  it('the folder holds the page, its assets, a _headers file with the lab server’s headers, and .nojekyll', async () => {
    const names = await readdir(site);
    expect(names.sort()).toEqual(['.nojekyll', '_headers', 'assets', 'index.html']);
    expect(parseHeadersFile(await readFile(join(site, '_headers'), 'utf8'))).toEqual({ '/*': SECURITY_HEADERS });
    // Nothing the page loads is addressed from the host's root: the folder works at any path.
    expect(await readFile(join(site, 'index.html'), 'utf8')).not.toMatch(/(src|href)="\//);
  });

  it.each(PAGES)('served without headers, page %s loads everything from the folder with no console error, not cross-origin isolated', async (query) => {
    const { page, errors, failed } = await open(plain!, query);
    await settled(page);
    const name = query === '' ? 'landing' : query.replace('?page=', '');
    expect((await hook(page)).page).toBe(name);
    expect(await isolated(page)).toBe(false);
    // Thumbnails and KaTeX's fonts are fetched only as the page shows them: wait until they are.
    await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
    const images = await page.evaluate(() => Array.from(document.images).map((img) => ({ src: img.src, width: img.naturalWidth })));
    expect(images.filter((img) => img.width === 0)).toEqual([]);
    if (name === 'landing') expect(images.length).toBe(experiments.length);
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      const statuses: FontFaceLoadStatus[] = [];
      document.fonts.forEach((face) => {
        if (face.family.includes('KaTeX')) statuses.push(face.status);
      });
      return statuses;
    });
    expect(fonts).not.toContain('error');
    if (await page.locator('.katex').count() > 0) expect(fonts).toContain('loaded');
    await screenshot(page, `static-site-${name}`);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('served without headers, two-layer trains to its last epoch on one thread (its Web Worker loaded from the folder)', async () => {
    const { page, errors, failed } = await open(plain!, '?page=two-layer&epochs=300&report-every=20&speed=max');
    await settled(page);
    const before = await hook(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    await nextFrame(page);
    const after = await hook(page);
    expect(after.epoch).toBe(300);
    expect(after.error!).toBeLessThan(before.error!);
    expect(await isolated(page)).toBe(false);
    await screenshot(page, 'static-site-two-layer-trained');
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('served without headers, a small sweep runs to the end on its Web Workers', async () => {
    const { page, errors, failed } = await open(plain!, '?page=sweep&experiment=two-layer&seeds=4&epochs=100&workers=2');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    expect(await page.evaluate(() => window.__nnlab!.records())).toBe(4);
    await screenshot(page, 'static-site-sweep-done');
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('served with the headers of its _headers file (as Netlify does), a training page is cross-origin isolated, with no console error', async () => {
    const rules = parseHeadersFile(await readFile(join(site, '_headers'), 'utf8'));
    const withHeaders = await serveFolder(site, { mount: MOUNT, headers: rules['/*'] });
    try {
      const { page, errors, failed } = await open(withHeaders, '?page=two-layer');
      await settled(page);
      expect(await isolated(page)).toBe(true);
      await screenshot(page, 'static-site-two-layer-isolated');
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await withHeaders.close();
    }
  });
});
