/**
 * Continuing a finished run in a real Chromium: two-layer trained 200 epochs and continued by 100
 * goes on from where it stopped (the curve's axis and the readout extend, the final results come
 * again) and ends with exactly the error of a fresh 300-epoch run in the same page; the page says
 * so, with the command of that run. A bad number of epochs is refused with the rule and the value.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasBrowser, hook, nextFrame, screenshot, settled, useLab } from './harness.js';

describe.skipIf(!hasBrowser)('browser lab: continue a finished run', () => {
  const lab = useLab();

  const finish = async (page: Page) => {
    await page.waitForFunction(() => window.__nnlab!.done() && window.__nnlab!.idle!());
    await nextFrame(page);
  };

  it('two-layer: 200 epochs continued by 100 end with the error and results of a fresh 300-epoch run', async () => {
    const { page, errors } = await lab.open('?page=two-layer&epochs=200&report-every=50&speed=max', { width: 1280, height: 1000 });
    await settled(page);
    expect(await page.getByTestId('continue').isVisible()).toBe(false);
    await page.getByTestId('play').click();
    await finish(page);
    expect((await hook(page)).epoch).toBe(200);
    expect(await page.getByTestId('continue').isVisible()).toBe(true);

    await page.getByTestId('continue-epochs').fill('0');
    await page.getByTestId('continue').click();
    expect(await page.getByTestId('continue-error').textContent()).toBe("continue by: the epochs must be a whole number from 1 to 1000000, got '0'");
    expect((await hook(page)).epoch).toBe(200);

    await page.getByTestId('continue-epochs').fill('100');
    await page.getByTestId('continue').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() > 200);
    await finish(page);
    const continued = await hook(page);
    expect(continued.epoch).toBe(300);
    expect(await page.getByTestId('continue-error').textContent()).toBe('');
    const note = await page.getByTestId('continued').textContent();
    expect(note).toContain('Continued to 300 epochs');
    expect(note).toContain('--epochs 300 ');
    const finalText = await page.getByTestId('final-error').textContent();
    const verdict = await page.getByTestId('verdict').textContent();
    await screenshot(page, 'two-layer-continued');
    expect(errors).toEqual([]);
    await page.close();

    const fresh = await lab.open('?page=two-layer&epochs=300&report-every=50&speed=max', { width: 1280, height: 1000 });
    await settled(fresh.page);
    await fresh.page.getByTestId('play').click();
    await finish(fresh.page);
    const longer = await hook(fresh.page);
    expect(longer.epoch).toBe(300);
    expect(continued.error).toBe(longer.error);
    expect(await fresh.page.getByTestId('final-error').textContent()).toBe(finalText);
    expect(await fresh.page.getByTestId('verdict').textContent()).toBe(verdict);
    expect(fresh.errors).toEqual([]);
    await fresh.page.close();
  });
});
