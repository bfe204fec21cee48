/**
 * The network drawn as in TensorFlow Playground: a column of units per layer, each unit a small
 * heat map of its activation over the unit square, and a curve per weight whose width grows with
 * |w| and whose colour is its sign (warm positive, cool negative). Hovering a weight shows its
 * value; clicking it opens a field that sets it in the worker. Clicking a unit enlarges its map.
 * Skip connections are dashed arcs over the layer they bypass.
 */
import { colourOf } from '../../render/palette.js';
import type { Palette } from '../../render/palette.js';
import { drawHeatMap, resampled } from '../canvas/heatmap.js';
import { h } from '../dom.js';
import { FEATURE_LABELS, featureDomain, featureValue } from './features.js';
import type { FeatureName } from './features.js';
import { VALUE_DOMAIN } from './output-view.js';
import { ACTIVATION_LABELS, featuresOf, outputUnits, skipLayers, taskOf } from './spec.js';
import type { NetworkSpec } from './spec.js';
import type { LayerWeights, Maps } from './trainer.js';

const NODE = 40;
const COLUMN_GAP = 132;
const ROW_GAP = 50;
const TOP = 44;
const LEFT = 24;
const SVG_NS = 'http://www.w3.org/2000/svg';
const LABEL_EVERY_MS = 500;

export interface NetworkViewOptions {
  onEditWeight(layer: number, from: number, to: number, value: number): void;
  /** The pointer entered or left a unit: `hovered()` says which (the output view shows its map large). */
  onHover?(): void;
}

/** A unit's map, named, for the output view to show large. */
export interface HoveredMap {
  name: string;
  values: ArrayLike<number>;
  domain: [number, number];
}

export interface NetworkView {
  element: HTMLElement;
  /** Rebuilds the drawing for a new network shape. */
  rebuild(spec: NetworkSpec): void;
  /** Redraws unit maps and weights from a snapshot. */
  update(maps: Maps, weights: LayerWeights[], palette: Palette): void;
  /** The map of the unit under the pointer (from the latest snapshot), or null. */
  hovered(): HoveredMap | null;
}

interface Unit {
  id: string;
  x: number;
  y: number;
  canvas: HTMLCanvasElement;
  button: HTMLButtonElement;
  /** A small square on the unit's corner: the bias, warm for positive and cool for negative, stronger for larger |b| (none for inputs). */
  bias: HTMLSpanElement | null;
}

interface Link {
  layer: number;
  from: number;
  to: number;
  path: SVGPathElement;
  hit: SVGPathElement;
  label: string;
  /** The stroke width and colour last set on `path`. */
  width: string;
  stroke: string;
}

/** The x of the centre of column `layer` (0 = inputs), for controls aligned with the drawing. */
export function columnCentre(layer: number): number {
  return LEFT + layer * COLUMN_GAP + NODE / 2;
}
export const COLUMN_WIDTH = COLUMN_GAP;

/** Width of a weight's curve in pixels: proportional to |w|, from a hairline to 8 px. */
export function linkWidth(w: number): number {
  return Number.isFinite(w) ? Math.min(8, Math.max(0.4, 2.5 * Math.abs(w))) : 0.4;
}

/** A unit's name: its input feature's key (x0, x0sq, …), h1.0, …, or out.0. */
export function unitName(layer: number, unit: number, spec: Pick<NetworkSpec, 'features' | 'hidden'>): string {
  const layers = spec.hidden.length;
  if (layer === 0) return featuresOf(spec)[unit];
  return layer === layers + 1 ? `out.${unit}` : `h${layer}.${unit}`;
}

export function createNetworkView(options: NetworkViewOptions): NetworkView {
  const element = h('div', { class: 'pg-net-wrap' });
  const diagram = h('div', { class: 'pg-net', role: 'group', 'aria-label': 'The network: unit heat maps and weights' });
  const tip = h('div', { class: 'pg-tip', hidden: true, role: 'tooltip' });
  const enlarged = h('figure', { class: 'pg-enlarged', hidden: true });
  element.append(diagram, enlarged);
  let units: Unit[][] = [];
  let links: Link[] = [];
  let spec: NetworkSpec | null = null;
  let selected: { layer: number; unit: number } | null = null;
  let hovering: { layer: number; unit: number } | null = null;
  let lastMaps: Maps | null = null;
  let lastWeights: LayerWeights[] = [];
  let lastPalette: Palette = 'bwr';
  let editing: Link | null = null;
  /** When the units' labels were last written: they name values that change every step, so they are refreshed a few times a second and on hover or focus, not every frame. */
  let labelledAt = -Infinity;
  const bigCanvas = h('canvas', { width: 240, height: 240, class: 'pg-enlarged-map', 'data-testid': 'heatmap-enlarged' });
  const bigCaption = h('figcaption', {});
  const closeButton = h('button', { type: 'button', class: 'pg-close', 'aria-label': 'Close the enlarged map' }, '×');
  closeButton.addEventListener('click', () => select(null));
  enlarged.append(bigCaption, closeButton, bigCanvas);

  function rebuild(next: NetworkSpec): void {
    spec = next;
    labelledAt = -Infinity;
    selected = null;
    hovering = null;
    editing = null;
    enlarged.hidden = true;
    const sizes = [featuresOf(next).length, ...next.hidden.map((l) => l.units), outputUnits(next)];
    const rows = Math.max(...sizes);
    const width = LEFT * 2 + (sizes.length - 1) * COLUMN_GAP + NODE;
    const height = TOP + rows * ROW_GAP;
    diagram.replaceChildren();
    diagram.style.width = `${width}px`;
    diagram.style.height = `${height}px`;
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('aria-hidden', 'true');
    const linkGroup = document.createElementNS(SVG_NS, 'g');
    const hitGroup = document.createElementNS(SVG_NS, 'g');
    const skipGroup = document.createElementNS(SVG_NS, 'g');
    svg.append(skipGroup, linkGroup, hitGroup);
    diagram.append(svg);

    units = sizes.map((n, layer) =>
      Array.from({ length: n }, (_, unit) => {
        const x = LEFT + layer * COLUMN_GAP;
        const y = TOP + ((rows - n) / 2 + unit) * ROW_GAP;
        const id = unitName(layer, unit, next);
        const testid = layer === 0 ? `heatmap-${id}` : layer === sizes.length - 1 ? `node-${id}` : `heatmap-${id}`;
        const canvas = h('canvas', { width: 10, height: 10, 'data-testid': testid });
        const bias = layer === 0 ? null : h('span', { class: 'pg-bias', 'data-testid': `bias-${id}` });
        const button = h('button', { type: 'button', class: 'pg-node', style: `left:${x}px;top:${y}px` }, canvas, ...(bias === null ? [] : [bias]));
        const unitOf: Unit = { id, x, y, canvas, button, bias };
        button.addEventListener('click', () => select({ layer, unit }));
        const relabel = () => lastMaps !== null && label(unitOf, layer, unit);
        button.addEventListener('pointerenter', relabel);
        button.addEventListener('pointerenter', () => ((hovering = { layer, unit }), options.onHover?.()));
        button.addEventListener('pointerleave', () => ((hovering = null), options.onHover?.()));
        button.addEventListener('focus', relabel);
        diagram.append(button);
        return unitOf;
      }),
    );
    sizes.forEach((_, layer) => {
      const caption = layer === 0 ? 'inputs' : layer === sizes.length - 1 ? (next.loss === 'softmax' ? 'softmax' : 'output') : layerCaption(next, layer - 1);
      diagram.append(h('div', { class: 'pg-col-label', title: caption, style: `left:${LEFT + layer * COLUMN_GAP + NODE / 2}px` }, caption));
    });

    links = [];
    for (let layer = 1; layer < sizes.length; layer++) {
      for (let to = 0; to < sizes[layer]; to++) {
        for (let from = 0; from < sizes[layer - 1]; from++) {
          const a = units[layer - 1][from];
          const b = units[layer][to];
          const d = curve(a.x + NODE, a.y + NODE / 2, b.x, b.y + NODE / 2);
          const path = document.createElementNS(SVG_NS, 'path');
          path.setAttribute('d', d);
          path.setAttribute('class', 'pg-link');
          const hit = document.createElementNS(SVG_NS, 'path');
          hit.setAttribute('d', d);
          hit.setAttribute('class', 'pg-link-hit');
          const link: Link = { layer: layer - 1, from, to, path, hit, label: `${a.id} → ${b.id}`, width: '', stroke: '' };
          hit.addEventListener('pointerenter', (event) => showValue(link, event));
          hit.addEventListener('pointermove', (event) => editing === null && placeTip(event));
          hit.addEventListener('pointerleave', () => editing === null && (tip.hidden = true));
          hit.addEventListener('click', (event) => edit(link, event));
          linkGroup.append(path);
          hitGroup.append(hit);
          links.push(link);
        }
      }
    }
    skipLayers(next).forEach((on, i) => {
      if (!on) return;
      const a = units[i];
      const b = units[i + 1];
      const x0 = a[0].x + NODE / 2;
      const x1 = b[0].x + NODE / 2;
      const y = Math.min(a[0].y, b[0].y) - 4;
      const arc = document.createElementNS(SVG_NS, 'path');
      arc.setAttribute('d', `M ${x0} ${y} C ${x0} ${y - 26}, ${x1} ${y - 26}, ${x1} ${y}`);
      arc.setAttribute('class', 'pg-skip');
      skipGroup.append(arc);
    });
    diagram.append(tip);
    if (lastMaps !== null && lastMaps.hidden.length === next.hidden.length) update(lastMaps, lastWeights, lastPalette);
  }

  function layerCaption(s: NetworkSpec, i: number): string {
    const layer = s.hidden[i];
    const skip = skipLayers(s)[i] ? ` + ${s.skip}` : '';
    const dropout = layer.dropout > 0 ? `, dropout ${layer.dropout}` : '';
    return `h${i + 1}: ${layer.units} ${ACTIVATION_LABELS[layer.activation].replace(/ \(.*\)$/, '')}${skip}${dropout}`;
  }

  function weightOf(link: Link): number {
    const w = lastWeights[link.layer];
    return w === undefined ? NaN : w.weight[link.from * w.outFeatures + link.to];
  }

  function showValue(link: Link, event: PointerEvent): void {
    if (editing !== null) return;
    tip.replaceChildren(`${link.label}: w = ${format(weightOf(link))}`, h('br'), h('span', { class: 'pg-hint' }, 'click to edit'));
    tip.hidden = false;
    placeTip(event);
  }

  function placeTip(event: PointerEvent): void {
    const box = diagram.getBoundingClientRect();
    tip.style.left = `${Math.min(event.clientX - box.left + 12, box.width - 150)}px`;
    tip.style.top = `${event.clientY - box.top + 12}px`;
  }

  function edit(link: Link, event: MouseEvent): void {
    editing = link;
    const id = 'pg-weight-edit';
    const input = h('input', { id, type: 'number', step: 'any', value: String(roundForEdit(weightOf(link))), 'aria-describedby': 'pg-weight-error' });
    const error = h('p', { class: 'pg-error', id: 'pg-weight-error', role: 'alert' });
    tip.replaceChildren(h('label', { for: id }, `weight ${link.label}`), input, error, h('span', { class: 'pg-hint' }, 'Enter sets it, Esc cancels'));
    tip.hidden = false;
    placeTip(event as PointerEvent);
    const close = () => {
      editing = null;
      tip.hidden = true;
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') close();
      if (e.key !== 'Enter') return;
      const value = input.value.trim() === '' ? NaN : Number(input.value);
      if (!Number.isFinite(value) || Math.abs(value) > 1000) {
        error.textContent = 'a weight must be a number between −1000 and 1000';
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      options.onEditWeight(link.layer, link.from, link.to, value);
      close();
    });
    input.addEventListener('blur', () => setTimeout(() => editing === link && close(), 150));
    input.focus();
    input.select();
  }

  function select(which: { layer: number; unit: number } | null): void {
    selected = which;
    enlarged.hidden = which === null;
    if (which !== null) drawEnlarged();
  }

  function drawEnlarged(): void {
    if (selected === null || lastMaps === null || spec === null) return;
    const { layer, unit } = selected;
    const unitMap = mapOf(layer, unit);
    if (unitMap === null) return;
    const name = layer === 0 ? FEATURE_LABELS[featuresOf(spec)[unit]] : unitName(layer, unit, spec);
    const [lo, hi] = unitMap.domain;
    bigCaption.textContent = `${name}: ${describeUnit(layer)}; colours span ${format(lo)} (cool) to ${format(hi)} (warm)`;
    drawHeatMap(bigCanvas, unitMap.values, lastMaps.resolution, { palette: lastPalette, domain: unitMap.domain });
  }

  function describeUnit(layer: number): string {
    if (spec === null) return '';
    if (layer === 0) return 'an input feature';
    if (layer === spec.hidden.length + 1) return spec.loss === 'softmax' ? 'the probability of its class' : taskOf(spec) === 'regression' ? 'the predicted value' : 'P(class 1)';
    return `a ${ACTIVATION_LABELS[spec.hidden[layer - 1].activation]} unit`;
  }

  function mapOf(layer: number, unit: number): { values: ArrayLike<number>; domain: [number, number] } | null {
    if (lastMaps === null || spec === null) return null;
    if (layer === 0) {
      const feature = featuresOf(spec)[unit];
      return { values: inputMap(lastMaps.resolution, feature), domain: featureDomain(feature) };
    }
    if (layer === spec.hidden.length + 1) {
      const values = lastMaps.output[unit];
      // A regression's value on the output map's scale (−1 to 1); a probability from 0 to 1.
      return values === undefined ? null : { values, domain: taskOf(spec) === 'regression' ? VALUE_DOMAIN : [0, 1] };
    }
    return lastMaps.hidden[layer - 1]?.[unit] ?? null;
  }

  function label(u: Unit, layer: number, unit: number): void {
    const w = lastWeights[layer - 1];
    const extra = w === undefined ? '' : `, bias ${format(w.bias[unit])}${w.alpha !== null ? `, PReLU slope ${format(w.alpha[unit])}` : ''}`;
    const text = `${u.id} (${describeUnit(layer)}${extra}): show its heat map larger`;
    if (u.button.title === text) return;
    u.button.title = text;
    u.button.setAttribute('aria-label', text);
  }

  function update(maps: Maps, weights: LayerWeights[], palette: Palette): void {
    lastMaps = maps;
    lastWeights = weights;
    lastPalette = palette;
    if (spec === null) return;
    // A thumbnail needs no more cells than it has pixels: a 100 × 100 map on a 40-pixel button is resampled to 40 × 40.
    const size = Math.min(maps.resolution, Math.round(NODE * (window.devicePixelRatio || 1)));
    const now = performance.now();
    const relabel = now - labelledAt >= LABEL_EVERY_MS;
    if (relabel) labelledAt = now;
    units.forEach((column, layer) =>
      column.forEach((u, unit) => {
        const m = mapOf(layer, unit);
        if (m === null) return;
        if (u.canvas.width !== size) u.canvas.width = u.canvas.height = size;
        const values = size === maps.resolution ? m.values : resampled(m.values, maps.resolution, size, thumbnailBuffer(size));
        drawHeatMap(u.canvas, values, size, { palette, domain: m.domain });
        if (relabel) label(u, layer, unit);
      }),
    );
    const warm = colourOf(1, palette);
    const cool = colourOf(0, palette);
    if (relabel) {
      units.forEach((column, layer) =>
        column.forEach((u, unit) => {
          const b = weights[layer - 1]?.bias[unit];
          if (u.bias === null || b === undefined) return;
          u.bias.style.background = b >= 0 ? warm : cool;
          u.bias.style.opacity = String(Math.min(1, 0.25 + Math.abs(b)));
          u.bias.dataset.bias = format(b);
        }),
      );
    }
    for (const link of links) {
      const w = weightOf(link);
      // Widths to a tenth of a pixel: a finer change does not show, and an unchanged path is not repainted.
      const width = linkWidth(w).toFixed(1);
      const stroke = w >= 0 ? warm : cool;
      if (width !== link.width) link.path.setAttribute('stroke-width', (link.width = width));
      if (stroke !== link.stroke) link.path.setAttribute('stroke', (link.stroke = stroke));
    }
    drawEnlarged();
  }

  function hovered(): HoveredMap | null {
    if (hovering === null || spec === null) return null;
    const { layer, unit } = hovering;
    const map = mapOf(layer, unit);
    if (map === null) return null;
    const name = layer === 0 ? FEATURE_LABELS[featuresOf(spec)[unit]] : unitName(layer, unit, spec);
    return { name: `${name} (${describeUnit(layer)})`, values: map.values, domain: map.domain };
  }

  return { element, rebuild, update, hovered };
}

const thumbnails = new Map<number, Float32Array>();

/** A buffer for a size × size thumbnail's values, reused frame after frame. */
function thumbnailBuffer(size: number): Float32Array {
  let buffer = thumbnails.get(size);
  if (buffer === undefined) thumbnails.set(size, (buffer = new Float32Array(size * size)));
  return buffer;
}

const inputMaps = new Map<string, Float32Array>();

/** An input feature over the grid (row r has x1 = r / (resolution − 1)). */
function inputMap(resolution: number, feature: FeatureName): Float32Array {
  const key = `${resolution}/${feature}`;
  let map = inputMaps.get(key);
  if (map === undefined) {
    map = new Float32Array(resolution * resolution);
    for (let r = 0; r < resolution; r++) for (let c = 0; c < resolution; c++) map[r * resolution + c] = featureValue(feature, c / (resolution - 1), r / (resolution - 1));
    inputMaps.set(key, map);
  }
  return map;
}

function curve(x0: number, y0: number, x1: number, y1: number): string {
  const mid = (x0 + x1) / 2;
  return `M ${x0} ${y0} C ${mid} ${y0}, ${mid} ${y1}, ${x1} ${y1}`;
}

export function format(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : v.toFixed(3);
}

function roundForEdit(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(6)) : 0;
}
