/**
 * The browser lab in a real browser (Debian's Chromium): every page loads cleanly, training
 * visibly learns, step is exactly one epoch, and a copied URL reproduces the CLI's numbers.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { experiments } from '../../lab/experiments/index.js';
import { ROOT, hasBrowser, hook, nextFrame, screenshot, settled, useLab } from './harness.js';

/** Every registered experiment, the chapter's and the extra theory's, gets a page-load test. */
const EXPERIMENTS = experiments.map((e) => e.name);

describe.skipIf(!hasBrowser)('browser lab: experiment pages', () => {
  const lab = useLab();
  const open = (query: string) => lab.open(query, { width: 1280, height: 900 });

  const outputPixels = (page: Page, testid = 'heatmap-Output') =>
    page.locator(`[data-testid="${testid}"]`).evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL());

  it.each(['', '?page=playground', ...EXPERIMENTS.map((e) => `?page=${e}`)])('page %s loads with no console error', async (query) => {
    const { page, errors } = await open(query);
    await settled(page);
    const name = query === '' ? 'landing' : query.replace('?page=', '');
    expect((await hook(page)).page).toBe(name);
    await screenshot(page, name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('two-layer: playing to the end changes the output heat map and lowers the error', async () => {
    // Played to the end rather than paused at some epoch: a Pause clicked while the run races
    // to its end may find the run finished and the button disabled (Pause is the transport's,
    // clicked in the playground's test, whose runs never end).
    const { page, errors } = await open('?page=two-layer&report-every=20&speed=max');
    await settled(page);
    const before = await hook(page);
    const pixelsBefore = await outputPixels(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    await nextFrame(page);
    const after = await hook(page);
    expect(after.epoch).toBe(2000);
    expect(after.error!).toBeLessThan(before.error! * 0.9);
    expect(await outputPixels(page)).not.toBe(pixelsBefore);
    await screenshot(page, 'two-layer-trained');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('step advances exactly one epoch', async () => {
    const { page } = await open('?page=two-layer');
    await page.waitForFunction(() => window.__nnlab!.error() !== undefined);
    expect((await hook(page)).epoch).toBe(0);
    for (const expected of [1, 2, 3]) {
      await page.getByTestId('step').click();
      // Idle: the step's epochs have all arrived, so an overshoot would show now.
      await page.waitForFunction((e) => window.__nnlab!.idle!() && window.__nnlab!.epoch() >= e, expected);
      expect((await hook(page)).epoch).toBe(expected);
    }
    await page.close();
  });

  it('a URL copied after changing the controls reproduces the settings and the CLI --json loss', async () => {
    const { page } = await open('?page=two-layer');
    await page.getByTestId('option-hidden').fill('3');
    await page.getByTestId('option-hidden').press('Tab');
    await page.getByTestId('option-epochs').fill('300');
    await page.getByTestId('option-epochs').press('Tab');
    await page.getByTestId('option-seed').fill('7');
    await page.getByTestId('option-seed').press('Tab');
    await page.waitForFunction(() => location.search.includes('seed=7') && location.search.includes('hidden=3'));
    const copied = page.url();
    await page.close();

    const second = await open(new URL(copied).search + '&speed=max');
    expect(await second.page.getByTestId('option-hidden').inputValue()).toBe('3');
    expect(await second.page.getByTestId('option-seed').inputValue()).toBe('7');
    await second.page.getByTestId('play').click();
    await second.page.waitForFunction(() => window.__nnlab!.done());
    const browserError = (await hook(second.page)).error!;

    const cli = JSON.parse(
      execFileSync(process.execPath, ['lab/bin/nnlab.js', 'run', 'two-layer', '--hidden', '3', '--epochs', '300', '--seed', '7', '--json'], { cwd: ROOT, encoding: 'utf8' }),
    ) as { final: { error: number } };
    // The same seed and config give the same float32 computation in Node and in Chromium.
    expect(browserError).toBe(cli.final.error);
    await second.page.close();
  });

  it('an out-of-range value in the URL shows a message next to its control and the page still works', async () => {
    const { page, errors } = await open('?page=two-layer&hidden=0');
    await expect.poll(() => page.getByTestId('error-hidden').textContent()).toContain('--hidden must be an integer in [1, 64]');
    await page.getByTestId('step').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() === 1);
    await screenshot(page, 'two-layer-invalid-url');
    expect(errors).toEqual([]);
    await page.close();
  });
});
