/**
 * The landing page in a real browser (Debian's Chromium): a thumbnail per experiment that loads
 * and is the figure of that experiment's default run, the numbered start-here path through the
 * chapter in its order, the playground's call to action, and links that open their pages.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chapterExperiments, experiments } from '../../lab/experiments/index.js';
import { LESSONS } from '../../lab/web/lessons.js';
import { sourceHash } from '../../lab/web/thumbnails/vite-plugin.js';
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

/** Sizes the page lays out, read in the page: font sizes, line widths as drawn on screen (CSS px × zoom), boxes. */
interface Measured {
  font: number;
  strokeOnScreen: number | null;
  zoom: number | null;
  box: { width: number; height: number } | null;
}

function measure(page: Page, text: string, drawn?: string): Promise<Measured> {
  return page.evaluate(
    ([textSelector, drawnSelector]) => {
      const font = parseFloat(getComputedStyle(document.querySelector(textSelector)!).fontSize);
      const element = drawnSelector === undefined ? null : document.querySelector<HTMLElement | SVGElement>(drawnSelector);
      if (element === null) return { font, strokeOnScreen: null, zoom: null, box: null };
      const zoom = (element as unknown as { currentCSSZoom: number }).currentCSSZoom;
      const stroke = parseFloat(getComputedStyle(element).strokeWidth);
      const { width, height } = element.getBoundingClientRect();
      return { font, strokeOnScreen: Number.isFinite(stroke) ? stroke * zoom : null, zoom, box: { width, height } };
    },
    [text, drawn] as const,
  );
}

describe.skipIf(!hasBrowser)('browser lab: projector mode', () => {
  const lab = useLab();

  async function both(query: string, text: string, drawn?: string, ready?: (page: Page) => Promise<void>) {
    const results: Measured[] = [];
    for (const q of [query, `${query}${query.includes('?') ? '&' : '?'}projector=1`]) {
      const { page, errors } = await lab.open(q, { width: 1366, height: 900 });
      await settled(page);
      await ready?.(page);
      results.push(await measure(page, text, drawn));
      // No notice about the address (an experiment page's, or the playground's banner).
      expect((await page.locator('[data-testid="url-error"], .pg-banner:not([hidden])').allTextContents()).join('')).toBe('');
      if (q.includes('projector')) await screenshot(page, `projector-${query.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'landing'}`);
      expect(errors).toEqual([]);
      await page.close();
    }
    return { plain: results[0], projector: results[1] };
  }

  it('landing page: &projector=1 sets larger type', async () => {
    const { plain, projector } = await both('', '.path-lesson');
    expect(projector.font).toBeGreaterThanOrEqual(plain.font * 1.2);
  });

  it('figures page (activations): larger type and each Plot line twice as thick', async () => {
    const { plain, projector } = await both('?page=activations', '.explanation', ".figures svg g[aria-label='line'] path");
    expect(projector.font).toBeGreaterThanOrEqual(plain.font * 1.2);
    expect(projector.strokeOnScreen!).toBeGreaterThanOrEqual(plain.strokeOnScreen! * 2);
  });

  it('training page (two-layer): larger type; the error curve and heat maps drawn larger, their lines with them', async () => {
    const curve = await both('?page=two-layer', '.control label', '[data-testid="error-curve"]');
    expect(curve.projector.font).toBeGreaterThanOrEqual(curve.plain.font * 1.2);
    expect(curve.projector.zoom! / curve.plain.zoom!).toBeGreaterThanOrEqual(1.5);
    expect(curve.projector.box!.height).toBeGreaterThanOrEqual(curve.plain.box!.height * 1.4);
    const map = await both('?page=two-layer', '.control label', '[data-testid="heatmap-Output"]');
    expect(map.projector.box!.width).toBeGreaterThanOrEqual(map.plain.box!.width * 1.4);
  });

  it('sweep page: &projector=1 sets larger type, with the toggle beside its home link', async () => {
    const { plain, projector } = await both('?page=sweep&experiment=two-layer&seeds=4', '.description');
    expect(projector.font).toBeGreaterThanOrEqual(plain.font * 1.2);
    const { page, errors } = await lab.open('?page=sweep&experiment=two-layer&seeds=4&projector=1');
    await settled(page);
    await expect(page.getByTestId('projector-toggle').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(page.getByTestId('home').getAttribute('href')).resolves.toBe('./?projector=1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('playground: larger type and every network link drawn thicker on screen', async () => {
    const { plain, projector } = await both('?page=playground', '.pg-help', 'path.pg-link', async (page) => {
      await page.waitForFunction(() => document.querySelector('path.pg-link')?.getAttribute('stroke-width') != null);
    });
    expect(projector.font).toBeGreaterThanOrEqual(plain.font * 1.2);
    expect(projector.strokeOnScreen!).toBeGreaterThanOrEqual(plain.strokeOnScreen! * 1.25);
  });

  it('the Projector button switches the mode and writes it into the address, which the pages keep as they rewrite it', async () => {
    const { page, errors } = await lab.open('?page=two-layer', { width: 1366, height: 900 });
    await settled(page);
    const before = await measure(page, '.control label');
    await page.getByTestId('projector-toggle').click();
    expect(new URL(page.url()).searchParams.get('projector')).toBe('1');
    await expect(page.getByTestId('projector-toggle').getAttribute('aria-pressed')).resolves.toBe('true');
    // The way back to the landing page keeps it too.
    await expect(page.getByTestId('home').getAttribute('href')).resolves.toBe('./?projector=1');
    expect((await measure(page, '.control label')).font).toBeGreaterThanOrEqual(before.font * 1.2);
    // A control change rewrites the address; projector mode stays in it.
    await page.getByTestId('option-hidden').fill('3');
    await page.getByTestId('option-hidden').press('Tab');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('hidden') === '3');
    expect(new URL(page.url()).searchParams.get('projector')).toBe('1');
    await page.getByTestId('projector-toggle').click();
    expect(new URL(page.url()).searchParams.get('projector')).toBeNull();
    await expect(page.getByTestId('home').getAttribute('href')).resolves.toBe('./');
    expect((await measure(page, '.control label')).font).toBe(before.font);
    expect(errors).toEqual([]);
    await page.close();

    const playground = await lab.open('?page=playground&projector=1', { width: 1366, height: 900 });
    await settled(playground.page);
    await playground.page.getByTestId('step').click();
    await playground.page.getByTestId('input-lr').fill('0.1');
    await playground.page.getByTestId('input-lr').press('Enter');
    await playground.page.waitForFunction(() => new URLSearchParams(location.search).get('lr') === '0.1');
    expect(new URL(playground.page.url()).searchParams.get('projector')).toBe('1');
    expect(playground.errors).toEqual([]);
    await playground.page.close();
  });
});

describe('landing thumbnails: the build cache', () => {
  it('sourceHash(root) changes with every file render.ts imports, wherever it lives, and not with the page’s own files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nnlab-thumbnails-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      // The lab imports the library by the project's own name, as the real one does.
      write('package.json', JSON.stringify({ name: 'nnlab', type: 'module', exports: { '.': './src/index.ts' } }));
      write('src/index.ts', 'export const x = 0;');
      write('lab/experiments/two-layer.ts', "import { x } from 'nnlab'; export const epochs = 2000 + x;");
      write('lab/report/format.ts', 'export const digits = 3;');
      write('lab/web/landing.ts', 'export {};');
      write('lab/web/thumbnails/render.ts', "import { epochs } from '../../experiments/two-layer.js'; import { digits } from '../../report/format.js'; console.log(epochs, digits);");
      const first = await sourceHash(root);
      expect(await sourceHash(root)).toBe(first);
      write('lab/web/landing.ts', 'export const changed = true;');
      write('lab/experiments/two-layer.test.ts', 'test');
      expect(await sourceHash(root)).toBe(first);
      const changes: [string, string][] = [
        ['lab/experiments/two-layer.ts', "import { x } from 'nnlab'; export const epochs = 3000 + x;"],
        ['src/index.ts', 'export const x = 1;'],
        ['lab/report/format.ts', 'export const digits = 4;'],
        ['lab/web/thumbnails/render.ts', "import { epochs } from '../../experiments/two-layer.js'; import { digits } from '../../report/format.js'; console.log(digits, epochs);"],
        ['package-lock.json', '{}'],
      ];
      let previous = first;
      for (const [path, text] of changes) {
        write(path, text);
        const next = await sourceHash(root);
        expect(next, path).not.toBe(previous);
        previous = next;
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
