/**
 * The browser tests' harness: Debian's Chromium driven by playwright-core, against the server
 * `npm start` runs (`nnlab serve --port 0`). Without a Chromium the suites are skipped, and say
 * so; with NNLAB_REQUIRE_BROWSER set (as .ci/run does) a missing Chromium is a failure instead.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = `${ROOT}test-artifacts/e2e`;

/**
 * How long a browser wait (waitForFunction, click, a download) may take before it fails: long,
 * because every wait is for a state the page reaches, never for time, and a loaded CI machine
 * can be many times slower than a desk. A passing run never waits this long.
 */
export const WAIT_MS = 120_000;

/** How long `nnlab serve` may take to print its URL: it builds the page first when the build is stale. */
const SERVER_START_MS = 300_000;

export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  const message = `browser tests: no Chromium at ${CHROMIUM} (install Debian's: apt-get install chromium)`;
  if (process.env.NNLAB_REQUIRE_BROWSER) throw new Error(`${message}; NNLAB_REQUIRE_BROWSER is set, so this is a failure`);
  console.warn(`SKIPPED ${message}`);
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Starts `nnlab serve --port 0` (which builds the page if needed) and resolves with its URL. */
export function startServer(): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['lab/bin/nnlab.js', 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`nnlab serve: ${why}\n${output}`));
    const timer = setTimeout(() => fail(`no URL printed within ${SERVER_START_MS / 1000} s`), SERVER_START_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[0],
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(`exited with code ${code}`));
  });
}

/** Starts Chromium headless; `extraArgs` are added to its command line (e.g. V8 flags in `--js-flags=…`). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Collects console errors and uncaught page errors, for "loads with no console error". */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}

/** Saves a screenshot as a test artefact: test-artifacts/e2e/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

/** The page's test hook (window.__nnlab), read in the page. */
export interface Hook {
  page: string;
  epoch: number;
  error: number | undefined;
  running: boolean;
  step: number;
  idle: boolean;
}

export async function hook(page: Page): Promise<Hook> {
  return page.evaluate(() => {
    const h = window.__nnlab!;
    return { page: h.page, epoch: h.epoch(), error: h.error(), running: h.running(), step: h.step(), idle: h.idle!() };
  });
}

/**
 * Resolves once the page has drawn its first complete view: a training page its first batch
 * from the worker, the playground its first record (figures pages and the landing page draw as
 * they mount), and the animation frame that draws it has run. No sleeping: the frame callback
 * asked for here runs after the one the page asked for when the records arrived.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const h = window.__nnlab!;
    return h.page === 'landing' || h.page === 'not-found' || h.page === 'sweep' || h.records() > 0;
  });
  await nextFrame(page);
}

/** Resolves after the page's next animation frame: whatever the page asked to draw before it is drawn. */
export async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
}

/** A page's window in CSS pixels, and (default 1) how many device pixels a CSS pixel has. */
export interface Viewport {
  width: number;
  height: number;
  deviceScaleFactor?: number;
}

export interface Lab {
  /** Opens `/<query>` in a new page, collecting console errors, once the page's hook exists. */
  open(query: string, viewport?: Viewport): Promise<{ page: Page; errors: string[] }>;
  /** A blank page whose waits time out after WAIT_MS. */
  newPage(viewport?: Viewport): Promise<Page>;
}

/**
 * One server and one browser for a test file: started before its tests, stopped after them.
 * `browserArgs` go on the browser's command line (see launchBrowser).
 */
export function useLab(options: { browserArgs?: readonly string[] } = {}): Lab {
  let server: Server | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser(options.browserArgs);
  }, SERVER_START_MS + WAIT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const newPage = async ({ deviceScaleFactor = 1, ...viewport }: Viewport = { width: 1280, height: 1000 }) => {
    const page = await browser!.newPage({ viewport, deviceScaleFactor });
    page.setDefaultTimeout(WAIT_MS);
    return page;
  };
  return {
    async open(query, viewport) {
      const page = await newPage(viewport);
      const errors = watchErrors(page);
      await page.goto(`${server!.url}/${query}`);
      await page.waitForFunction(() => window.__nnlab !== undefined);
      return { page, errors };
    },
    newPage,
  };
}
