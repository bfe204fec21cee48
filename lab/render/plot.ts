/** Running Observable Plot on the installed document and turning its chart into a layout block. Node and browser. */
import * as Plot from '@observablehq/plot';
import { domDocument } from './document.js';
import type { Block } from './layout.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface Chart {
  svg: SVGSVGElement;
  /** Data → pixel coordinates of the chart's x and y scales. */
  x(value: number): number;
  y(value: number): number;
}

export function chart(options: Plot.PlotOptions): Chart {
  const figure = Plot.plot({ ...options, document: domDocument() });
  // Without title, subtitle, caption or legend, Plot returns the bare <svg>.
  if (figure.tagName.toLowerCase() !== 'svg') throw new Error('chart: Plot returned a <figure>; pass no title or legend options');
  const scale = (name: 'x' | 'y') => {
    const s = figure.scale(name);
    if (s === undefined) throw new Error(`chart: the plot has no ${name} scale`);
    return (value: number): number => s.apply(value) as number;
  };
  return { svg: figure as SVGSVGElement, x: scale('x'), y: scale('y') };
}

/**
 * Puts an image under all marks, stretched over the data rectangle [x0, x1] × [y0, y1], with
 * nearest-neighbour scaling so each grid point stays one flat square.
 */
export function underlayImage(target: Chart, href: string, [x0, x1]: [number, number], [y0, y1]: [number, number]): void {
  const image = target.svg.ownerDocument.createElementNS(SVG_NS, 'image');
  const left = Math.min(target.x(x0), target.x(x1));
  const top = Math.min(target.y(y0), target.y(y1));
  image.setAttribute('x', String(left));
  image.setAttribute('y', String(top));
  image.setAttribute('width', String(Math.abs(target.x(x1) - target.x(x0))));
  image.setAttribute('height', String(Math.abs(target.y(y1) - target.y(y0))));
  image.setAttribute('preserveAspectRatio', 'none');
  // `optimizeSpeed` is what resvg reads; browsers need the CSS keyword for crisp pixels.
  image.setAttribute('image-rendering', 'optimizeSpeed');
  image.setAttribute('style', 'image-rendering:pixelated');
  image.setAttribute('href', href);
  target.svg.insertBefore(image, target.svg.firstChild);
}

/**
 * The chart as a block. Plot's <style> (responsive sizing for a page) is dropped: the figure sets
 * its own size, and the rasteriser would only ignore it.
 */
export function chartBlock(target: Chart): Block {
  const { svg } = target;
  for (const style of Array.from(svg.querySelectorAll('style'))) style.remove();
  return { markup: svg.outerHTML, width: Number(svg.getAttribute('width')), height: Number(svg.getAttribute('height')) };
}
