/**
 * The landing page in a real browser (Debian's Chromium): a thumbnail per experiment that loads
 * and is the figure of that experiment's default run, the numbered start-here path through the
 * chapter in its order, the playground's call to action, and links that open their pages.
 */
import { describe, expect, it } from 'vitest';
import { chapterExperiments, experiments } from '../../lab/experiments/index.js';
import { LESSONS } from '../../lab/web/lessons.js';
import { hasBrowser, hook, screenshot, settled, useLab } from './harness.js';

describe.skipIf(!hasBrowser)('browser lab: landing page', () => {
  const lab = useLab();

  it('every experiment has a card whose thumbnail loads: an SVG figure with a size of its own', async () => {
    const { page, errors } = await lab.open('', { width: 1366, height: 900 });
    await settled(page);
    // Every <img> decoded (complete), whether it has scrolled into view or not.
    await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
    const thumbnails = await page.locator('img.thumbnail').evaluateAll((images) =>
      (images as HTMLImageElement[]).map((img) => ({
        testid: img.dataset.testid,
        naturalWidth: img.naturalWidth,
        naturalHeight: img.naturalHeight,
        src: img.getAttribute('src')!,
        alt: img.alt,
        shown: img.getBoundingClientRect().width,
      })),
    );
    expect(thumbnails.map((t) => t.testid)).toEqual(experiments.map((e) => `thumbnail-${e.name}`));
    for (const t of thumbnails) {
      expect(t.naturalWidth, t.testid).toBeGreaterThan(100);
      expect(t.naturalHeight, t.testid).toBeGreaterThan(100);
      expect(t.shown, t.testid).toBeGreaterThan(100);
      expect(t.alt, t.testid).toMatch(/\(seed 1\)$/);
    }
    // Each thumbnail is a file of the build holding a real figure: an <svg> with a plot in it.
    for (const t of thumbnails) {
      const response = await page.request.get(new URL(t.src, page.url()).href);
      expect(response.status(), t.src).toBe(200);
      expect(response.headers()['content-type']).toMatch(/^image\/svg\+xml/);
      const svg = await response.text();
      expect(svg.startsWith('<svg'), t.src).toBe(true);
      expect(svg).toMatch(/<(path|image|rect|line)\b/);
    }
    await screenshot(page, 'landing-thumbnails');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a training experiment’s card carries the verdict of the default run its thumbnail draws', async () => {
    const { page } = await lab.open('');
    await settled(page);
    const run = page.getByTestId('card-two-layer').locator('.card-run');
    await expect(run.textContent()).resolves.toMatch(/^Seed 1, defaults: (solved|stuck)$/);
    // The thumbnail's verdict is the one the two-layer page reaches from the same run.
    const verdict = (await run.textContent())!.replace('Seed 1, defaults: ', '');
    const two = await lab.open('?page=two-layer&speed=max');
    await settled(two.page);
    await two.page.getByTestId('play').click();
    await two.page.waitForFunction(() => window.__nnlab!.done());
    await expect(two.page.getByTestId('verdict').textContent()).resolves.toContain(verdict);
    await two.page.close();
    await page.close();
  });

  it('the start-here path lists the chapter in order, numbered, one lesson each', async () => {
    const { page } = await lab.open('');
    await settled(page);
    const items = await page
      .getByTestId('start-here')
      .locator('li a')
      .evaluateAll((links) => links.map((a) => ({ step: a.querySelector('.step')!.textContent, name: a.querySelector('.path-name')!.textContent, lesson: a.querySelector('.path-lesson')!.textContent, href: a.getAttribute('href') })));
    expect(items).toEqual(
      chapterExperiments.map((e, i) => ({ step: String(i + 1), name: e.name, lesson: LESSONS[e.name], href: `?page=${e.name}` })),
    );
    await page.close();
  });

  it('the playground is a call to action at the top, visible without scrolling at 1366×768', async () => {
    const { page, errors } = await lab.open('', { width: 1366, height: 768 });
    await settled(page);
    const box = await page.getByTestId('link-playground').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(768);
    await page.getByTestId('link-playground').click();
    await page.waitForFunction(() => window.__nnlab?.page === 'playground');
    await settled(page);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ['path-activations', 'activations'],
    ['link-categorical', 'categorical'],
    ['link-interpolation', 'interpolation'],
    ['link-sweep', 'sweep'],
  ])('the link %s opens the %s page', async (testid, name) => {
    const { page, errors } = await lab.open('');
    await settled(page);
    await page.getByTestId(testid).click();
    await page.waitForFunction((n) => window.__nnlab?.page === n, name);
    await settled(page);
    expect((await hook(page)).page).toBe(name);
    expect(errors).toEqual([]);
    await page.close();
  });
});
