/** The playground in a real browser: it learns, clicks add data, and a bad model file changes nothing. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasBrowser, hook, screenshot, useLab } from './harness.js';

describe.skipIf(!hasBrowser)('browser lab: playground', () => {
  const lab = useLab();

  async function open(query = ''): Promise<{ page: Page; errors: string[] }> {
    const opened = await lab.open(`?page=playground${query}`);
    await opened.page.waitForFunction(() => window.__nnlab?.page === 'playground' && window.__nnlab.error() !== undefined);
    return opened;
  }

  const points = (page: Page) => page.evaluate(() => (window.__nnlab as unknown as { points(): number }).points());

  it('playing trains the network: the loss falls and the accuracy is shown', async () => {
    const { page, errors } = await open();
    const before = await hook(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() >= 100);
    await page.getByTestId('pause').click();
    const after = await hook(page);
    expect(after.error!).toBeLessThan(before.error!);
    expect(await page.getByTestId('accuracy').textContent()).toMatch(/\d+(\.\d+)?%/);
    await screenshot(page, 'playground-trained');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('clicking the output map adds a point, and the run restarts from epoch 0 on the new data', async () => {
    const { page, errors } = await open();
    const before = await points(page);
    const map = page.getByTestId('heatmap-Output');
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await expect.poll(() => points(page)).toBe(before + 1);
    await map.click({ position: { x: box.width * 0.3, y: box.height * 0.6 }, modifiers: ['Shift'] });
    await expect.poll(() => points(page)).toBe(before + 2);
    expect((await hook(page)).epoch).toBe(0);
    expect(new URL(page.url()).search).not.toBe('?page=playground');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a corrupt model file shows a message next to the control and keeps the current model', async () => {
    const { page, errors } = await open();
    for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() === 5);
    const before = await hook(page);
    await page.getByTestId('model-load').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "nnlab-model", "version": 1, "weights": {') });
    await expect.poll(() => page.getByTestId('model-error').textContent()).toMatch(/truncated or not JSON/);
    const after = await hook(page);
    expect(after.epoch).toBe(before.epoch);
    expect(after.error).toBe(before.error);
    await screenshot(page, 'playground-bad-model');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a copied playground URL reproduces the same data and the same loss after the same epochs', async () => {
    const first = await open('&data=quadrants&seed=5');
    expect(new URL(first.page.url()).searchParams.get('data')).toBe('quadrants');
    for (let i = 0; i < 20; i++) await first.page.getByTestId('step').click();
    await first.page.waitForFunction(() => window.__nnlab!.epoch() === 20);
    const copied = first.page.url();
    const expected = await hook(first.page);
    const expectedPoints = await points(first.page);
    await first.page.close();

    const second = await lab.newPage();
    await second.goto(copied);
    await second.waitForFunction(() => window.__nnlab?.page === 'playground' && window.__nnlab.error() !== undefined);
    expect(await points(second)).toBe(expectedPoints);
    for (let i = 0; i < 20; i++) await second.getByTestId('step').click();
    await second.waitForFunction(() => window.__nnlab!.epoch() === 20);
    expect((await hook(second)).error).toBe(expected.error);
    await second.close();
  });
});
