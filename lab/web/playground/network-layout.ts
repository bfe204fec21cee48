/**
 * Where the playground's network drawing puts its units: a column per layer, the columns spread
 * over the width the panel has and the units shrunk to the height the screen has left below the
 * drawing, so that the largest network the playground builds (6 hidden layers of 8 units) shows
 * whole beside the controls and the output at 1366×768. Pure, in CSS pixels: network-view.ts
 * draws with it, network-panel.ts aligns the layer cards with its columns.
 *
 *     networkLayout([2, 4, 2, 1], { width: 644, height: 300 })   // the default network: scale 1, 40-pixel units
 */

/** At scale 1: a unit's side, the distance from one unit's top to the next one's, and the widest column pitch. */
const NODE = 40;
const ROW_PITCH = 50;
const COLUMN_PITCH = 132;
/** Room above the units: a line for the column labels, then (scaled) the height a skip arc rises. */
const LABEL_ROOM = 20;
const ARC_ROOM = 24;
const ARC_RISE = 26;
/** Left and right of the outer columns: room for their centred labels. */
const SIDE = 24;
/**
 * The smallest scale drawn (16-pixel units): below it a unit's map says nothing, and a drawing
 * that needs less room scrolls with the page instead.
 */
export const MIN_SCALE = 0.4;
/** The narrowest column pitch: a layer card's controls need it; a narrower panel scrolls. */
export const MIN_COLUMN_PITCH = 60;
/** A unit is at most this share of the column pitch, so that its links stay visible between columns. */
const NODE_SHARE = 0.45;

export interface NetworkLayout {
  /** A unit's side. */
  node: number;
  /** From a unit's top to the next one's in a column. */
  rowPitch: number;
  /** From a column's left edge to the next one's. */
  columnPitch: number;
  /** The top of the tallest column's first unit: below the labels and the skip arcs. */
  top: number;
  /** How high a skip arc rises above the units it joins. */
  arc: number;
  /** The units in the tallest column. */
  rows: number;
  /** The whole drawing. */
  width: number;
  height: number;
}

/**
 * networkLayout(sizes, room, natural?) lays out columns of `sizes` units (inputs, hidden layers,
 * outputs) in `room`: the units shrink from `natural` scale (1 is 40-pixel units; projector mode
 * draws larger) to fit the height, down to MIN_SCALE, and the columns share the width, from
 * 132 × natural pixels apart down to MIN_COLUMN_PITCH. Sizes are whole pixels, so that a unit's
 * canvas maps onto whole device pixels.
 */
export function networkLayout(sizes: readonly number[], room: { width: number; height: number }, natural = 1): NetworkLayout {
  const rows = Math.max(1, ...sizes);
  const gaps = Math.max(1, sizes.length - 1);
  const byHeight = (room.height - LABEL_ROOM) / (ARC_ROOM + rows * ROW_PITCH);
  let scale = clamp(byHeight, MIN_SCALE, natural);
  const columnPitch = clamp(Math.floor((room.width - 2 * SIDE - Math.floor(NODE * scale)) / gaps), MIN_COLUMN_PITCH, Math.round(COLUMN_PITCH * natural));
  scale = Math.max(MIN_SCALE, Math.min(scale, (NODE_SHARE * columnPitch) / NODE));
  // Rounded down, so that a drawing fitted to the height does not outgrow it by a rounding.
  const node = Math.floor(NODE * scale);
  const top = LABEL_ROOM + Math.floor(ARC_ROOM * scale);
  const rowPitch = Math.floor(ROW_PITCH * scale);
  return {
    node,
    rowPitch,
    columnPitch,
    top,
    arc: Math.round(ARC_RISE * scale),
    rows,
    width: 2 * SIDE + gaps * columnPitch + node,
    height: top + rows * rowPitch,
  };
}

/** The left and top of unit `unit` of `count` in column `layer`: columns centred on the tallest. */
export function unitAt(layout: NetworkLayout, layer: number, unit: number, count: number): { x: number; y: number } {
  return { x: SIDE + layer * layout.columnPitch, y: layout.top + ((layout.rows - count) / 2 + unit) * layout.rowPitch };
}

/** The x of the centre of column `layer` (0 = inputs), for the labels and cards aligned with it. */
export function columnCentre(layout: NetworkLayout, layer: number): number {
  return SIDE + layer * layout.columnPitch + layout.node / 2;
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
