/**
 * Projector mode: larger type and thicker lines for a class looking at a wall, set by
 * `&projector=1` in the address (landing page, experiment pages, playground, sweep) or by the
 * toggle on those pages. It is a class on <html> (`projector`) that style.css reads (larger type,
 * zoomed charts), plus a line factor for what the pages draw themselves: chart lines on canvases
 * and the playground's network links. Browser only.
 */
import { h } from './dom.js';

export const PROJECTOR_PARAM = 'projector';
const CLASS = 'projector';

/** projectorIn('?page=x&projector=1') → true; '0' or no parameter → false. */
export function projectorIn(search: string): boolean {
  const value = new URLSearchParams(search).get(PROJECTOR_PARAM);
  return value !== null && value !== '0' && value !== 'false';
}

/**
 * withProjector('?page=x', true) → '?page=x&projector=1': the query with projector mode set as
 * given (default: as the page is). The rest of the query is kept as it was written.
 */
export function withProjector(search: string, on = isProjector()): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && decodeURIComponent(pair.split('=')[0].replace(/\+/g, ' ')) !== PROJECTOR_PARAM);
  if (on) kept.push(`${PROJECTOR_PARAM}=1`);
  return kept.length === 0 ? location.pathname : `?${kept.join('&')}`;
}

export function isProjector(): boolean {
  return typeof document !== 'undefined' && document.documentElement.classList.contains(CLASS);
}

/** How much thicker projector mode draws lines (on top of style.css's zoom, where a chart has one). */
export const PROJECTOR_LINE_FACTOR = 1.5;

/** lineFactor() → 1.5 in projector mode, else 1: the drawing code's line widths are multiplied by it. */
export function lineFactor(): number {
  return isProjector() ? PROJECTOR_LINE_FACTOR : 1;
}

/**
 * Sets the mode. When it changes, the page gets a `resize` event: canvases size their buffers
 * and the playground its network from the boxes the mode's type and zoom change, as when the
 * window is resized, and the pages already redraw for that.
 */
export function setProjector(on: boolean): void {
  if (isProjector() === on) return;
  document.documentElement.classList.toggle(CLASS, on);
  window.dispatchEvent(new Event('resize'));
}

/**
 * The toggle: a button in the page's corner that switches projector mode and writes it into the
 * address (so a copied link keeps it); setProjector tells the page to redraw.
 */
export function projectorToggle(changed: () => void = () => {}): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'projector-toggle', 'data-testid': 'projector-toggle', title: 'Larger type and thicker lines, for a projector (&projector=1 in the address)' }, 'Projector');
  const sync = () => button.setAttribute('aria-pressed', String(isProjector()));
  sync();
  button.addEventListener('click', () => {
    setProjector(!isProjector());
    sync();
    history.replaceState(history.state, '', withProjector(location.search) + location.hash);
    changed();
  });
  return button;
}
