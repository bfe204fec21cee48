/**
 * The live part of a training page: a canvas per heat map of the latest snapshot (with the data
 * points and decision lines over it) and the error curve. `draw(log)` redraws what changed;
 * the page calls it at most once per animation frame, however fast batches arrive.
 */
import { linesFor, pointsFor } from '../../render/figures.js';
import { paletteStops, type Palette } from '../../render/palette.js';
import { drawErrorCurve } from '../canvas/curve.js';
import { fitCanvas, pixelRatioOf } from '../canvas/fit.js';
import { drawHeatMap } from '../canvas/heatmap.js';
import { drawOverlay } from '../canvas/overlay.js';
import { h } from '../dom.js';
import type { WireSnapshot } from './protocol.js';
import type { RunLog } from './run-log.js';

/** CSS pixels of a heat map's side, and of the margin around it where data points may overhang. */
const MAP_SIZE = 240;
const MAP_INSET = 7;

/** 'Output 2' → 'Output-2', for data-testid="heatmap-Output-2". */
export function testIdOf(mapName: string): string {
  return `heatmap-${mapName.trim().replace(/\s+/g, '-')}`;
}

export class LiveView {
  readonly element: HTMLElement;
  private shownPalette: Palette;
  private readonly maps = h('div', { class: 'maps' });
  private readonly legend = h('div', { class: 'colour-legend', 'aria-hidden': 'true' });
  private readonly curve = h('canvas', { class: 'curve', 'data-testid': 'error-curve', role: 'img', 'aria-label': 'error against epoch' });
  private readonly canvases = new Map<string, { canvas: HTMLCanvasElement; caption: HTMLElement }>();
  private drawnSnapshot: WireSnapshot | undefined;
  private drawnPalette: Palette | undefined;
  private hasLines = false;
  private curveWidth = 0;

  constructor(options: { palette: Palette }) {
    this.shownPalette = options.palette;
    this.element = h(
      'div',
      { class: 'live' },
      h('section', { class: 'maps-panel', 'aria-label': 'heat maps' }, this.maps, this.legend),
      h('section', { class: 'curve-panel', 'aria-label': 'error curve' }, this.curve),
    );
    this.drawLegend();
  }

  set palette(palette: Palette) {
    this.shownPalette = palette;
    this.drawLegend();
  }

  /** Redraws the maps if the snapshot, the palette or their displayed size changed, and the curve. */
  draw(log: RunLog): void {
    const snapshot = log.snapshot;
    let refitted = false;
    for (const { canvas } of this.canvases.values()) refitted = fitCanvas(canvas) || refitted;
    if (snapshot !== undefined && (refitted || snapshot !== this.drawnSnapshot || this.shownPalette !== this.drawnPalette)) {
      this.drawMaps(snapshot, log);
      this.drawnSnapshot = snapshot;
      this.drawnPalette = this.shownPalette;
      if ((snapshot.lines?.length ?? 0) > 0 !== this.hasLines) {
        this.hasLines = !this.hasLines;
        this.drawLegend();
      }
    }
    this.curveWidth = this.curve.clientWidth;
    fitCanvas(this.curve);
    drawErrorCurve(this.curve, [...log.series.values()], { yLabel: log.start?.errorLabel ?? 'error', lastEpoch: log.lastEpoch || 1, scale: log.start?.errorScale });
  }

  /** Forgets the drawn maps (a new run). */
  clear(): void {
    this.drawnSnapshot = undefined;
  }

  /** Whether the curve's width changed since it was drawn (the window was resized). */
  get resized(): boolean {
    return this.curve.clientWidth !== this.curveWidth;
  }

  private drawMaps(snapshot: WireSnapshot, log: RunLog): void {
    const names = snapshot.maps.map((m) => m.name);
    if (names.join('\n') !== [...this.canvases.keys()].join('\n')) {
      this.canvases.clear();
      this.maps.replaceChildren(
        ...names.map((name) => {
          const canvas = h('canvas', { 'data-testid': testIdOf(name), role: 'img', class: 'heatmap' });
          canvas.style.width = canvas.style.height = `${MAP_SIZE}px`;
          const caption = h('figcaption', {}, name);
          this.canvases.set(name, { canvas, caption });
          return h('figure', { class: name.startsWith('Output') ? 'map output' : 'map' }, canvas, caption);
        }),
      );
    }
    const data = log.start?.data ?? [];
    for (const map of snapshot.maps) {
      const { canvas } = this.canvases.get(map.name)!;
      fitCanvas(canvas);
      const inset = Math.round(MAP_INSET * pixelRatioOf(canvas));
      drawHeatMap(canvas, map.values, map.resolution, { palette: this.shownPalette, domain: map.domain, inset });
      drawOverlay(canvas, map.resolution, { points: pointsFor(map, data), lines: linesFor(map, snapshot.lines ?? []), palette: this.shownPalette, inset });
      canvas.setAttribute('aria-label', `heat map of ${map.name} after ${snapshot.epoch} epochs: x0 left to right, x1 bottom to top`);
    }
  }

  private drawLegend(): void {
    const stops = paletteStops(this.shownPalette);
    const bar = h('span', { class: 'ramp' });
    bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    this.legend.replaceChildren(h('span', {}, '0'), bar, h('span', {}, '1'), h('span', { class: 'axes' }, `x0 → right, x1 ↑ up; dots: the training data${this.hasLines ? '; dashed: where a unit’s w·x + b = 0' : ''}`));
  }
}
