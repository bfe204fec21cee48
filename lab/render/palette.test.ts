import { describe, expect, it } from 'vitest';
import { colourOf, MISSING_COLOUR, rgbOf } from './palette.js';

describe('colourOf', () => {
  it("colourOf(v) under 'bwr' is matplotlib's bwr: 0 blue, 0.5 white, 1 red", () => {
    expect(colourOf(0)).toBe('#0000ff');
    expect(colourOf(0.5)).toBe('#ffffff');
    expect(colourOf(1)).toBe('#ff0000');
    expect(colourOf(0.25)).toBe('#8080ff');
    expect(colourOf(0.75)).toBe('#ff8080');
  });

  it('colourOf(v, palette, domain) maps the domain ends and midpoint, and clamps outside it', () => {
    expect(colourOf(-1, 'bwr', [-1, 1])).toBe('#0000ff');
    expect(colourOf(0, 'bwr', [-1, 1])).toBe('#ffffff');
    expect(colourOf(1, 'bwr', [-1, 1])).toBe('#ff0000');
    expect(colourOf(-5)).toBe('#0000ff');
    expect(colourOf(Infinity)).toBe('#ff0000');
  });

  it("colourOf(v, 'colorblind') runs blue → white → orange", () => {
    const [r0, , b0] = rgbOf(0, 'colorblind');
    const [r1, g1, b1] = rgbOf(1, 'colorblind');
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(g1);
    expect(g1).toBeGreaterThan(b1);
    expect(colourOf(0.5, 'colorblind')).toBe('#ffffff');
  });

  it('colourOf(NaN) is a neutral grey', () => {
    expect(colourOf(NaN)).toBe(MISSING_COLOUR);
    expect(colourOf(NaN, 'colorblind')).toBe(MISSING_COLOUR);
  });
});
