/**
 * The render functions for the browser page: everything in `index.ts` but the Node-only parts
 * (linkedom's document, the resvg rasteriser). Plot draws in the page's own `document`.
 */
export { colourOf, paletteStops, rgbOf, type Palette } from './palette.js';
export { useDocument } from './document.js';
export { heatMapSvg, heatMapFigureSvg, lineSegment, type HeatMapPanel } from './heatmap.js';
export { errorCurveSvg, type ErrorSeries } from './error-curve.js';
export { panelsSvg } from './panels.js';
export { terminalHeatMaps } from './terminal.js';
export { figuresOf, type Figure } from './figures.js';
