/**
 * A unit's decision line w·x + b = 0 on a heat map: where it crosses the map, and where its name
 * (h0, h1, …) is written: beside its own line, inside the map, clear of the data points and of
 * the other names; a name with no such place is left out (the line stays). One geometry for the
 * SVG figures and the page's canvas. Node and browser.
 */
import type { DataPoint, DecisionLine } from '../experiments/types.js';

/** Where the line w·x + b = 0 crosses the square [lo, hi]², or null if it misses it. */
export function lineSegment({ weights: [w0, w1], bias }: DecisionLine, [lo, hi]: [number, number]): [number, number][] | null {
  const inside = (v: number) => v >= lo - 1e-12 && v <= hi + 1e-12;
  const crossings: [number, number][] = [];
  if (w1 !== 0) {
    for (const x of [lo, hi]) {
      const y = -(w0 * x + bias) / w1;
      if (inside(y)) crossings.push([x, y + 0]); // + 0 turns −0 into 0
    }
  }
  if (w0 !== 0) {
    for (const y of [lo, hi]) {
      const x = -(w1 * y + bias) / w0;
      if (inside(x)) crossings.push([x + 0, y]);
    }
  }
  // A line through a corner crosses two edges there: keep the two points furthest apart.
  let best: [number, number][] | null = null;
  let bestLength = 1e-9;
  for (let i = 0; i < crossings.length; i++) {
    for (let j = i + 1; j < crossings.length; j++) {
      const length = Math.hypot(crossings[i][0] - crossings[j][0], crossings[i][1] - crossings[j][1]);
      if (length > bestLength) [best, bestLength] = [[crossings[i], crossings[j]], length];
    }
  }
  return best;
}

/** Label text: 11 px, about 6.5 px per character, 13 px tall; a little air around it. */
const CHAR_WIDTH = 6.5;
const LABEL_HEIGHT = 13;
const PAD = 2;
/** A data point's circle (radius 5, stroke 1.5) and the gap a name keeps from it. */
const POINT_CLEARANCE = 7;
/** How far the name's centre sits from its line, so the text does not cover the dashes. */
const OFFSET = 10;
/** Where along the line to try, middle first (as fractions from one end of its segment). */
const ALONG = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9];

export interface LineLabel {
  name: string;
  /** The centre of the text, in data coordinates (x0, x1). */
  at: [number, number];
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function boxAround(x: number, y: number, text: string): Box {
  const [w, h] = [text.length * CHAR_WIDTH + 2 * PAD, LABEL_HEIGHT + 2 * PAD];
  return { left: x - w / 2, right: x + w / 2, top: y - h / 2, bottom: y + h / 2 };
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The distance from (x, y) to the box (0 inside it). */
function distance(box: Box, x: number, y: number): number {
  const dx = Math.max(box.left - x, 0, x - box.right);
  const dy = Math.max(box.top - y, 0, y - box.bottom);
  return Math.hypot(dx, dy);
}

/**
 * lineLabels(lines, { extent, size, points }) places each line's name on a map drawn `size`
 * pixels square over the data square `extent` × `extent`: at the first spot along its segment
 * (middle first, then outwards), on either side of it, whose text box lies inside the map, keeps
 * POINT_CLEARANCE from every data point and overlaps no name placed before it. Lines missing the
 * square, and names with no such spot, get no label.
 */
export function lineLabels(
  lines: readonly DecisionLine[],
  options: { extent: [number, number]; size: number; points?: readonly DataPoint[] },
): LineLabel[] {
  const [lo, hi] = options.extent;
  const scale = options.size / (hi - lo);
  // Pixels with y down, as drawn.
  const toPixel = ([x0, x1]: readonly number[]): [number, number] => [(x0 - lo) * scale, (hi - x1) * scale];
  const points = (options.points ?? []).map((p) => toPixel(p.input));
  const placed: Box[] = [];
  const labels: LineLabel[] = [];
  for (const line of lines) {
    const segment = lineSegment(line, options.extent);
    if (segment === null) continue;
    const [a, b] = segment.map(toPixel);
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const normal = [-(b[1] - a[1]) / length, (b[0] - a[0]) / length];
    // Above the line first (smaller y), as the labels were drawn before.
    const sides = normal[1] <= 0 ? [1, -1] : [-1, 1];
    let spot: [number, number] | undefined;
    search: for (const t of ALONG) {
      for (const side of sides) {
        const x = a[0] + t * (b[0] - a[0]) + side * OFFSET * normal[0];
        const y = a[1] + t * (b[1] - a[1]) + side * OFFSET * normal[1];
        const box = boxAround(x, y, line.name);
        if (box.left < 0 || box.top < 0 || box.right > options.size || box.bottom > options.size) continue;
        if (points.some(([px, py]) => distance(box, px, py) < POINT_CLEARANCE)) continue;
        if (placed.some((other) => overlaps(box, other))) continue;
        placed.push(box);
        spot = [x, y];
        break search;
      }
    }
    if (spot !== undefined) labels.push({ name: line.name, at: [lo + spot[0] / scale, hi - spot[1] / scale] });
  }
  return labels;
}
