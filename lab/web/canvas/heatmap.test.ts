import { describe, expect, it } from 'vitest';
import { rgbOf } from '../../render/palette.js';
import { heatMapPixels, resampled } from './heatmap.js';

const pixel = (pixels: Uint8ClampedArray, resolution: number, row: number, column: number) =>
  Array.from(pixels.subarray((row * resolution + column) * 4, (row * resolution + column) * 4 + 4));

describe('heatMapPixels', () => {
  it('heatMapPixels(values, n) draws grid row 0 (x1 = 0) as the bottom pixel row, x0 left to right', () => {
    // Grid rows: row 0 = [0, 1] (x1 = 0), row 1 = [0.5, 0.5] (x1 = 1).
    const pixels = heatMapPixels([0, 1, 0.5, 0.5], 2);
    expect(pixel(pixels, 2, 1, 0)).toEqual([0, 0, 255, 255]); // bottom left: 0 is blue
    expect(pixel(pixels, 2, 1, 1)).toEqual([255, 0, 0, 255]); // bottom right: 1 is red
    expect(pixel(pixels, 2, 0, 0)).toEqual([255, 255, 255, 255]); // top: 0.5 is white
  });

  it('heatMapPixels(values, n, { palette }) matches colourOf within one level of 255', () => {
    const values = Array.from({ length: 16 }, (_, i) => i / 15);
    for (const palette of ['bwr', 'colorblind'] as const) {
      const pixels = heatMapPixels(values, 4, { palette });
      values.forEach((value, i) => {
        const [r, c] = [Math.floor(i / 4), i % 4];
        const got = pixel(pixels, 4, 3 - r, c).slice(0, 3);
        rgbOf(value, palette).forEach((channel, k) => expect(Math.abs(got[k] - channel)).toBeLessThanOrEqual(1));
      });
    }
  });

  it('heatMapPixels(values, n, { domain }) spans the domain, clamps outside it and greys NaN', () => {
    const pixels = heatMapPixels([-1, 0, 1, NaN], 2, { domain: [-1, 1] });
    expect(pixel(pixels, 2, 1, 0).slice(0, 3)).toEqual([0, 0, 255]);
    expect(pixel(pixels, 2, 1, 1).slice(0, 3)).toEqual([255, 255, 255]);
    expect(pixel(pixels, 2, 0, 0).slice(0, 3)).toEqual([255, 0, 0]);
    expect(pixel(pixels, 2, 0, 1).slice(0, 3)).toEqual([128, 128, 128]);
    const clamped = heatMapPixels([-5, 5, 0, 1], 2);
    expect(pixel(clamped, 2, 1, 0).slice(0, 3)).toEqual([0, 0, 255]);
    expect(pixel(clamped, 2, 1, 1).slice(0, 3)).toEqual([255, 0, 0]);
  });

  it('heatMapPixels(typed array, n, {}, out) fills and returns the buffer it is given', () => {
    const out = new Uint8ClampedArray(4 * 4);
    expect(heatMapPixels(new Float32Array([0, 0, 0, 0]), 2, {}, out)).toBe(out);
    expect(pixel(out, 2, 0, 0)).toEqual([0, 0, 255, 255]);
  });

  it('heatMapPixels rejects values that do not fill the grid, naming both counts', () => {
    expect(() => heatMapPixels([0, 1, 2], 2)).toThrow('3 values do not fill a 2×2 grid (4)');
    expect(() => heatMapPixels([0], 0)).toThrow('resolution must be a positive integer, got 0');
  });
});

describe('resampled', () => {
  it('resampled(values, 4, 2) keeps the cell nearest each coarse cell’s centre', () => {
    const values = Array.from({ length: 16 }, (_, i) => i); // row r, column c holds 4r + c
    expect(Array.from(resampled(values, 4, 2))).toEqual([5, 7, 13, 15]);
  });

  it('resampled(values, n, n) is the map itself; resampled(values, 3, 1) its middle', () => {
    const values = Array.from({ length: 9 }, (_, i) => i / 8);
    expect(Array.from(resampled(values, 3, 3))).toEqual(Array.from(Float32Array.from(values)));
    expect(Array.from(resampled(values, 3, 1))).toEqual([0.5]);
    expect(() => resampled(values, 3, 2, new Float32Array(3))).toThrow('out has 3 values, needs 4');
  });
});
