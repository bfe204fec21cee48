/**
 * Composing SVG fragments into one figure: blocks of known size placed in rows and grids,
 * titles and legends as plain SVG text, and the final document with stable ids. Node and browser.
 */

/** A fragment of SVG markup drawn in a box of `width` × `height` with its origin at the top left. */
export interface Block {
  markup: string;
  width: number;
  height: number;
}

export const FONT_FAMILY = 'system-ui, sans-serif';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Rounds to 2 decimals, so that coordinates print short and the same on every platform. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function translate(block: Block, x: number, y: number): string {
  if (block.markup === '') return '';
  return x === 0 && y === 0 ? block.markup : `<g transform="translate(${px(x)},${px(y)})">${block.markup}</g>`;
}

/**
 * The estimated width of bold `text` at `fontSize` px. NOTE: no font metrics in a pure function;
 * 0.68 em per character covers bold DejaVu Sans (resvg's and Debian's fallback), the widest we meet.
 */
export function boldTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.68;
}

/** `text` centred above `block`; a title wider than the block widens it (the block centred below), so it is never clipped. */
export function titled(text: string, block: Block, fontSize = 13): Block {
  const height = Math.round(fontSize * 1.8);
  const width = Math.max(block.width, boldTextWidth(text, fontSize));
  const title = `<text x="${px(width / 2)}" y="${px(fontSize * 1.3)}" text-anchor="middle" font-size="${fontSize}" font-weight="bold">${escapeXml(text)}</text>`;
  return { markup: title + translate(block, (width - block.width) / 2, height), width, height: block.height + height };
}

/** Blocks left to right, top-aligned. */
export function row(blocks: readonly Block[], gap = 12): Block {
  let x = 0;
  const parts: string[] = [];
  for (const block of blocks) {
    parts.push(translate(block, x, 0));
    x += block.width + gap;
  }
  return { markup: parts.join(''), width: Math.max(0, x - gap), height: Math.max(0, ...blocks.map((b) => b.height)) };
}

/** Blocks top to bottom, centred horizontally. */
export function column(blocks: readonly Block[], gap = 0): Block {
  const width = Math.max(0, ...blocks.map((b) => b.width));
  let y = 0;
  const parts: string[] = [];
  for (const block of blocks) {
    parts.push(translate(block, (width - block.width) / 2, y));
    y += block.height + gap;
  }
  return { markup: parts.join(''), width, height: Math.max(0, y - gap) };
}

/** Blocks in rows of `columns`. */
export function grid(blocks: readonly Block[], columns: number, gap = 12): Block {
  const rows: Block[] = [];
  for (let i = 0; i < blocks.length; i += columns) rows.push(row(blocks.slice(i, i + columns), gap));
  return column(rows, gap);
}

/** The number of columns for `count` small multiples: one row up to `maxRow`, else a near-square grid. */
export function columnsFor(count: number, maxRow = 3): number {
  return count <= maxRow ? count : Math.ceil(Math.sqrt(count));
}

/** A legend: a short stroke in each series' colour and dash, then its label. */
export function legend(entries: readonly { label: string; colour: string; dash?: string }[]): Block {
  const parts: string[] = [];
  let x = 0;
  for (const { label, colour, dash } of entries) {
    const dashAttr = dash === undefined ? '' : ` stroke-dasharray="${dash}"`;
    parts.push(`<line x1="${px(x)}" x2="${px(x + 20)}" y1="8" y2="8" stroke="${colour}" stroke-width="2"${dashAttr}/>`);
    parts.push(`<text x="${px(x + 25)}" y="12" font-size="11" text-anchor="start">${escapeXml(label)}</text>`);
    // NOTE: text width is estimated (no font metrics in a pure function): ~6.5 px per character at 11 px.
    x += 25 + label.length * 6.5 + 16;
  }
  return { markup: parts.join(''), width: Math.max(0, x - 16), height: 16 };
}

/**
 * The standalone SVG document: white background, one font, and the ids Observable Plot draws from
 * global counters (clip paths, markers) renumbered with `idPrefix`, so the same records give the
 * same bytes and several figures can share one HTML page.
 */
export function standaloneSvg(block: Block, idPrefix: string, margin = 10): string {
  const width = Math.ceil(block.width + 2 * margin);
  const height = Math.ceil(block.height + 2 * margin);
  const prefix = idPrefix.replace(/[^A-Za-z0-9_-]+/g, '-');
  const ids = new Map<string, string>();
  const markup = block.markup.replace(/\bplot-(?:clip|marker)-\d+\b/g, (id) => {
    let stable = ids.get(id);
    if (stable === undefined) {
      stable = `${prefix}-${ids.size + 1}`;
      ids.set(id, stable);
    }
    return stable;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT_FAMILY}" font-size="10"><rect width="${width}" height="${height}" fill="white"/>` +
    translate({ markup, width: block.width, height: block.height }, margin, margin) +
    '</svg>'
  );
}
