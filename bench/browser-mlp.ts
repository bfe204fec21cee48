/**
 * Workload (b), nnlab's MLP training step, in Debian's Chromium (headless): the page
 * (bench/browser/) is built with Vite and served by the lab's own server, so it is cross-origin
 * isolated as the lab is, and the matmul kernel runs on Web Workers; then timed again on one
 * thread. Prints median (p10–p90) ms per step, the ratio, and the first step's loss, which must
 * be Node's (2.470310).
 *
 *     npm run bench:browser
 *     npm run bench:browser -- --json
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { serveDirectory } from '../lab/server/server.js';
import { hasBrowser, launchBrowser, ROOT } from '../test/e2e/harness.js';
import type { BrowserResult } from './browser/mlp-page.js';

const NODE_FIRST_LOSS = 2.47031;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  if (!hasBrowser) {
    console.error('bench:browser: no Chromium at /usr/bin/chromium (apt-get install chromium); nothing measured');
    process.exit(2);
  }
  const load = loadavg()[0];
  const dir = await mkdtemp(join(tmpdir(), 'nnlab-bench-browser-'));
  const server = await (async () => {
    await build({ root: join(ROOT, 'bench/browser'), base: './', configFile: false, logLevel: 'error', publicDir: false, build: { outDir: dir, emptyOutDir: true, target: 'es2022' } });
    return serveDirectory(dir, { host: '127.0.0.1', port: 0 });
  })();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(server.url);
    await page.waitForFunction(() => window.__bench !== undefined);
    const result: BrowserResult = await page.evaluate(() => window.__bench!);
    if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`);
    const mismatch = result.rows.filter((row) => Math.abs(row.firstLoss - NODE_FIRST_LOSS) > 1e-4);
    if (values.json) {
      console.log(JSON.stringify({ machine: { cores: cpus().length, load: [load, loadavg()[0]] }, ...result }, null, 2));
    } else {
      console.log(`nnlab bench (b) in the browser: ${result.userAgent}`);
      console.log(`cross-origin isolated: ${result.isolated}; relaxed SIMD (FMA): ${result.relaxedSimd}; load average ${load.toFixed(2)} → ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`);
      for (const row of result.rows) {
        console.log(`  ${row.threads} thread${row.threads === 1 ? ' ' : 's'}: ${row.median.toFixed(2)} ms per step (p10 ${row.p10.toFixed(2)}, p90 ${row.p90.toFixed(2)}; ${row.steps} steps), first loss ${row.firstLoss.toFixed(6)}`);
      }
      if (result.rows.length === 2) console.log(`  one thread / ${result.rows[0].threads} threads: ${(result.rows[1].median / result.rows[0].median).toFixed(2)}×`);
    }
    if (mismatch.length > 0) {
      console.error(`MISMATCH: first loss ${mismatch.map((r) => r.firstLoss).join(', ')} in the browser, ${NODE_FIRST_LOSS} in Node`);
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:browser: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
