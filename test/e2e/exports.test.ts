/**
 * Downloads in a real browser: every figure of an experiment page as PNG (the SVG rasterised by
 * the page, its data-URI heat maps and its text drawn), the records as JSON, and the
 * playground's records and output map.
 */
import { readFile } from 'node:fs/promises';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { hasBrowser, useLab } from './harness.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Clicks a download link or button and returns the file's name and bytes. */
async function download(page: Page, target: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), target.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(path) };
}

interface Picture {
  width: number;
  height: number;
  /** Pixels clearly coloured (a heat map's blues and reds, a curve's colours). */
  coloured: number;
  /** Dark pixels (text, axes, outlines). */
  dark: number;
}

function picture(bytes: Buffer): Picture {
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const { width, height, data, channels } = decode(bytes);
  let coloured = 0;
  let dark = 0;
  for (let i = 0; i < width * height * channels; i += channels) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured++;
    if (Math.max(r, g, b) < 90) dark++;
  }
  return { width, height, coloured, dark };
}

const svgSize = (svg: string) => {
  const root = /<svg\b[^>]*>/.exec(svg)![0];
  return { width: Number(/\swidth="([\d.]+)"/.exec(root)![1]), height: Number(/\sheight="([\d.]+)"/.exec(root)![1]) };
};

describe.skipIf(!hasBrowser)('browser lab: downloads', () => {
  const lab = useLab();
  const open = (query: string) => lab.open(query);

  it('two-layer: each figure downloads as a PNG twice the SVG’s size, heat maps and text drawn; records.json parses', async () => {
    const { page, errors } = await open('?page=two-layer&epochs=300&speed=max');
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.done());

    const links = page.locator('[data-testid^="export-png-"]');
    const ids = await links.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-testid')!));
    expect(ids).toEqual(['export-png-output', 'export-png-hidden', 'export-png-error']);
    for (const id of ids) {
      const figure = id.replace('export-png-', '');
      const png = await download(page, page.getByTestId(id));
      expect(png.name).toBe(`two-layer-seed1-${figure}.png`);
      expect(png.bytes.length).toBeGreaterThan(5_000);
      const svg = await download(page, page.getByTestId(`export-${figure}`));
      const size = svgSize(svg.bytes.toString('utf8'));
      const pixels = picture(png.bytes);
      expect([pixels.width, pixels.height]).toEqual([size.width * 2, size.height * 2]);
      expect(pixels.dark, `${figure}: text and axes`).toBeGreaterThan(500);
      // The maps are PNG data URIs inside the SVG: drawn, they colour a good share of the picture.
      if (figure !== 'error') expect(pixels.coloured / (pixels.width * pixels.height), `${figure}: heat maps`).toBeGreaterThan(0.1);
      else expect(pixels.coloured, 'error: the curve').toBeGreaterThan(200);
    }

    const records = await download(page, page.getByTestId('export-records'));
    expect(records.name).toBe('two-layer-seed1-records.json');
    const parsed = JSON.parse(records.bytes.toString('utf8')) as { kind: string }[];
    expect(new Set(parsed.map((r) => r.kind))).toEqual(new Set(['start', 'epoch', 'snapshot', 'final']));
    const summary = JSON.parse((await download(page, page.getByTestId('export-summary'))).bytes.toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(expect.arrayContaining(['final']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('activations (figures only): every figure downloads as a PNG', async () => {
    const { page, errors } = await open('?page=activations');
    const links = page.locator('[data-testid^="export-png-"]');
    const count = await links.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const png = await download(page, links.nth(i));
      expect(png.name).toMatch(/^activations-seed\d+-[\w.-]+\.png$/);
      const pixels = picture(png.bytes);
      expect(pixels.dark).toBeGreaterThan(500);
      expect(pixels.coloured).toBeGreaterThan(200);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('playground: the records download has the epochs and weights, the output map downloads as the PNG on screen', async () => {
    const { page, errors } = await open('?page=playground');
    await page.waitForFunction(() => window.__nnlab!.error() !== undefined);
    for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
    await page.waitForFunction(() => window.__nnlab!.epoch() === 3);

    const records = await download(page, page.getByTestId('export-records'));
    expect(records.name).toBe('nnlab-playground-epoch-3-records.json');
    const file = JSON.parse(records.bytes.toString('utf8')) as {
      format: string;
      epoch: number;
      records: { epoch: number; trainLoss: number; testLoss: number | null; trainAccuracy: number }[];
      weights: { name: string; weight: number[][]; bias: number[] }[];
      address: string;
    };
    expect(Object.keys(file)).toEqual(expect.arrayContaining(['format', 'network', 'spec', 'settings', 'seed', 'address', 'epoch', 'recordEvery', 'records', 'weights']));
    expect(file.format).toBe('nnlab-playground-records');
    expect(file.epoch).toBe(3);
    expect(file.records.map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
    expect(Object.keys(file.records[0]).sort()).toEqual(['epoch', 'testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss']);
    expect(file.weights.map((w) => w.name)).toEqual(['h1', 'h2', 'output']);
    expect(file.weights[0].weight).toHaveLength(2); // 2 inputs …
    expect(file.weights[0].weight[0]).toHaveLength(4); // … to 4 units
    expect(file.address).toContain('page=playground');

    const png = await download(page, page.getByTestId('export-output-png'));
    expect(png.name).toBe('nnlab-playground-epoch-3-output.png');
    expect(png.bytes.length).toBeGreaterThan(5_000);
    const canvas = await page.getByTestId('heatmap-Output').evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    const pixels = picture(png.bytes);
    expect([pixels.width, pixels.height]).toEqual(canvas);
    expect(pixels.coloured, 'the points and the map').toBeGreaterThan(2_000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
