/**
 * The network drawn as SVG: one box per unit (its forward values, and its gradients once the
 * walk reaches them), an arrow per weight, and L at the right. `show(state)` marks the edge or
 * unit the current step works on.
 */
import type { Analysis } from '../../../experiments/backprop/network.js';
import { formatValue } from '../../../report/format.js';
import { edgeOfStep, unitOf, type WalkState } from './walk.js';

const SVG = 'http://www.w3.org/2000/svg';
type Attributes = Record<string, string | number>;

function s<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

const BOX = { width: 170, height: 94 };
const COLUMNS = { input: 95, hidden: 410, output: 700, loss: 915 };
const ROW = 112;
const WIDTH = 970;

interface UnitBox {
  name: string;
  x: number;
  y: number;
  /** Text lines: [label, value or undefined while unknown][]. */
  lines: SVGTextElement[];
  group: SVGGElement;
}

export interface NetworkView {
  element: SVGSVGElement;
  show(state: WalkState): void;
}

const v = (value: number) => formatValue(value, 4);

export function networkView(a: Analysis): NetworkView {
  const hidden = a.forward.z1.length;
  const rows = Math.max(2, hidden);
  const height = rows * ROW + 30;
  const centre = (count: number, i: number) => 15 + (rows * ROW) / 2 + (i - (count - 1) / 2) * ROW;
  const at = new Map<string, { x: number; y: number }>();
  a.forward.x.forEach((_, i) => at.set(`x${i}`, { x: COLUMNS.input, y: centre(2, i) }));
  for (let j = 0; j < hidden; j++) at.set(`h${j}`, { x: COLUMNS.hidden, y: centre(hidden, j) });
  at.set('y', { x: COLUMNS.output, y: centre(1, 0) });
  at.set('L', { x: COLUMNS.loss, y: centre(1, 0) });

  const svg = s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'backprop-network', role: 'img', 'aria-label': 'the network, its values and gradients', 'data-testid': 'network' });
  // Forward arrows in grey; the current edge also gets an arrow at its start: the gradient flows back.
  const marker = (id: string) =>
    s('marker', { id, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, s('path', { d: 'M0,0L10,5L0,10z' }));
  svg.append(s('defs', {}, marker('backprop-arrow'), marker('backprop-back')));

  const edges = new Map<string, SVGGElement>();
  const edge = (from: string, to: string, label: string) => {
    const p = at.get(from)!;
    const q = at.get(to)!;
    const x1 = p.x + BOX.width / 2;
    const x2 = q.x - (to === 'L' ? 40 : BOX.width / 2);
    const key = `${from}→${to}`;
    const line = s('line', { x1, y1: p.y, x2, y2: q.y, 'marker-end': 'url(#backprop-arrow)' });
    // The weight's label sits near its source, where the arrows out of one unit fan apart.
    // The loss edge is level and short: its label goes under the middle.
    const [t, dy] = to === 'L' ? [0.5, 16] : [0.3, -5];
    const text = s('text', { x: x1 + t * (x2 - x1), y: p.y + t * (q.y - p.y) + dy, 'text-anchor': 'middle' }, label);
    const group = s('g', { class: 'edge', 'data-edge': key }, line, text);
    edges.set(key, group);
    svg.append(group);
  };
  const weight = (from: string, to: string) => a.parameters.find((p) => p.symbol === `w(${from}→${to})`)!.value;
  for (let i = 0; i < 2; i++) for (let j = 0; j < hidden; j++) edge(`x${i}`, `h${j}`, `w ${v(weight(`x${i}`, `h${j}`))}`);
  for (let j = 0; j < hidden; j++) edge(`h${j}`, 'y', `w ${v(weight(`h${j}`, 'y'))}`);
  edge('y', 'L', '(y − t)²');

  const units = new Map<string, UnitBox>();
  const unit = (name: string, lines: number) => {
    const { x, y } = at.get(name)!;
    const isLoss = name === 'L';
    const w = isLoss ? 80 : BOX.width;
    const hgt = isLoss ? 46 : BOX.height;
    const group = s('g', { class: `unit${isLoss ? ' loss' : ''}`, 'data-unit': name });
    group.append(s('rect', { x: x - w / 2, y: y - hgt / 2, width: w, height: hgt, rx: 8 }));
    const texts: SVGTextElement[] = [];
    for (let line = 0; line < lines; line++) {
      const text = s('text', { x: x - w / 2 + 8, y: y - hgt / 2 + 17 + line * 16 });
      texts.push(text);
      group.append(text);
    }
    units.set(name, { name, x, y, lines: texts, group });
    svg.append(group);
  };
  a.forward.x.forEach((_, i) => unit(`x${i}`, 3));
  for (let j = 0; j < hidden; j++) unit(`h${j}`, 5);
  unit('y', 5);
  unit('L', 2);

  const bias = (name: string) => a.parameters.find((p) => p.symbol === `b(${name})`)!.value;
  const forward = new Map<string, { z?: number; a: number }>();
  a.forward.x.forEach((x, i) => forward.set(`x${i}`, { a: x }));
  a.forward.z1.forEach((z, j) => forward.set(`h${j}`, { z, a: a.forward.a1[j] }));
  forward.set('y', { z: a.forward.z2, a: a.forward.y });

  function fill(text: SVGTextElement, parts: [string, string, boolean?][]): void {
    text.replaceChildren(...parts.map(([label, value, fresh]) => s('tspan', { class: fresh ? 'fresh' : '' }, label, s('tspan', { class: 'value' }, value))));
  }

  function show(state: WalkState): void {
    const grad = (node: string): [string, boolean] => {
      const value = state.known.get(node);
      return value === undefined ? ['…', false] : [v(value), state.current?.to === node];
    };
    for (const box of units.values()) {
      const name = box.name;
      if (name === 'L') {
        fill(box.lines[0], [['L ', v(a.forward.loss)]]);
        fill(box.lines[1], [['∂L/∂L ', '1']]);
        continue;
      }
      const values = forward.get(name)!;
      if (name.startsWith('x')) {
        fill(box.lines[0], [['', name], ['   input', '']]);
        fill(box.lines[1], [['a ', v(values.a)]]);
        const [g, fresh] = grad(name);
        fill(box.lines[2], [['∂L/∂x ', g, fresh]]);
        continue;
      }
      const [ga, freshA] = grad(`a(${name})`);
      const [gz, freshZ] = grad(`z(${name})`);
      const [gb, freshB] = grad(`b(${name})`);
      fill(box.lines[0], [['', name], ['   b ', v(bias(name))]]);
      fill(box.lines[1], [['z ', v(values.z!)], ['  a ', v(values.a)]]);
      fill(box.lines[2], [['∂L/∂a ', ga, freshA]]);
      fill(box.lines[3], [['∂L/∂z ', gz, freshZ]]);
      fill(box.lines[4], [['∂L/∂b ', gb, freshB]]);
    }
    const step = state.current;
    const edgeKey = step === undefined ? undefined : edgeOfStep(step);
    for (const [key, group] of edges) {
      group.classList.toggle('current', key === edgeKey);
      const line = group.querySelector('line')!;
      if (key === edgeKey) line.setAttribute('marker-start', 'url(#backprop-back)');
      else line.removeAttribute('marker-start');
    }
    const from = step === undefined ? undefined : unitOf(step.from);
    const to = step === undefined ? undefined : unitOf(step.to);
    for (const box of units.values()) {
      box.group.classList.toggle('upstream', box.name === from);
      box.group.classList.toggle('target', box.name === to);
    }
  }

  return { element: svg, show };
}
