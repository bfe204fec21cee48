/**
 * The playground's data and layout in a real browser: regression data sets trained to a low
 * squared error (with their map, legend, URL and exports), the data set thumbnails, the sliders
 * beside the number boxes, and one screen at 1366×768 measured from element boxes.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { useLabArithmetic } from '../../lab/experiments/arithmetic.js';
import { PlaygroundModel } from '../../lab/web/playground/trainer.js';
import { pointsOf } from '../../lab/web/playground/transitions.js';
import { networkSpecOf, parseState } from '../../lab/web/playground/url-state.js';
import { ARTIFACTS, hasBrowser, nextFrame, settled, useLab } from './harness.js';

const SCREEN = { width: 1366, height: 768 };

describe.skipIf(!hasBrowser)('browser lab: playground data and layout', () => {
  const lab = useLab();

  async function open(query = '', viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const opened = await lab.open(`?page=playground${query}`, viewport);
    await opened.page.waitForFunction(() => window.__nnlab?.page === 'playground' && window.__nnlab.error() !== undefined);
    await settled(opened.page);
    return opened;
  }

  const param = (page: Page, key: string) => new URL(page.url()).searchParams.get(key);

  async function download(page: Page, target: Locator): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), target.click()]);
    return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
  }

  /** The mean colour of a small patch of the output map at data point (x0, x1), read in the page. */
  const mapColour = (page: Page, x0: number, x1: number) =>
    page.getByTestId('heatmap-Output').evaluate((canvas: HTMLCanvasElement, [x0, x1]) => {
      const margin = Math.round((canvas.width * 10) / 320);
      const side = canvas.width - 2 * margin;
      const [x, y] = [margin + x0 * side, margin + (1 - x1) * side].map(Math.round);
      const data = canvas.getContext('2d')!.getImageData(x - 3, y - 3, 7, 7).data;
      const mean = [0, 1, 2].map((c) => {
        let sum = 0;
        for (let i = c; i < data.length; i += 4) sum += data[i];
        return sum / (data.length / 4);
      });
      return { red: mean[0], blue: mean[2] };
    }, [x0, x1]);

  it('the plane (regression) trains with squared error to below 0.01 in 50 epochs, as in Node: value map and legend, URL, records and model file', async () => {
    // The same run in Node (the page's state, model and arithmetic): its error after 50 epochs.
    useLabArithmetic();
    const { state } = parseState('?page=playground&data=plane');
    const expected = new PlaygroundModel(networkSpecOf(state), pointsOf(state), state.settings, state.seed).train(50).at(-1)!.trainLoss;
    const { page, errors } = await open('&data=plane');
    expect(await page.getByTestId('input-loss').inputValue()).toBe('mse');
    expect(await page.locator('.pg-stat span', { hasText: /^Train squared error$/ }).count()).toBe(1);
    expect(await page.locator('.pg-stat span', { hasText: /^Test squared error$/ }).count()).toBe(1);
    expect(await page.getByTestId('accuracy').isVisible()).toBe(false);
    expect(await page.getByTestId('accuracy-curve').isVisible()).toBe(false);
    expect(await page.getByTestId('input-classes').isVisible()).toBe(false);
    expect([await page.getByTestId('value-legend-low').textContent(), await page.getByTestId('value-legend-high').textContent()]).toEqual(['−1', '1']);
    const start = await page.evaluate(() => window.__nnlab!.error()!);

    for (let i = 0; i < 50; i++) await page.getByTestId('step').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() === 50);
    await nextFrame(page);
    const end = await page.evaluate(() => window.__nnlab!.error()!);
    expect(start).toBeGreaterThan(0.05);
    expect(end).toBe(expected);
    expect(end).toBeLessThan(0.01);
    expect(Number(await page.getByTestId('test-error').textContent())).toBeLessThan(0.01);
    // x₀ + x₁ − 1: about 1 (warm) at the top right, −1 (cool) at the bottom left.
    const high = await mapColour(page, 0.93, 0.93);
    const low = await mapColour(page, 0.07, 0.07);
    expect(high.red - high.blue).toBeGreaterThan(60);
    expect(low.blue - low.red).toBeGreaterThan(60);
    expect(param(page, 'data')).toBe('plane');
    // The output unit in the network is the value too, on the same −1 … 1 scale.
    await page.getByTestId('node-out.0').hover();
    await expect.poll(() => page.getByTestId('output-showing').textContent()).toMatch(/^Showing out\.0 \(the predicted value\), from −?-?1(\.0+)? \(cool\) to 1(\.0+)? \(warm\)/);
    await page.mouse.move(2, 2);

    // Clicking the map does not make a class point of a regression set: it says why.
    await page.getByTestId('heatmap-Output').click({ position: { x: 100, y: 100 } });
    expect(await page.getByTestId('edit-error').textContent()).toMatch(/regression data set/);
    expect(param(page, 'data')).toBe('plane');

    const epoch = await page.evaluate(() => window.__nnlab!.epoch());
    const records = await download(page, page.getByTestId('export-records'));
    const file = JSON.parse(records.text) as { network: string; spec: { task: string; loss: string }; records: { trainLoss: number; trainAccuracy: number | null }[]; address: string };
    expect(file.network).toBe('2 → 4 tanh → 2 tanh → 1 linear');
    expect(file.spec).toMatchObject({ task: 'regression', loss: 'mse' });
    expect(file.records.at(-1)).toMatchObject({ trainLoss: end, trainAccuracy: null });
    expect(file.address).toMatch(/data=plane&.*&loss=mse&/);
    const png = await download(page, page.getByTestId('export-output-png'));
    expect(png.name).toBe(`nnlab-playground-epoch-${epoch}-output.png`);
    const model = await download(page, page.getByTestId('model-save'));
    expect((JSON.parse(model.text) as { config: { playground: { task: string } } }).config.playground.task).toBe('regression');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the data set thumbnails are drawn, keyboard-pickable buttons that follow the seed', async () => {
    const { page, errors } = await open('&data=circle');
    const thumbnails = page.getByTestId('dataset-thumbnails').getByRole('button');
    const names = await thumbnails.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    expect(names).toHaveLength(12);
    expect(names).toContain('Gaussian bump (regression)');
    const colours = (name: string) =>
      page.getByTestId(`dataset-${name}`).locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return { count: seen.size, pixels: Array.from(data).join() };
      });
    for (const name of ['xor', 'square', 'circle', 'spiral', 'plane', 'bump']) expect((await colours(name)).count, `${name} is drawn`).toBeGreaterThan(2);
    expect(await page.getByTestId('dataset-circle').getAttribute('aria-pressed')).toBe('true');

    await page.getByTestId('dataset-spiral').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => param(page, 'data')).toBe('spiral');
    expect(await page.getByTestId('dataset-spiral').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('dataset-circle').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('input-dataset').inputValue()).toBe('spiral');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // the next thumbnail, plane
    await expect.poll(() => param(page, 'data')).toBe('plane');

    const before = (await colours('circle')).pixels;
    await page.getByRole('button', { name: 'Next seed' }).click();
    await expect.poll(() => param(page, 'seed')).toBe('2');
    await nextFrame(page);
    expect((await colours('circle')).pixels, 'a new seed, new points').not.toBe(before);
    await page.getByTestId('dataset-thumbnails').screenshot({ path: `${ARTIFACTS}/playground-thumbnails.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sliders for noise, test share and learning rate move with their boxes both ways and write the URL', async () => {
    const { page, errors } = await open('&noise=0.2&test=0.1&lr=0.003');
    expect(await page.getByTestId('slider-noise').inputValue()).toBe('0.2');
    expect(await page.getByTestId('slider-test-share').inputValue()).toBe('0.1');
    expect(await page.getByTestId('slider-lr').getAttribute('aria-valuetext')).toBe('0.003');
    expect(await page.getByTestId('test-share-error').textContent()).toBe('');

    await page.getByTestId('slider-noise').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => param(page, 'noise')).toBe('0.21');
    expect(await page.getByTestId('input-noise').inputValue()).toBe('0.21');

    await page.getByTestId('input-test-share').fill('0.5');
    await page.getByTestId('input-test-share').press('Tab');
    await expect.poll(() => param(page, 'test')).toBe('0.5');
    expect(await page.getByTestId('slider-test-share').inputValue()).toBe('0.5');

    await page.getByTestId('slider-lr').focus();
    await page.keyboard.press('ArrowRight'); // 0.003 → 0.01 on the log stops
    await expect.poll(() => param(page, 'lr')).toBe('0.01');
    expect(await page.getByTestId('input-lr').inputValue()).toBe('0.01');
    await page.getByTestId('input-lr').fill('0.05');
    await page.getByTestId('input-lr').press('Tab');
    await expect.poll(() => param(page, 'lr')).toBe('0.05');
    expect(await page.getByTestId('slider-lr').getAttribute('aria-valuetext')).toBe('0.03'); // the nearest stop
    // A bad number in the box leaves the slider and the URL where they were.
    await page.getByTestId('input-noise').fill('0.9');
    await page.getByTestId('input-noise').press('Tab');
    expect(await page.getByTestId('noise-error').textContent()).toMatch(/noise|Noise/);
    expect(param(page, 'noise')).toBe('0.21');
    expect(await page.getByTestId('slider-noise').inputValue()).toBe('0.21');
    expect(errors).toEqual([]);
    await page.close();

    // A bad test share in the address: its message beside the box, not in the run bar's test loss.
    const bad = await open('&test=2');
    expect(await bad.page.getByTestId('test-share-error').textContent()).toMatch(/test share must be from 0 to 0.9, got 2/);
    expect(await bad.page.getByTestId('test-error').textContent()).toMatch(/^\d/);
    expect(await bad.page.getByTestId('slider-test-share').inputValue()).toBe('0.3');
    await bad.page.close();
  });

  /** The boxes that must show together on one screen: the controls, the network, the output map and the loss curve. */
  const REGIONS = {
    'run bar': '.pg-bar',
    'training settings': '.pg-training',
    'data set thumbnails': '[data-testid=dataset-thumbnails]',
    'noise and test share': '.pg-data .pg-field-test-share',
    network: '.pg-net',
    'output map': '[data-testid=heatmap-Output]',
    'loss curve': '[data-testid=loss-curve]',
  };

  it.each([
    ['the default circle', '', 'playground-1366x768'],
    ['the bump (regression), trained', '&data=bump', 'playground-regression-1366x768'],
    // The largest network the playground builds: its drawing shrinks its units to the room left (network-layout.ts).
    ['the largest network: all 7 inputs, 6 hidden layers of 8', '&inputs=x0,x1,x0sq,x1sq,x0x1,sin0,sin1&layers=8,8,8,8,8,8', 'playground-largest-1366x768'],
  ])('one screen at 1366×768 (%s): controls, network, output and loss curve inside the viewport, none overlapping', async (_, query, shot) => {
    const { page, errors } = await open(`${query}&speed=max`, SCREEN);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() >= 200);
    await page.getByTestId('pause').click();
    await nextFrame(page);
    const boxes = await page.evaluate((regions) => {
      const out: Record<string, { left: number; top: number; right: number; bottom: number }> = {};
      for (const [name, selector] of Object.entries(regions)) {
        const r = document.querySelector(selector)!.getBoundingClientRect();
        out[name] = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }
      return { out, scrollY: window.scrollY };
    }, REGIONS);
    expect(boxes.scrollY).toBe(0);
    const entries = Object.entries(boxes.out);
    for (const [name, b] of entries) {
      expect(b.right - b.left, `${name} has a size`).toBeGreaterThan(20);
      expect([b.left >= 0, b.top >= 0, b.right <= SCREEN.width, b.bottom <= SCREEN.height], `${name} ${JSON.stringify(b)} inside 1366×768`).toEqual([true, true, true, true]);
    }
    const apart = entries;
    for (let i = 0; i < apart.length; i++) {
      for (let j = i + 1; j < apart.length; j++) {
        const [[a, p], [b, q]] = [apart[i], apart[j]];
        const overlap = p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
        expect(overlap, `${a} ${JSON.stringify(p)} and ${b} ${JSON.stringify(q)} overlap`).toBe(false);
      }
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/${shot}.png` });
    expect(errors).toEqual([]);
    await page.close();
  });
});
