/**
 * The network drawn as in TensorFlow Playground: a column of units per layer, each unit a small
 * heat map of its activation over the unit square, and a curve per weight whose width grows with
 * |w| and whose colour is its sign (warm positive, cool negative). Hovering a weight shows its
 * value; clicking it opens a field that sets it in the worker. Clicking a unit enlarges its map.
 * Skip connections are dashed arcs over the layer they bypass. The drawing takes the room the
 * panel gives it (network-layout.ts): units shrink to the screen's height, columns share the
 * panel's width; in projector mode it is drawn larger, its links thicker.
 */
import { colourOf } from '../../render/palette.js';
import type { Palette } from '../../render/palette.js';
import { fitCanvas } from '../canvas/fit.js';
import { drawHeatMap, resampled } from '../canvas/heatmap.js';
import { h } from '../dom.js';
import { isProjector, lineFactor } from '../projector.js';
import { FEATURE_LABELS, featureDomain, featureValue } from './features.js';
import type { FeatureName } from './features.js';
import { VALUE_DOMAIN } from './output-view.js';
import { columnCentre, networkLayout, unitAt } from './network-layout.js';
import type { NetworkLayout } from './network-layout.js';
import { ACTIVATION_LABELS, featuresOf, outputUnits, skipLayers, taskOf } from './spec.js';
import type { NetworkSpec } from './spec.js';
import type { LayerWeights, Maps } from './trainer.js';

/** Projector mode's natural scale for the drawing: as much larger as style.css zooms the playground's curves. */
const PROJECTOR_SCALE = 1.3;
const SVG_NS = 'http://www.w3.org/2000/svg';
const LABEL_EVERY_MS = 500;

export interface NetworkViewOptions {
  onEditWeight(layer: number, from: number, to: number, value: number): void;
  /** The pointer entered or left a unit: `hovered()` says which (the output view shows its map large). */
  onHover?(): void;
  /** The room the drawing may take, measured from the drawing's element; without it, its natural size. */
  room?(diagram: HTMLElement): { width: number; height: number };
  /** The drawing was laid out anew (the columns moved): controls aligned with its columns follow. */
  onLayout?(layout: NetworkLayout): void;
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

/** A skip connection's arc, over the layer between columns `from` and `from + 1`. */
interface Arc {
  from: number;
  path: SVGPathElement;
}

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
  let arcs: Arc[] = [];
  let labels: HTMLElement[] = [];
  let sizes: number[] = [];
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('aria-hidden', 'true');
  /** The layout the drawing is placed at, as a key: a new one moves everything. */
  let placed = '';
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
    sizes = [featuresOf(next).length, ...next.hidden.map((l) => l.units), outputUnits(next)];
    diagram.replaceChildren();
    const linkGroup = document.createElementNS(SVG_NS, 'g');
    const hitGroup = document.createElementNS(SVG_NS, 'g');
    const skipGroup = document.createElementNS(SVG_NS, 'g');
    svg.replaceChildren(skipGroup, linkGroup, hitGroup);
    diagram.append(svg);

    units = sizes.map((n, layer) =>
      Array.from({ length: n }, (_, unit) => {
        const id = unitName(layer, unit, next);
        const testid = layer === 0 ? `heatmap-${id}` : layer === sizes.length - 1 ? `node-${id}` : `heatmap-${id}`;
        const canvas = h('canvas', { width: 10, height: 10, 'data-testid': testid });
        const bias = layer === 0 ? null : h('span', { class: 'pg-bias', 'data-testid': `bias-${id}` });
        const button = h('button', { type: 'button', class: 'pg-node' }, canvas, ...(bias === null ? [] : [bias]));
        const unitOf: Unit = { id, canvas, button, bias };
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
    labels = sizes.map((_, layer) => {
      const caption = layer === 0 ? 'inputs' : layer === sizes.length - 1 ? (next.loss === 'softmax' ? 'softmax' : 'output') : layerCaption(next, layer - 1);
      return h('div', { class: 'pg-col-label', title: caption }, caption);
    });
    diagram.append(...labels);

    links = [];
    for (let layer = 1; layer < sizes.length; layer++) {
      for (let to = 0; to < sizes[layer]; to++) {
        for (let from = 0; from < sizes[layer - 1]; from++) {
          const path = document.createElementNS(SVG_NS, 'path');
          path.setAttribute('class', 'pg-link');
          const hit = document.createElementNS(SVG_NS, 'path');
          hit.setAttribute('class', 'pg-link-hit');
          const link: Link = { layer: layer - 1, from, to, path, hit, label: `${units[layer - 1][from].id} → ${units[layer][to].id}`, width: '', stroke: '' };
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
    arcs = [];
    skipLayers(next).forEach((on, from) => {
      if (!on) return;
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('class', 'pg-skip');
      skipGroup.append(path);
      arcs.push({ from, path });
    });
    diagram.append(tip);
    placed = '';
    place(layoutNow());
    if (lastMaps !== null && lastMaps.hidden.length === next.hidden.length) update(lastMaps, lastWeights, lastPalette);
  }

  /** The layout for the room the drawing has now (its natural size before it is on the page). */
  function layoutNow(): NetworkLayout {
    const room = diagram.isConnected ? options.room?.(diagram) : undefined;
    const usable = room !== undefined && room.width > 0;
    return networkLayout(sizes, usable ? room : { width: Infinity, height: Infinity }, isProjector() ? PROJECTOR_SCALE : 1);
  }

  /** Moves every unit, label, link and arc to `layout`, unless the drawing is already there. */
  function place(layout: NetworkLayout): void {
    const key = JSON.stringify(layout);
    if (key === placed) return;
    placed = key;
    const { node, width, height } = layout;
    diagram.style.width = `${width}px`;
    diagram.style.height = `${height}px`;
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    const at = units.map((column, layer) => column.map((_, unit) => unitAt(layout, layer, unit, column.length)));
    const bias = Math.max(5, Math.round(node * 0.22));
    units.forEach((column, layer) =>
      column.forEach((u, unit) => {
        const { x, y } = at[layer][unit];
        u.button.style.cssText = `left:${x}px;top:${y}px;width:${node}px;height:${node}px`;
        if (u.bias !== null) u.bias.style.width = u.bias.style.height = `${bias}px`;
      }),
    );
    labels.forEach((label, layer) => (label.style.cssText = `left:${columnCentre(layout, layer)}px;max-width:${layout.columnPitch - 6}px`));
    for (const link of links) {
      const a = at[link.layer][link.from];
      const b = at[link.layer + 1][link.to];
      const d = curve(a.x + node, a.y + node / 2, b.x, b.y + node / 2);
      link.path.setAttribute('d', d);
      link.hit.setAttribute('d', d);
    }
    for (const { from, path } of arcs) {
      const x0 = at[from][0].x + node / 2;
      const x1 = at[from + 1][0].x + node / 2;
      const y = Math.min(at[from][0].y, at[from + 1][0].y) - 4;
      path.setAttribute('d', `M ${x0} ${y} C ${x0} ${y - layout.arc}, ${x1} ${y - layout.arc}, ${x1} ${y}`);
    }
    options.onLayout?.(layout);
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
    fitCanvas(bigCanvas);
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
    // The room may have changed since the last frame (the window, projector mode, the controls above).
    place(layoutNow());
    const now = performance.now();
    const relabel = now - labelledAt >= LABEL_EVERY_MS;
    if (relabel) labelledAt = now;
    units.forEach((column, layer) =>
      column.forEach((u, unit) => {
        const m = mapOf(layer, unit);
        if (m === null) return;
        fitCanvas(u.canvas);
        // A thumbnail needs no more cells than it has pixels: a 100 × 100 map on a 40-pixel canvas is resampled to 40 × 40.
        const size = Math.min(maps.resolution, u.canvas.width);
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
    const thick = lineFactor();
    for (const link of links) {
      const w = weightOf(link);
      // Widths to a tenth of a pixel: a finer change does not show, and an unchanged path is not repainted.
      const width = (linkWidth(w) * thick).toFixed(1);
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
