/** The landing page: every experiment of the chapter, then its extra theory, in order, and the playground. */
import { chapterExperiments, theoryExperiments } from '../experiments/index.js';
import type { Experiment } from '../experiments/index.js';
import { h } from './dom.js';
import { installHook } from './hook.js';

function experimentList(list: readonly Experiment[]): HTMLElement {
  return h(
    'ol',
    { class: 'experiment-list' },
    ...list.map((experiment) =>
      h('li', {}, h('a', { href: `?page=${experiment.name}`, 'data-testid': `link-${experiment.name}` }, experiment.name), h('span', {}, ` — ${experiment.description}`)),
    ),
  );
}

export function mountLanding(root: HTMLElement, notice?: string): void {
  document.title = 'nnlab — the lab';
  root.replaceChildren(
    h(
      'header',
      { class: 'page-header' },
      h('h1', {}, 'nnlab: the lab'),
      h(
        'p',
        { class: 'description' },
        'The experiments of the neural-network basics chapter, trained live in your browser with nnlab. Each page starts from the command line’s defaults and seed, so its numbers match ',
        h('code', {}, 'nnlab run <experiment> --json'),
        '.',
      ),
    ),
    notice === undefined ? '' : h('p', { class: 'notices', role: 'alert', 'data-testid': 'url-error' }, notice),
    h(
      'nav',
      { 'aria-label': 'experiments' },
      h('h2', {}, 'The chapter'),
      experimentList(chapterExperiments),
      ...(theoryExperiments.length === 0 ? [] : [h('h2', {}, 'Extra theory'), experimentList(theoryExperiments)]),
      h('p', { class: 'playground-link' }, h('a', { href: '?page=playground', 'data-testid': 'link-playground' }, 'playground'), h('span', {}, ' — build your own network on your own data')),
      h(
        'p',
        { class: 'playground-link' },
        h('a', { href: '?page=sweep&experiment=two-layer&seeds=200', 'data-testid': 'link-sweep' }, 'sweep'),
        h('span', {}, ' — run an experiment over many seeds on every core: how often does XOR with 2 hidden units get stuck?'),
      ),
    ),
  );
  installHook({ page: notice === undefined ? 'landing' : 'not-found' });
}
