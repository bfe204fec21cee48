/**
 * The same bits in a browser as in Node: Chromium's own Math computes other last bits than Node
 * 20's (its exp, log, tanh… come from another library), so nnlab computes them itself
 * (src/math). In real Chromium, the ports reproduce every case recorded from Node 20's Math,
 * where Chromium's Math does not; and the backprop page, all float64 sigmoids and logarithms,
 * ends with exactly what `nnlab run backprop --json` prints (before src/math its "largest
 * chain-rule difference" read 0 on the page and 8.67e-19 in the CLI).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../lab/experiments/index.js';
import { readFixture } from '../math/fixture-check.js';
import { ROOT, hasBrowser, launchBrowser, settled, useLab } from './harness.js';

const FUNCTIONS = ['exp', 'expm1', 'log', 'log1p', 'tanh', 'pow', 'sin', 'cos'] as const;

/** src/math as one script that sets `globalThis.nnlabMath`. */
async function mathScript(): Promise<string> {
  const result = await build({ entryPoints: [`${ROOT}packages/nnlab/src/math/index.ts`], bundle: true, format: 'iife', globalName: 'nnlabMath', write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}


describe.skipIf(!hasBrowser)('browser: nnlab’s transcendental functions give Node 20’s bits', () => {
  it.each(FUNCTIONS)('%s: every recorded case, bit for bit, where Chromium’s own Math may differ', async (name) => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: await mathScript() });
      const found = await page.evaluate(
        ({ name, cases }) => {
          const f64 = new Float64Array(1);
          const u32 = new Uint32Array(f64.buffer);
          const fromHex = (hex: string) => ((u32[1] = parseInt(hex.slice(0, 8), 16)), (u32[0] = parseInt(hex.slice(8), 16)), f64[0]);
          const toHex = (x: number) => ((f64[0] = x !== x ? NaN : x), u32[1].toString(16).padStart(8, '0') + u32[0].toString(16).padStart(8, '0'));
          const port = (globalThis as unknown as { nnlabMath: Record<string, (...args: number[]) => number> }).nnlabMath[name];
          const engine = (Math as unknown as Record<string, (...args: number[]) => number>)[name];
          let ports = 0;
          let differs = 0;
          for (const [input, expected] of cases) {
            const args = typeof input === 'string' ? [fromHex(input)] : input.map(fromHex);
            if (toHex(port(...args)) !== expected) ports++;
            if (toHex(engine(...args)) !== expected) differs++;
          }
          return { ports, engine: differs, cases: cases.length };
        },
        { name, cases: readFixture(name).cases },
      );
      expect(found.cases).toBeGreaterThan(1000);
      expect(found.ports).toBe(0);
      // Reported, not asserted: whether this Chromium's Math agrees is the engine's business.
      console.log(`Chromium Math.${name} differs from Node 20 on ${found.engine} of ${found.cases} recorded cases; src/math on 0`);
    } finally {
      await browser.close();
    }
  });
});

describe.skipIf(!hasBrowser)('browser lab: float64 pages end with the CLI’s last bits', () => {
  const lab = useLab();

  it('backprop: the page’s summary (gradients, chain-rule differences) equals nnlab run backprop --json', async () => {
    const { page, errors } = await lab.open('?page=backprop', { width: 1280, height: 1000 });
    await settled(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-summary').click()]);
    const fromPage = JSON.parse(readFileSync(await download.path(), 'utf8')) as RunSummary;
    const { verdict: _verdict, ...cli } = JSON.parse(execFileSync(process.execPath, ['lab/bin/nnlab.js', 'run', 'backprop', '--json'], { cwd: ROOT, encoding: 'utf8' })) as RunSummary & { verdict?: unknown };
    expect(fromPage.final?.extra).toEqual(cli.final?.extra);
    expect(fromPage).toEqual(cli);
    expect(errors).toEqual([]);
    await page.close();
  });
});

