/**
 * Projector mode: larger type and thicker lines for a class looking at a wall, set by
 * `&projector=1` in the address (landing page, experiment pages, playground, sweep) or by the
 * toggle on those pages. It is a class on <html> (`projector`) that style.css reads, plus a
 * line-width factor for what is drawn on canvases. Browser only.
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

export function setProjector(on: boolean): void {
  document.documentElement.classList.toggle(CLASS, on);
}

/**
 * The toggle: a button in the page's corner that switches projector mode and writes it into the
 * address (so a copied link keeps it). Nothing needs redrawing: style.css zooms the canvases.
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
