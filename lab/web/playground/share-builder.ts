/**
 * Classroom mode, for a teacher: `&hide=a,b` in the playground's address hides those control
 * groups (url-state.ts, applyHidden), so a class gets an exercise with only the knobs it is about.
 * This is the page's side of it: the "share as exercise" builder (tick the groups to hide, get
 * the link, copy it) and `tidyClassroom`, which folds away what hiding leaves behind: a box whose
 * every control is hidden, and help text whose control is gone. Browser only.
 */
import { h } from '../dom.js';
import { HIDEABLE } from './url-state.js';
import type { Hideable } from './url-state.js';

/** What each group is, as the builder's checkboxes say it. */
export const GROUP_LABELS: Readonly<Record<Hideable, string>> = {
  data: 'data set, points and classes',
  noise: 'noise',
  csv: 'CSV import and export',
  edit: 'adding and removing points',
  inputs: 'input features',
  layers: 'hidden layers and units',
  skip: 'skip connections',
  loss: 'loss',
  optimizer: 'optimiser and its settings',
  lr: 'learning rate',
  batch: 'batch size',
  regularization: 'L1 and L2 penalties',
  clip: 'gradient clipping',
  seed: 'seed',
  model: 'saving and loading the model',
  view: 'view options (colours, resolution)',
  curves: 'loss curves',
};

/** The class applyHidden gives hidden groups; tidyClassroom gives it to what they leave empty, marked so it can undo it. */
const HIDDEN = 'pg-classroom-hidden';
const EMPTIED = 'data-classroom-empty';

/**
 * exerciseQuery('?page=playground&data=xor&hide=seed', ['lr', 'data']) →
 * '?page=playground&data=xor&hide=data,lr': the same setup with exactly those groups hidden
 * (in HIDEABLE order); the rest of the query stays as written.
 */
export function exerciseQuery(search: string, hide: readonly Hideable[]): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && pair.split('=')[0] !== 'hide');
  const chosen = HIDEABLE.filter((group) => hide.includes(group));
  if (chosen.length > 0) kept.push(`hide=${chosen.join(',')}`);
  return `?${kept.join('&')}`;
}

/** Headings and help: what frames a box's content, not content itself. */
const FRAMING = 'h1, h2, h3, h4, legend, .pg-help, .pg-error';
/** Elements whose own text names something else (a label names its control): their controls count, their words do not. */
const NAMING = 'label, summary';
/** Elements that are content by themselves. */
const CONTENT = 'input, select, textarea, button, canvas, svg, img, output, table, a';

/**
 * Whether `element` shows anything once classroom mode has hidden what it hides: a control, a
 * picture or text other than headings, labels and help. What is hidden for other reasons
 * (momentum under Adam) counts, since it may come back.
 */
function hasContent(element: Element): boolean {
  if (element.classList.contains(HIDDEN) || element.matches(FRAMING)) return false;
  if (element.matches(CONTENT)) return true;
  const naming = element.matches(NAMING);
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      if (!naming && (child.textContent ?? '').trim() !== '') return true;
    } else if (child instanceof Element && hasContent(child)) {
      return true;
    }
  }
  return false;
}

/**
 * tidyClassroom(page): after applyHidden, hides every element around a hidden group that is
 * left with nothing but headings and help (a panel of hidden controls, a control's note), and
 * shows again what an earlier call hid but now has content.
 */
export function tidyClassroom(page: HTMLElement): void {
  for (const element of Array.from(page.querySelectorAll(`[${EMPTIED}]`))) {
    element.classList.remove(HIDDEN);
    element.removeAttribute(EMPTIED);
  }
  const hidden = Array.from(page.querySelectorAll(`.${HIDDEN}`));
  // Every ancestor of a hidden group, up to the page, deepest first, so a box emptied by its emptied children folds too.
  const around = new Set<Element>();
  for (const element of hidden) {
    for (let parent = element.parentElement; parent !== null && parent !== page; parent = parent.parentElement) around.add(parent);
  }
  const deepestFirst = [...around].sort((a, b) => depth(b) - depth(a));
  for (const element of deepestFirst) {
    if (!hasContent(element)) {
      element.classList.add(HIDDEN);
      element.setAttribute(EMPTIED, '');
    }
  }
}

function depth(element: Element): number {
  let d = 0;
  for (let e = element.parentElement; e !== null; e = e.parentElement) d++;
  return d;
}

export interface ShareBuilder {
  element: HTMLElement;
  /** Opens the builder and scrolls it into view (the help link does this). */
  open(): void;
}

/**
 * The "share as exercise" panel: a checkbox per control group (ticked: hidden from the class),
 * the link that opens this setup with them hidden, and a Copy button (the clipboard where the
 * browser allows it, else the link selected in its field to copy by hand). `query()` is the
 * page's current address query.
 */
export function shareBuilder(options: { query(): string; hidden: readonly Hideable[] }): ShareBuilder {
  const boxes = HIDEABLE.map((group) => {
    const box = h('input', { type: 'checkbox', value: group, 'data-testid': `share-hide-${group}` });
    box.checked = options.hidden.includes(group);
    return { group, box, label: h('label', { class: 'pg-share-choice' }, box, ` ${GROUP_LABELS[group]}`) };
  });
  const link = h('input', { type: 'text', readonly: true, class: 'pg-share-link', 'aria-label': 'Exercise link', 'data-testid': 'share-link' });
  const copy = h('button', { type: 'button', 'data-testid': 'share-copy' }, 'Copy link');
  const status = h('p', { class: 'pg-help', role: 'status', 'data-testid': 'share-status' });
  const chosen = () => boxes.filter((b) => b.box.checked).map((b) => b.group);
  const update = () => {
    link.value = new URL(exerciseQuery(options.query(), chosen()), location.href).href;
    status.textContent = '';
  };
  for (const { box } of boxes) box.addEventListener('change', update);
  link.addEventListener('focus', () => link.select());
  copy.addEventListener('click', () => {
    update();
    const byHand = () => {
      link.focus();
      link.select();
      status.textContent = 'The browser did not let the page copy: the link is selected, press Ctrl+C (⌘C on a Mac).';
    };
    if (navigator.clipboard === undefined) return byHand();
    navigator.clipboard.writeText(link.value).then(() => (status.textContent = 'Copied. Whoever opens it gets this data and network, with the ticked controls hidden.'), byHand);
  });
  const element = h(
    'details',
    { class: 'pg-panel pg-share', id: 'classroom', 'data-testid': 'share-builder' },
    h('summary', {}, h('h2', {}, 'Share as an exercise (classroom mode)')),
    h(
      'p',
      { class: 'pg-help' },
      'Set up the data and network you want a class to start from, tick the controls to hide, and hand out the link: it opens this playground with those controls gone, so the exercise is about the ones left. ',
      'The link is the address with ',
      h('code', {}, '&hide=…'),
      ' added; anyone can still remove it from the address, so it is a focus, not a lock.',
    ),
    h('fieldset', { class: 'pg-share-choices' }, h('legend', {}, 'Hide from the class'), ...boxes.map((b) => b.label)),
    h('div', { class: 'pg-row' }, link, copy),
    status,
  );
  element.addEventListener('toggle', () => {
    if ((element as HTMLDetailsElement).open) update();
  });
  return {
    element,
    open() {
      (element as HTMLDetailsElement).open = true;
      update();
      element.scrollIntoView({ block: 'nearest' });
    },
  };
}
