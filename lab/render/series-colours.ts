/**
 * Line colours by series index: the first is red, as the chapter's `train` curve. The one place
 * a comparison run gets its colour (SVG figures, the page's canvas, panels' `variant` series).
 * Node and browser.
 */
const COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

export function seriesColour(index: number): string {
  return COLOURS[index % COLOURS.length];
}
