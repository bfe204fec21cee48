/** The playground's input features, default speed, curve colours and test points, in a real browser. */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, hasBrowser, nextFrame, screenshot, settled, useLab } from './harness.js';

describe.skipIf(!hasBrowser)('browser lab: playground features and speed', () => {
  const lab = useLab();

  async function open(query = ''): Promise<{ page: Page; errors: string[] }> {
    const opened = await lab.open(`?page=playground${query}`);
    await opened.page.waitForFunction(() => window.__nnlab?.page === 'playground' && window.__nnlab.error() !== undefined);
    await settled(opened.page);
    return opened;
  }

  /** A canvas's pixels as [distinct colours, mean red − mean blue], read in the page. */
  const pixels = (page: Page, testid: string) =>
    page.getByTestId(testid).evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return { colours: colours.size, width: canvas.width, data: Array.from(data) };
    });

  it('every input feature is an input unit with its own map, and ticking one adds it to the URL and the network', async () => {
    const { page, errors } = await open('&inputs=x0,x1,x0sq,x1sq,x0x1,sin0,sin1&speed=max');
    const maps = new Map<string, number[]>();
    for (const f of ['x0', 'x1', 'x0sq', 'x1sq', 'x0x1', 'sin0', 'sin1']) {
      const { colours, data } = await pixels(page, `heatmap-${f}`);
      expect(colours, `input ${f}'s map is drawn (more than one colour)`).toBeGreaterThan(4);
      maps.set(f, data);
    }
    const distinct = new Set([...maps.values()].map((d) => d.join()));
    expect(distinct.size).toBe(7);
    await screenshot(page, 'playground-features');

    const second = await open('');
    expect(await second.page.getByTestId('heatmap-x0sq').count()).toBe(0);
    await second.page.getByTestId('input-feature-x0sq').check();
    await second.page.getByTestId('heatmap-x0sq').waitFor();
    expect(new URL(second.page.url()).searchParams.get('inputs')).toBe('x0,x1,x0sq');
    expect(errors).toEqual([]);
    expect(second.errors).toEqual([]);
    await page.close();
    await second.page.close();
  });

  it('opens at the watchable 30 epochs/s, and "as fast as it goes" is one click away and back', async () => {
    const { page, errors } = await open();
    const speed = page.getByTestId('input-speed');
    expect(await speed.inputValue()).toBe('30');
    const toggle = page.getByTestId('speed-toggle');
    await toggle.click();
    await expect.poll(() => speed.inputValue()).toBe('max');
    expect(new URL(page.url()).searchParams.get('speed')).toBe('max');
    expect(await toggle.textContent()).toMatch(/Slow down/);
    await toggle.click();
    await expect.poll(() => speed.inputValue()).toBe('30');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('test points are not drawn black: near-black ink (outlines only) is under 2 % of the output map', async () => {
    const { page, errors } = await open('&data=gaussians&noise=0&speed=max');
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() >= 60);
    await page.getByTestId('pause').click();
    await nextFrame(page);
    const { data, width } = await pixels(page, 'heatmap-Output');
    // Near-black pixels (every channel < 60) are the points' thin outlines only: few of them.
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 60 && data[i + 1] < 60 && data[i + 2] < 60) dark++;
    expect(dark / (data.length / 4)).toBeLessThan(0.02);
    expect(width).toBeGreaterThan(0);
    await screenshot(page, 'playground-test-points');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hovering a unit shows its map large in the output view, with the data points; leaving it brings the output back', async () => {
    const { page, errors } = await open('&speed=max');
    for (let i = 0; i < 20; i++) await page.getByTestId('step').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() === 20);
    await nextFrame(page);
    const before = (await pixels(page, 'heatmap-Output')).data.join();
    await page.getByTestId('heatmap-h1.0').hover();
    await expect.poll(() => page.getByTestId('output-showing').textContent()).toMatch(/^Showing h1\.0 \(a tanh unit\)/);
    await nextFrame(page);
    expect((await pixels(page, 'heatmap-Output')).data.join()).not.toBe(before);
    await screenshot(page, 'playground-hover-unit');
    await page.getByTestId('heatmap-x0').hover();
    await expect.poll(() => page.getByTestId('output-showing').textContent()).toMatch(/^Showing x₀ \(an input feature\)/);
    await page.mouse.move(2, 2);
    await expect.poll(() => page.getByTestId('output-showing').textContent()).toBe('');
    await nextFrame(page);
    expect((await pixels(page, 'heatmap-Output')).data.join()).toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('every hidden and output unit shows its bias: a corner square whose value matches the unit\'s tooltip', async () => {
    const { page, errors } = await open('&speed=max');
    for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() === 5);
    await nextFrame(page);
    for (const id of ['h1.0', 'h1.3', 'h2.1', 'out.0']) {
      const bias = page.getByTestId(`bias-${id}`);
      await expect.poll(() => bias.getAttribute('data-bias')).toMatch(/^-?\d/);
      const box = (await bias.boundingBox())!;
      expect(box.width).toBeGreaterThan(5);
      const title = await bias.evaluate((span) => span.parentElement!.title);
      expect(title).toContain(`bias ${await bias.getAttribute('data-bias')}`);
    }
    expect(await page.getByTestId('bias-x0').count()).toBe(0);
    await page.getByTestId('heatmap-h1.0').screenshot({ path: `${ARTIFACTS}/playground-bias-h1.0.png`, scale: 'device' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
