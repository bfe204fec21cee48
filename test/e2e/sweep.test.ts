/**
 * The sweep page in a real browser (Debian's Chromium): a small sweep on Web Workers completes,
 * shows its success rate, stops and resumes without losing or repeating a run, and its results
 * equal the CLI's `nnlab sweep --json` for the same seeds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ROOT, hasBrowser, screenshot, useLab } from './harness.js';

interface Row {
  seed: number;
  finalError: number | null;
  solved: boolean;
}
interface Results {
  runs: number;
  solved: number;
  rate: number;
  rows: Row[];
}

const SWEEP = { seeds: 12, epochs: 300 };
const dir = mkdtempSync(join(tmpdir(), 'nnlab-sweep-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI's result for the same sweep, computed once. */
let cliResult: Results | undefined;
function cli(): Results {
  cliResult ??= JSON.parse(
    execFileSync(process.execPath, ['lab/bin/nnlab.js', 'sweep', 'two-layer', '--epochs', String(SWEEP.epochs), '--seeds', String(SWEEP.seeds), '--json', '--file', join(dir, 'cli.jsonl')], { cwd: ROOT, encoding: 'utf8' }),
  ) as Results;
  return cliResult;
}

/** The page's results, through its download button. */
async function downloaded(page: Page): Promise<Results> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as Results;
}

describe.skipIf(!hasBrowser)('browser lab: sweep page', () => {
  const lab = useLab();
  const query = (workers: number) => `?page=sweep&experiment=two-layer&seeds=${SWEEP.seeds}&epochs=${SWEEP.epochs}&workers=${workers}`;

  it('a sweep on 2 Web Workers completes, shows its success rate, and equals nnlab sweep --json', async () => {
    const { page, errors } = await lab.open(query(2));
    expect(await page.evaluate(() => window.__nnlab!.page)).toBe('sweep');
    await page.getByTestId('start').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    const expected = cli();
    const shown = `${(100 * expected.rate).toFixed(1)}% (${expected.solved} of ${expected.runs})`;
    await page.waitForFunction((text) => document.querySelector('[data-testid="sweep-rate"]')?.textContent === text, shown);
    expect(await page.getByTestId('figure-sweep-errors').locator('svg').count()).toBeGreaterThan(0);
    const results = await downloaded(page);
    expect(results.rows).toEqual(expected.rows);
    const failedLinks = await page.getByTestId('failed-seed').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).search));
    expect(failedLinks).toEqual(expected.rows.filter((r) => !r.solved).map((r) => `?page=two-layer&epochs=${SWEEP.epochs}&seed=${r.seed}`));
    await screenshot(page, 'sweep');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Stop keeps the finished runs and Start runs only the rest: the same rows, none repeated or lost', async () => {
    const { page, errors } = await lab.open(query(2));
    // Held after 5 of the 12 runs, with none in flight, Stop lands at a known point: no race with the workers.
    await page.evaluate(() => window.__nnlab!.holdAfter!(5));
    await page.getByTestId('start').click();
    await page.waitForFunction(() => window.__nnlab!.held!());
    expect(await page.evaluate(() => [window.__nnlab!.records(), window.__nnlab!.running()])).toEqual([5, true]);
    await page.getByTestId('stop').click();
    await page.waitForFunction(() => !window.__nnlab!.running());
    expect(await page.evaluate(() => window.__nnlab!.records())).toBe(5);
    await expect.poll(() => page.getByTestId('status').textContent()).toBe(`stopped: 5 of ${SWEEP.seeds} runs done and kept; Start runs the rest.`);
    const kept = (await downloaded(page)).rows;
    expect(kept.map((row) => row.seed)).toEqual([1, 2, 3, 4, 5]);
    await page.getByTestId('start').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    expect(await page.evaluate(() => window.__nnlab!.records())).toBe(SWEEP.seeds);
    const rows = (await downloaded(page)).rows;
    expect(rows).toEqual(cli().rows);
    expect(rows).toEqual(expect.arrayContaining(kept));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('holdAfter(runs) holds only the next Start, and only on the sweep page', async () => {
    const { page } = await lab.open(query(1));
    await page.evaluate(() => window.__nnlab!.holdAfter!(0));
    await page.getByTestId('start').click();
    await page.waitForFunction(() => window.__nnlab!.held!());
    expect(await page.evaluate(() => window.__nnlab!.records())).toBe(0);
    await page.getByTestId('stop').click();
    await page.waitForFunction(() => !window.__nnlab!.running());
    await page.getByTestId('start').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    expect(await page.evaluate(() => window.__nnlab!.held!())).toBe(false);
    const landing = await lab.open('');
    await expect(landing.page.evaluate(() => window.__nnlab!.holdAfter!(1))).rejects.toThrow('__nnlab.holdAfter: the landing page has no runs to hold (only the sweep page has)');
    await landing.page.close();
    await page.close();
  });

  it('a bad grid in the address is a readable notice, not a crash', async () => {
    const { page } = await lab.open('?page=sweep&experiment=two-layer&grid=hiden=2');
    expect(await page.getByTestId('url-error').textContent()).toContain('sweep: --grid names unknown option "hiden" of two-layer');
    await page.close();
  });
});
