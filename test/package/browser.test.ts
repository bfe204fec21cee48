/**
 * The packed library in a real browser, the two ways pages get it: a Vite app that imports
 * 'nnlab' from its node_modules (built, then served cross-origin isolated by the lab's server and
 * without isolation by a plain one), and a page whose <script type="module"> imports the one
 * self-contained file dist/nnlab.js as it is. Each page trains XOR and multiplies two large float32
 * matrices (the WebAssembly kernel, on Web Workers when isolated); the numbers must be Node's from
 * the same installed package, to the last bit.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, createLogger } from 'vite';
import type { Browser } from 'playwright-core';
import { serveDirectory } from '../../lab/server/server.js';
import { serveFolder } from '../e2e/file-server.js';
import type { StaticServer } from '../../lab/server/server.js';
import { WAIT_MS, hasBrowser, launchBrowser, watchErrors } from '../e2e/harness.js';
import { installApp, packLibrary, run } from './packed.js';

/** What every page (and Node) computes with the package, as `check(nnlab)` → a JSON-able result. */
const CHECK = `
export async function check(nnlab) {
  const { tensor, nn, optim, fit, noGrad, Generator, randomUniform, gemmThreads, setGemmThreads } = nnlab;
  const inputs = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const targets = tensor([[0], [1], [1], [0]]);
  const rng = new Generator(1);
  const model = new nn.Sequential({
    hidden: new nn.Dense(2, 2, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
    output: new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.normal(0, 0.3), rng }),
  });
  const history = fit(model, { inputs, targets, loss: nn.mseLoss, optimizer: new optim.SGD(model.parameters(), { lr: 5 }), epochs: 500 });
  const xor = noGrad(() => model.forward(inputs)).toArray().map(([y]) => y);
  // 128 × 784 · 784 × 256 in float32: the WebAssembly kernel, split over threads where there are some.
  const big = new Generator(2);
  const a = randomUniform([128, 784], big, -1, 1);
  const b = randomUniform([784, 256], big, -1, 1);
  const threads = gemmThreads();
  const many = Array.from(a.matmul(b).data);
  setGemmThreads(1);
  const one = Array.from(a.matmul(b).data);
  setGemmThreads(threads);
  let checksum = 0;
  for (let i = 0; i < one.length; i++) checksum = (checksum * 31 + one[i] * 1e6) % 1e15;
  return {
    isolated: globalThis.crossOriginIsolated === true,
    threads,
    threadsAgree: many.every((v, i) => Object.is(v, one[i])),
    loss: history.at(-1).loss,
    xor,
    checksum,
  };
}
`;


type Result = { isolated: boolean; threads: number; threadsAgree: boolean; loss: number; xor: number[]; checksum: number };

describe.skipIf(!hasBrowser)('the packed library in Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'nnlab-package-browser-'));
  const app = join(work, 'app');
  let node: Result;
  let browser: Browser | undefined;
  const servers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    const { tarball } = packLibrary(work);
    installApp(app, tarball);
    writeFileSync(join(app, 'check.js'), CHECK);
    writeFileSync(join(app, 'node.js'), "import * as nnlab from 'nnlab';\nimport { check } from './check.js';\nconsole.log(JSON.stringify(await check(nnlab)));\n");
    node = JSON.parse(run(process.execPath, ['node.js'], app)) as Result;
    browser = await launchBrowser();
  }, 5 * WAIT_MS);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function open(url: string): Promise<Result> {
    const page = await browser!.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const errors = watchErrors(page);
    await page.goto(url);
    await page.waitForFunction(() => (window as { result?: unknown }).result !== undefined);
    const result = await page.evaluate(() => (window as unknown as { result: Result | { error: string } }).result);
    await page.close();
    expect(errors).toEqual([]);
    if ('error' in result) throw new Error(result.error);
    return result;
  }

  const PAGE_SCRIPT = (importLine: string) =>
    `${importLine}\nimport { check } from './check.js';\ncheck(nnlab).then((r) => { window.result = r; }, (e) => { window.result = { error: String(e && e.stack || e) }; });\n`;

  it('a Vite app importing nnlab: served cross-origin isolated, multiplies on Web Workers; served plainly, on one thread; Node’s numbers either way', async () => {
    // Inside the app folder, so that 'nnlab' resolves as in any project: from its node_modules (the installed package).
    const source = join(app, 'site');
    mkdirSync(source);
    writeFileSync(join(source, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>nnlab in a Vite app</title><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(source, 'main.js'), PAGE_SCRIPT("import * as nnlab from 'nnlab';"));
    copyFileSync(join(app, 'check.js'), join(source, 'check.js'));
    const out = join(work, 'vite-dist');
    // Bundling the package must raise no warning (no Node module for the bundler to leave out).
    const warnings: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (message) => void warnings.push(message);
    logger.warnOnce = (message) => void warnings.push(message);
    await build({ root: source, base: './', configFile: false, logLevel: 'warn', customLogger: logger, publicDir: false, cacheDir: join(work, 'vite-cache'), build: { outDir: out, emptyOutDir: true, target: 'es2022' } });
    expect(warnings.filter((message) => !message.includes('[PLUGIN_TIMINGS]'))).toEqual([]);
    const isolatedServer: StaticServer = await serveDirectory(out, { host: '127.0.0.1', port: 0 });
    const plainServer = await serveFolder(out);
    servers.push(isolatedServer, plainServer);

    const isolated = await open(isolatedServer.url);
    expect(isolated.isolated).toBe(true);
    expect(isolated.threads).toBeGreaterThan(1);
    const plain = await open(plainServer.url);
    expect(plain).toMatchObject({ isolated: false, threads: 1 });
    for (const result of [isolated, plain]) {
      expect(result.threadsAgree).toBe(true);
      expect({ loss: result.loss, xor: result.xor, checksum: result.checksum }).toEqual({ loss: node.loss, xor: node.xor, checksum: node.checksum });
    }
  });

  it('a <script type="module"> page importing dist/nnlab.js alone gives Node’s numbers', async () => {
    const site = join(work, 'script-page');
    mkdirSync(site);
    copyFileSync(join(app, 'node_modules/nnlab/dist/nnlab.js'), join(site, 'nnlab.js'));
    copyFileSync(join(app, 'check.js'), join(site, 'check.js'));
    writeFileSync(join(site, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>nnlab from one file</title><script type="module">\n${PAGE_SCRIPT("import * as nnlab from './nnlab.js';")}</script>\n`);
    const server = await serveFolder(site);
    servers.push(server);
    const result = await open(server.url);
    expect(result).toMatchObject({ isolated: false, threads: 1, threadsAgree: true });
    expect({ loss: result.loss, xor: result.xor, checksum: result.checksum }).toEqual({ loss: node.loss, xor: node.xor, checksum: node.checksum });
  });
});
