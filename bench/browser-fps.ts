/**
 * How fast the browser lab redraws while training, in Debian's Chromium (headless): for each
 * page, frames per second of live redraws (`window.__nnlab.frames()`), the display's own frame
 * rate (an idle requestAnimationFrame loop), the messages from the training worker, the epochs
 * trained, the time the page's animation-frame callbacks take and the main-thread tasks over
 * 50 ms (PerformanceObserver 'longtask').
 *
 *     npm run bench:fps                      # default experiment pages and playgrounds
 *     npm run bench:fps -- --seconds 10      # a longer window per page
 *     npm run bench:fps -- --only playground # pages whose name contains a word
 *     npm run bench:fps -- --url http://127.0.0.1:5178   # a server already running (another build)
 *
 * Headless Chromium paces animation frames at about 60 per second, so "display/s" is the most
 * any page can redraw; a page busier than one frame lets display/s fall too.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { hasBrowser, launchBrowser, startServer } from '../test/e2e/harness.js';

interface Target {
  name: string;
  query: string;
}

/**
 * The experiment pages at their default speed (500 epochs/s) with epochs enough to outlast the
 * window; the playground as it opens (paced at a watchable 30 epochs/s), at 100 and 1,000
 * epochs/s, and at its largest (6 hidden layers of 8, 100 × 100 maps, 1,000 points); the default
 * and the largest also "as fast as it goes" (speed=max), where training speed shows.
 */
const TARGETS: Target[] = [
  { name: 'two-layer', query: '?page=two-layer&epochs=1000000' },
  { name: 'logistic-regression', query: '?page=logistic-regression&epochs=1000000' },
  { name: 'dropout', query: '?page=dropout&epochs=1000000' },
  { name: 'categorical', query: '?page=categorical&epochs=1000000' },
  { name: 'playground (default)', query: '?page=playground' },
  { name: 'playground (default, as fast as it goes)', query: '?page=playground&speed=max' },
  { name: 'playground (100 epochs/s)', query: '?page=playground&speed=100' },
  { name: 'playground (1000 epochs/s)', query: '?page=playground&speed=1000' },
  { name: 'playground (largest: 6 × 8 relu, res 100, 1,000 points)', query: '?page=playground&data=spiral&classes=3&n=1000&loss=softmax&layers=8:relu,8:relu,8:relu,8:relu,8:relu,8:relu&res=100' },
  { name: 'playground (largest, as fast as it goes)', query: '?page=playground&data=spiral&classes=3&n=1000&loss=softmax&layers=8:relu,8:relu,8:relu,8:relu,8:relu,8:relu&res=100&speed=max' },
];

interface Measured {
  seconds: number;
  redraws: number;
  displayFrames: number;
  messages: number;
  epochs: number;
  callbackMs: number[];
  longTasks: number[];
}

/**
 * Timers installed in the page before its own scripts: rAF callback durations, display frames,
 * long tasks. Plain JavaScript in a string: tsx would wrap a compiled function's inner functions
 * in a helper the page does not have.
 */
const INSTRUMENT = `(() => {
  const bench = (window.__bench = { callbackMs: [], displayFrames: 0, longTasks: [], messages: 0 });
  const BaseWorker = window.Worker;
  window.Worker = class extends BaseWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => bench.messages++);
    }
  };
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    raf((time) => {
      const start = performance.now();
      try {
        callback(time);
      } finally {
        bench.callbackMs.push(performance.now() - start);
      }
    });
  const tick = () => {
    bench.displayFrames++;
    raf(tick);
  };
  raf(tick);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
})();`;

async function measure(browser: Browser, url: string, seconds: number): Promise<Measured> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.addInitScript({ content: INSTRUMENT });
  await page.goto(url);
  await page.waitForFunction(() => window.__nnlab !== undefined && window.__nnlab.error() !== undefined, undefined, { timeout: 60_000 });
  await page.getByTestId('play').click();
  await page.waitForTimeout(1000);
  const read = () =>
    page.evaluate(() => {
      const b = (window as unknown as { __bench: { callbackMs: number[]; displayFrames: number; longTasks: number[]; messages: number } }).__bench;
      const out = {
        at: performance.now(),
        redraws: window.__nnlab!.frames(),
        epoch: window.__nnlab!.epoch(),
        displayFrames: b.displayFrames,
        messages: b.messages,
        callbackMs: b.callbackMs,
        longTasks: b.longTasks,
      };
      b.callbackMs = [];
      b.longTasks = [];
      return out;
    });
  const start = await read();
  await page.waitForTimeout(seconds * 1000);
  const end = await read();
  await page.close();
  return {
    seconds: (end.at - start.at) / 1000,
    redraws: end.redraws - start.redraws,
    displayFrames: end.displayFrames - start.displayFrames,
    messages: end.messages - start.messages,
    epochs: end.epoch - start.epoch,
    callbackMs: end.callbackMs,
    longTasks: end.longTasks,
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, only: { type: 'string' }, url: { type: 'string' } } });
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (!hasBrowser) throw new Error('no Chromium: install Debian\'s (apt-get install chromium) or set CHROMIUM_PATH');
  const targets = TARGETS.filter((t) => values.only === undefined || t.name.includes(values.only));
  const server = values.url === undefined ? await startServer() : { url: values.url.replace(/\/$/, ''), stop: async () => {} };
  const browser = await launchBrowser();
  try {
    const version = browser.version();
    console.log(`Chromium ${version} (headless), ${cpus().length} cores, load average ${loadavg()[0].toFixed(2)}; ${seconds} s per page after 1 s of training`);
    const header = ['page', 'redraws/s', 'display/s', 'messages/s', 'epochs/s', 'frame cb p50', 'p95', 'max', 'tasks > 50 ms', 'longest'];
    const rows: string[][] = [];
    for (const target of targets) {
      const m = await measure(browser, `${server.url}/${target.query}`, seconds);
      rows.push([
        target.name,
        (m.redraws / m.seconds).toFixed(1),
        (m.displayFrames / m.seconds).toFixed(1),
        (m.messages / m.seconds).toFixed(1),
        (m.epochs / m.seconds).toFixed(0),
        `${percentile(m.callbackMs, 0.5).toFixed(1)} ms`,
        `${percentile(m.callbackMs, 0.95).toFixed(1)} ms`,
        `${Math.max(0, ...m.callbackMs).toFixed(1)} ms`,
        String(m.longTasks.length),
        m.longTasks.length === 0 ? '–' : `${Math.max(...m.longTasks).toFixed(0)} ms`,
      ]);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const row of rows) console.log(line(row));
    console.log(`load average at the end ${loadavg()[0].toFixed(2)} (above 1 on this many cores: other work shared the CPUs)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
