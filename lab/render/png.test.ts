import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { svgToPng } from './png.js';
import { pixelsOf } from './test-helpers.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which follows the signature and its own length and type. */
function ihdrSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  return [view.getUint32(16), view.getUint32(20)];
}

const square = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect x="10" y="10" width="10" height="10" fill="#ff0000"/></svg>';
const hasSystemFonts = existsSync('/usr/share/fonts') && readdirSync('/usr/share/fonts', { recursive: true }).some((f) => /\.(ttf|otf)$/i.test(String(f)));

describe('svgToPng', () => {
  it('svgToPng(svg) is PNG bytes at twice the SVG size, on white', async () => {
    const png = await svgToPng(square);
    expect([...png.subarray(0, 8)]).toEqual(SIGNATURE);
    expect(ihdrSize(png)).toEqual([80, 60]);
    const pixels = pixelsOf(png);
    expect(pixels.at(0, 0)).toBe('#ffffff');
    expect(pixels.at(30, 30)).toBe('#ff0000');
  });

  it('svgToPng(svg, { scale: 1 }) keeps the SVG size', async () => {
    expect(ihdrSize(await svgToPng(square, { scale: 1 }))).toEqual([40, 30]);
  });

  it.skipIf(!hasSystemFonts)('svgToPng(svg) draws text with a system font', async () => {
    const text = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" font-family="system-ui, sans-serif"><text x="2" y="15" font-size="14">epoch</text></svg>';
    const pixels = pixelsOf(await svgToPng(text, { scale: 1 }));
    let dark = 0;
    for (let y = 0; y < pixels.height; y++) for (let x = 0; x < pixels.width; x++) if (pixels.at(x, y) < '#808080') dark++;
    expect(dark).toBeGreaterThan(20);
  });

  it('svgToPng(malformed) rejects', async () => {
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).rejects.toThrow();
  });
});
