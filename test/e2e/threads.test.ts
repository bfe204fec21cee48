/**
 * The matmul kernel's threads in a real browser: a page served with the lab server's headers
 * (cross-origin isolated) splits a large product over Web Workers, on its main thread and in a
 * worker, bit-identically to one thread; the same page served without those headers has no
 * SharedArrayBuffer and computes on one thread. The page is test/e2e/threads/, built with Vite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { serveDirectory } from '../../lab/server/server.js';
import { serveFolder } from './file-server.js';
import type { StaticServer } from '../../lab/server/server.js';
import type { ThreadsCheck } from './threads/check.js';
import { hasBrowser, launchBrowser, ROOT, WAIT_MS, watchErrors } from './harness.js';


describe.skipIf(!hasBrowser)('matmul threads in the browser', () => {
  let dir = '';
  let isolated: StaticServer | undefined;
  let plain: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nnlab-threads-'));
    await build({
      root: join(ROOT, 'test/e2e/threads'),
      base: './',
      configFile: false,
      logLevel: 'error',
      publicDir: false,
      build: { outDir: dir, emptyOutDir: true, target: 'es2022' },
      worker: { format: 'es' },
    });
    isolated = await serveDirectory(dir, { host: '127.0.0.1', port: 0 });
    plain = await serveFolder(dir);
    browser = await launchBrowser();
  }, 5 * WAIT_MS);

  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function run(url: string): Promise<{ page: ThreadsCheck; worker: ThreadsCheck; errors: string[] }> {
    const page = await browser!.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const errors = watchErrors(page);
    await page.goto(url);
    await page.waitForFunction(() => window.__threads !== undefined);
    const result = await page.evaluate(() => window.__threads!);
    await page.close();
    return { ...result, errors };
  }

  it('served by the lab server (cross-origin isolated), splits the product over Web Workers, from the page and from a worker, with the bits of one thread (tanh in the epilogue too)', async () => {
    const { page, worker, errors } = await run(isolated!.url);
    expect(errors).toEqual([]);
    for (const check of [page, worker]) {
      expect(check).toMatchObject({ isolated: true, ready: true, identical: true, accurate: true, tanhIdentical: true });
      expect(check.threads).toBeGreaterThan(1);
    }
    console.log(`browser 128×784·784×256 product: page ${page.msThreads.toFixed(2)} ms on ${page.threads} threads vs ${page.msOne.toFixed(2)} ms on 1; worker ${worker.msThreads.toFixed(2)} vs ${worker.msOne.toFixed(2)} ms`);
  });

  it('served without cross-origin isolation, computes on one thread, the same numbers', async () => {
    const { page, worker, errors } = await run(plain!.url);
    expect(errors).toEqual([]);
    for (const check of [page, worker]) {
      expect(check).toMatchObject({ isolated: false, threads: 1, ready: false, identical: true, accurate: true, tanhIdentical: true });
    }
  });
});
