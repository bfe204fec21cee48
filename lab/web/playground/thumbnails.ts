/**
 * The data set picker's thumbnails: a small drawing of each data set's points, generated as the
 * page would generate them if that data set were chosen now (the same seed and parameters, through
 * `withDataset`), so a thumbnail is a preview of the data, not a picture of it. Browser only
 * (canvas); `thumbnailPoints` is pure.
 */
import { colourOf } from '../../render/palette.js';
import type { Palette } from '../../render/palette.js';
import { h } from '../dom.js';
import { DATASETS, DATASET_LABELS, isRegression } from './datasets.js';
import type { DatasetName, Point } from './datasets.js';
import { VALUE_DOMAIN, classColour } from './output-view.js';
import { pointsOf, withDataset } from './transitions.js';
import type { PlaygroundState } from './url-state.js';
import { classesOfData } from './url-state.js';

/** A word or two under each thumbnail (the button's accessible name is the full label). */
export const SHORT_NAMES: Record<DatasetName, string> = {
  xor: 'XOR', and: 'AND', or: 'OR', nand: 'NAND', nor: 'NOR', square: 'square', circle: 'circle',
  quadrants: 'quads', gaussians: 'blobs', spiral: 'spiral', plane: 'plane', bump: 'bump',
};

/** The points and classes data set `name` would have if chosen from `state` (null if it could not be chosen). */
export function thumbnailPoints(state: PlaygroundState, name: DatasetName): { points: Point[]; classes: number } | null {
  const outcome = withDataset(state, name);
  if ('error' in outcome) return null;
  return { points: pointsOf(outcome.state), classes: classesOfData(outcome.state.data) };
}

export interface Thumbnails {
  element: HTMLElement;
  sync(state: PlaygroundState): void;
}

/** One button per data set (data-testid="dataset-<name>", aria-pressed on the one in use); `choose` picks it. */
export function thumbnails(choose: (name: DatasetName) => void): Thumbnails {
  const buttons = DATASETS.map((name) => {
    const canvas = h('canvas', { width: 72, height: 72, 'aria-hidden': 'true' });
    const button = h(
      'button',
      { type: 'button', class: 'pg-thumb', 'aria-label': DATASET_LABELS[name], title: DATASET_LABELS[name], 'aria-pressed': 'false', 'data-testid': `dataset-${name}` },
      canvas,
      h('span', { 'aria-hidden': 'true' }, SHORT_NAMES[name]),
    );
    button.addEventListener('click', () => choose(name));
    return { name, button, canvas, drawn: '' };
  });
  const element = h('div', { class: 'pg-thumbs', role: 'group', 'aria-label': 'Data sets', 'data-group': 'data', 'data-testid': 'dataset-thumbnails' }, ...buttons.map((b) => b.button));

  function sync(state: PlaygroundState): void {
    const { data, seed, view } = state;
    const key = JSON.stringify([data.count, data.noise, data.classes, data.testFraction, seed, view.palette, view.showTest]);
    for (const b of buttons) {
      b.button.setAttribute('aria-pressed', String(data.name === b.name));
      if (b.drawn === key) continue;
      b.drawn = key;
      const preview = thumbnailPoints(state, b.name);
      if (preview !== null) drawThumbnail(b.canvas, preview.points, preview.classes, view.palette, isRegression(b.name));
    }
  }
  return { element, sync };
}

function drawThumbnail(canvas: HTMLCanvasElement, points: readonly Point[], classes: number, palette: Palette, regression: boolean): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const { width, height } = canvas;
  context.fillStyle = '#f4f4f6';
  context.fillRect(0, 0, width, height);
  const inset = 5;
  const side = width - 2 * inset;
  const radius = points.length <= 32 ? 5 : points.length <= 300 ? 2.6 : 2;
  for (const p of points) {
    context.beginPath();
    context.arc(inset + p.x0 * side, inset + (1 - p.x1) * side, radius, 0, 2 * Math.PI);
    context.fillStyle = regression ? colourOf(p.label, palette, VALUE_DOMAIN) : classColour(p.label, classes, palette);
    context.fill();
  }
}
