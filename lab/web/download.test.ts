import { describe, expect, it } from 'vitest';
import { svgSize } from './download.js';

describe('svgSize', () => {
  it('svgSize(svg) reads the root element’s width and height', () => {
    expect(svgSize('<svg xmlns="http://www.w3.org/2000/svg" width="352" height="305" viewBox="0 0 1 1"><svg width="9" height="9"/></svg>')).toEqual({ width: 352, height: 305 });
  });

  it('svgSize(svg) falls back to the viewBox, and names what is missing', () => {
    expect(svgSize('<svg viewBox="0 0 640 400.5">')).toEqual({ width: 640, height: 400.5 });
    expect(() => svgSize('<svg width="100%">')).toThrow('neither a width and height nor a viewBox');
    expect(() => svgSize('<p>no figure</p>')).toThrow('has no <svg> element');
  });
});
