/**
 * Projector mode drawn sharp, and the playground's network in the room it has, in real Chromium:
 * every canvas's drawing buffer is its box as displayed (CSS size × zoom) × devicePixelRatio, on
 * 1× and 2× screens; chart lines are drawn thicker in projector mode, not stretched; and at
 * 1366×768 the network drawing and its layer cards stay inside their panel, plain and projector,
 * for the default and the largest network. Screenshots go to test-artifacts/e2e/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, hasBrowser, nextFrame, settled, useLab } from './harness.js';
import type { Viewport } from './harness.js';

const SCREEN = { width: 1366, height: 768 };
/** The largest network the playground builds: all 7 input features, 6 hidden layers of 8 units. */
const LARGEST = '&inputs=x0,x1,x0sq,x1sq,x0x1,sin0,sin1&layers=8,8,8,8,8,8';
const MODES = [
  ['plain', ''],
  ['projector', '&projector=1'],
] as const;

interface CanvasFit {
  name: string;
  buffer: [number, number];
  /** The content box as displayed (CSS pixels × zoom) × devicePixelRatio. */
  displayed: [number, number];
}

/** Every laid-out canvas under `selector` (but those under `except`): its buffer and its displayed size in device pixels. */
function canvasFits(page: Page, selector: string, except = ''): Promise<CanvasFit[]> {
  return page.evaluate(
    ([selector, except]) =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>(selector))
        .filter((c) => c.clientWidth > 0 && (except === '' || c.closest(except) === null))
        .map((c) => {
          const box = c.getBoundingClientRect();
          // The box less its border, as displayed: the border is the same share of it zoomed or not.
          const [w, h] = [(box.width * c.clientWidth) / c.offsetWidth, (box.height * c.clientHeight) / c.offsetHeight];
          return { name: c.dataset.testid ?? c.className, buffer: [c.width, c.height], displayed: [w * devicePixelRatio, h * devicePixelRatio] };
        }),
    [selector, except] as const,
  ) as Promise<CanvasFit[]>;
}

function expectSharp(fits: CanvasFit[], count: number): void {
  expect(fits.length, 'canvases measured').toBeGreaterThanOrEqual(count);
  for (const { name, buffer, displayed } of fits) {
    const off = Math.max(Math.abs(buffer[0] - displayed[0]), Math.abs(buffer[1] - displayed[1]));
    expect(off, `${name}: buffer ${buffer.join('×')} for ${displayed.map((v) => v.toFixed(1)).join('×')} device pixels`).toBeLessThanOrEqual(1);
  }
}

describe.skipIf(!hasBrowser)('browser lab: projector mode drawn sharp, the network in its room', () => {
  const lab = useLab();

  async function playground(query: string, viewport: Viewport): Promise<{ page: Page; errors: string[] }> {
    const opened = await lab.open(`?page=playground${query}`, viewport);
    await opened.page.waitForFunction(() => window.__nnlab?.page === 'playground' && window.__nnlab.error() !== undefined);
    await settled(opened.page);
    return opened;
  }

  for (const dpr of [1, 2]) {
    for (const [mode, flag] of MODES) {
      it(`playground, ${mode}, devicePixelRatio ${dpr}: unit maps, enlarged map, output and class maps, loss and accuracy curves have a buffer of their displayed size × ${dpr}`, async () => {
        const { page, errors } = await playground(`&data=spiral&classes=3&loss=softmax${flag}`, { ...SCREEN, deviceScaleFactor: dpr });
        await page.getByTestId('step').click();
        await page.waitForFunction(() => window.__nnlab!.epoch() >= 1);
        await page.getByTestId('heatmap-h1.0').click();
        await nextFrame(page);
        // The data set thumbnails keep their own fixed buffers (thumbnails.ts).
        const fits = await canvasFits(page, '.pg canvas', '[data-testid=dataset-thumbnails]');
        // 2 inputs + 4 + 2 hidden + 3 outputs, the enlarged map, the output map, 3 class maps, 2 curves.
        expectSharp(fits, 11 + 1 + 1 + 3 + 2);
        expect(errors).toEqual([]);
        await page.close();
      });

      it(`training page (two-layer), ${mode}, devicePixelRatio ${dpr}: the heat maps and the error curve have a buffer of their displayed size × ${dpr}`, async () => {
        const { page, errors } = await lab.open(`?page=two-layer${flag}`, { ...SCREEN, deviceScaleFactor: dpr });
        await settled(page);
        expectSharp(await canvasFits(page, '.live canvas'), 2);
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  it('the Projector button on a paused page redraws for the new mode: buffers fitted to the zoomed boxes, the network larger, its links 1.5 × thicker', async () => {
    const { page, errors } = await playground('', { ...SCREEN, deviceScaleFactor: 2 });
    const links = () => page.evaluate(() => Array.from(document.querySelectorAll('path.pg-link'), (p) => Number(p.getAttribute('stroke-width'))));
    const unit = () => page.evaluate(() => document.querySelector('.pg-node')!.getBoundingClientRect().width);
    const [plainLinks, plainUnit] = [await links(), await unit()];
    await page.getByTestId('projector-toggle').click();
    await nextFrame(page);
    expectSharp(await canvasFits(page, '.pg canvas', '[data-testid=dataset-thumbnails]'), 9 + 1 + 2);
    // Widths are written to a tenth of a pixel.
    (await links()).forEach((width, i) => expect(width, `link ${i}`).toBeCloseTo(plainLinks[i] * 1.5, 0));
    expect(await unit()).toBeGreaterThan(plainUnit);
    await page.close();

    const training = await lab.open('?page=two-layer', { ...SCREEN, deviceScaleFactor: 2 });
    await settled(training.page);
    expect((await training.page.evaluate(() => window.__nnlab!.running())), 'a training page opens paused').toBe(false);
    await training.page.getByTestId('projector-toggle').click();
    await nextFrame(training.page);
    expectSharp(await canvasFits(training.page, '.live canvas'), 2);
    expect([...errors, ...training.errors]).toEqual([]);
    await training.page.close();
  });

  it('the loss curve: projector mode draws its line 1.5 × thicker on top of its zoom, with solid ink across it (drawn, not stretched)', async () => {
    const measured: Record<string, { expected: number; ink: number; solid: number }> = {};
    for (const dpr of [1, 2]) {
      for (const [mode, flag] of MODES) {
        // No test points: one curve, a straight line from epoch 0 to epoch 1.
        const { page, errors } = await playground(`&test=0${flag}`, { ...SCREEN, deviceScaleFactor: dpr });
        await page.getByTestId('step').click();
        await page.waitForFunction(() => window.__nnlab!.epoch() >= 1);
        await nextFrame(page);
        const line = await page.getByTestId('loss-curve').evaluate((canvas: HTMLCanvasElement) => {
          const zoom = (canvas as HTMLCanvasElement & { currentCSSZoom: number }).currentCSSZoom;
          const ratio = canvas.width / canvas.clientWidth;
          // A pixel column through the middle of the plot (curve.ts's margins: 58 left, 22 right, 26 top, 40 bottom).
          const x = Math.round((58 + (canvas.clientWidth - 80) / 2) * ratio);
          const [top, bottom] = [Math.ceil(27 * ratio), Math.floor((canvas.clientHeight - 41) * ratio)];
          const rgba = canvas.getContext('2d')!.getImageData(x, top, 1, bottom - top).data;
          // Each pixel's share of the curve's ink (#222 over white): 1 where the line covers it.
          const ink = Array.from({ length: bottom - top }, (_, y) => ((rgba[y * 4 + 3] / 255) * (255 - rgba[y * 4])) / (255 - 0x22));
          // The run of pixels around the darkest one (grid lines are apart from it, and fainter).
          const darkest = ink.indexOf(Math.max(...ink));
          let [from, to] = [darkest, darkest];
          while (from > 0 && ink[from - 1] > 0.03) from--;
          while (to < ink.length - 1 && ink[to + 1] > 0.03) to++;
          const run = ink.slice(from, to + 1);
          return { zoom, ink: run.reduce((a, b) => a + b, 0), solid: run.filter((v) => v > 0.95).length };
        });
        const expected = 1.5 * (mode === 'projector' ? 1.5 : 1) * line.zoom * dpr;
        measured[`${mode} ×${dpr}`] = { expected, ink: line.ink, solid: line.solid };
        expect(errors).toEqual([]);
        await page.close();
      }
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(`${ARTIFACTS}/loss-line-thickness.json`, JSON.stringify(measured, null, 2) + '\n');
    for (const [name, { expected, ink, solid }] of Object.entries(measured)) {
      // The ink across the line adds up to its width in device pixels; all but its two edge pixels are solid.
      expect(ink, `${name}: ink across the line`).toBeGreaterThan(expected * 0.85);
      expect(ink, `${name}: ink across the line`).toBeLessThan(expected * 1.15);
      expect(solid, `${name}: solid pixels`).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    }
    expect(measured['projector ×1'].ink / measured['plain ×1'].ink).toBeGreaterThan(1.8);
  });

  for (const [mode, flag] of MODES) {
    for (const [network, layers] of [
      ['the default network', ''],
      ['the largest network (6 hidden layers of 8, all 7 inputs)', LARGEST],
    ] as const) {
      it(`1366×768, ${mode}, ${network}: every element of the network panel inside the panel, the layer cards apart, no horizontal scrolling`, async () => {
        const { page, errors } = await playground(`${layers}${flag}`, SCREEN);
        const found = await page.evaluate(() => {
          const panel = document.querySelector<HTMLElement>('.pg-network')!;
          const bounds = panel.getBoundingClientRect();
          const box = (e: Element) => {
            const r = e.getBoundingClientRect();
            return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
          };
          const outside = Array.from(panel.querySelectorAll('*'))
            .map((e) => ({ e, b: box(e) }))
            .filter(({ b }) => b.width > 0 && b.height > 0 && (b.left < bounds.left - 0.5 || b.right > bounds.right + 0.5))
            .map(({ e, b }) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') ?? ''} ${Math.round(b.left)}–${Math.round(b.right)}`);
          const cards = Array.from(panel.querySelectorAll('.pg-card')).map((card) => {
            const b = box(card);
            const spills = Array.from(card.querySelectorAll('*'))
              .filter((e) => {
                const c = box(e);
                return c.width > 0 && (c.left < b.left - 0.5 || c.right > b.right + 0.5);
              })
              .map((e) => `${e.tagName.toLowerCase()} ${e.textContent} ${Math.round(box(e).left - b.left)}–${Math.round(box(e).right - b.left)} in ${Math.round(b.width)}`);
            return { ...b, spills };
          });
          // The boxes the one-screen test measures (playground-data.test.ts), for the record: projector mode's type does not leave room for them all at 1366×768.
          const regions = Object.fromEntries(
            Object.entries({ 'run bar': '.pg-bar', 'training settings': '.pg-training', 'noise and test share': '.pg-data .pg-field-test-share', network: '.pg-net', 'output map': '[data-testid=heatmap-Output]', 'loss curve': '[data-testid=loss-curve]' }).map(
              ([name, selector]) => {
                const r = document.querySelector(selector)!.getBoundingClientRect();
                return [name, `${Math.round(r.left)},${Math.round(r.top)} – ${Math.round(r.right)},${Math.round(r.bottom)}`];
              },
            ),
          );
          const scroller = panel.querySelector<HTMLElement>('.pg-net-scroll')!;
          const node = panel.querySelector('.pg-node')!.getBoundingClientRect();
          return {
            outside,
            cards,
            scroller: [scroller.scrollWidth, scroller.clientWidth],
            page: [document.documentElement.scrollWidth, window.innerWidth],
            panel: box(panel),
            net: box(panel.querySelector('.pg-net')!),
            unit: node.width,
            regions,
          };
        });
        expect(found.outside, 'elements past the panel’s sides').toEqual([]);
        expect(found.scroller[0], 'the network scrolls sideways').toBeLessThanOrEqual(found.scroller[1]);
        expect(found.page[0], 'the page scrolls sideways').toBeLessThanOrEqual(found.page[1]);
        for (let i = 1; i < found.cards.length; i++) expect(found.cards[i].left, `card h${i + 1} clear of h${i}`).toBeGreaterThanOrEqual(found.cards[i - 1].right);
        expect(found.cards.flatMap((c) => c.spills), 'card controls spilling out of their card').toEqual([]);
        mkdirSync(ARTIFACTS, { recursive: true });
        const name = `network-1366x768-${mode}-${layers === '' ? 'default' : 'largest'}`;
        writeFileSync(`${ARTIFACTS}/${name}.json`, JSON.stringify({ unit: found.unit, cards: found.cards.map((c) => c.width), regions: found.regions }, null, 2) + '\n');
        await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: mode === 'projector' });
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }
});
