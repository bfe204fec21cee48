/**
 * The landing page: a numbered path through the chapter (what each page teaches), the
 * playground, then a card per experiment, chapter first, then its extra theory, each with a
 * thumbnail: a figure of the experiment's default run, made when the page was built
 * (thumbnails/), and that run's verdict.
 */
import { chapterExperiments, theoryExperiments } from '../experiments/index.js';
import type { Experiment } from '../experiments/index.js';
import thumbnails from 'virtual:nnlab-thumbnails';
import type { ThumbnailLink } from './thumbnails/types.js';
import { h } from './dom.js';
import { installHook } from './hook.js';
import { LESSONS } from './lessons.js';
import { withProjector } from './projector.js';

/** A link to another page of the lab, keeping projector mode as the landing page has it. */
const pageLink = (query: string) => withProjector(query);

function startHere(): HTMLElement {
  return h(
    'section',
    { class: 'start-here', 'aria-labelledby': 'start-here-title' },
    h('h2', { id: 'start-here-title' }, 'Start here'),
    h('p', { class: 'lead' }, 'The chapter in order. Each page trains its network live in your browser; press Play and watch.'),
    h(
      'ol',
      { class: 'path', 'data-testid': 'start-here' },
      ...chapterExperiments.map((experiment, i) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: pageLink(`?page=${experiment.name}`), 'data-testid': `path-${experiment.name}` },
            h('span', { class: 'step', 'aria-hidden': 'true' }, String(i + 1)),
            h('span', { class: 'path-text' }, h('span', { class: 'path-name' }, experiment.name), h('span', { class: 'path-lesson' }, LESSONS[experiment.name] ?? experiment.description)),
          ),
        ),
      ),
    ),
  );
}

function playgroundCard(): HTMLElement {
  return h(
    'section',
    { class: 'playground-card', 'aria-labelledby': 'playground-title' },
    h('h2', { id: 'playground-title' }, 'The playground'),
    h('p', {}, 'Build your own network on your own data: pick a data set (or draw one), choose the inputs, layers and activations, and watch every unit’s map change as it trains.'),
    h(
      'ul',
      {},
      h('li', {}, 'classification and regression data sets, noise and a test split'),
      h('li', {}, 'engineered inputs: x₀², x₀·x₁, sin x₀ …'),
      h('li', {}, 'hover a unit to see what it has learned'),
      h('li', {}, 'the whole setup lives in the link: share it as an exercise'),
    ),
    h('a', { class: 'cta', href: pageLink('?page=playground'), 'data-testid': 'link-playground' }, 'Open the playground →'),
  );
}

/** The verdict of the thumbnail's run, as chips: 'solved', or each variant's outcome. */
function verdictLine(thumbnail: ThumbnailLink): HTMLElement {
  const { verdict } = thumbnail;
  if (verdict === null) return h('p', { class: 'card-run' }, `Computed with the defaults: ${thumbnail.title.toLowerCase()}`);
  const chips =
    verdict.variants.length === 1
      ? [h('span', { class: `chip ${verdict.solved ? 'solved' : 'stuck'}` }, verdict.solved ? 'solved' : 'stuck')]
      : verdict.variants.map((v) => h('span', { class: `chip ${v.solved ? 'solved' : 'stuck'}` }, `${v.variant} ${v.solved ? '✓' : '✗'}`));
  // A tooltip is plain text: the verdict's `command` marks (code on the run's page) are left out.
  return h('p', { class: 'card-run', title: verdict.text.replace(/`/g, '') }, `Seed ${thumbnail.seed}, defaults: `, ...chips);
}

function card(experiment: Experiment, number: number | undefined, thumbnail: ThumbnailLink | undefined): HTMLElement {
  const href = pageLink(`?page=${experiment.name}`);
  return h(
    'li',
    { class: 'card', 'data-testid': `card-${experiment.name}` },
    h(
      'a',
      { class: 'card-link', href, 'data-testid': `link-${experiment.name}` },
      thumbnail === undefined
        ? ''
        : h('img', {
            class: 'thumbnail',
            src: thumbnail.url,
            width: thumbnail.width,
            height: thumbnail.height,
            alt: `${thumbnail.title} (seed ${thumbnail.seed})`,
            decoding: 'async',
            'data-testid': `thumbnail-${experiment.name}`,
          }),
      h('span', { class: 'card-name' }, number === undefined ? '' : h('span', { class: 'step', 'aria-hidden': 'true' }, String(number)), experiment.name),
    ),
    h('p', { class: 'card-description' }, experiment.description),
    thumbnail === undefined ? '' : verdictLine(thumbnail),
  );
}

function cards(list: readonly Experiment[], numbered: boolean): HTMLElement {
  const byName = new Map(thumbnails.map((t) => [t.experiment, t]));
  return h('ol', { class: 'cards' }, ...list.map((experiment, i) => card(experiment, numbered ? i + 1 : undefined, byName.get(experiment.name))));
}

export function mountLanding(root: HTMLElement, notice?: string): void {
  document.title = 'nnlab — the lab';
  root.replaceChildren(
    h(
      'header',
      { class: 'page-header landing-header' },
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
    h('div', { class: 'landing-top' }, startHere(), playgroundCard()),
    h(
      'nav',
      { 'aria-label': 'experiments' },
      h('h2', {}, 'The chapter'),
      cards(chapterExperiments, true),
      ...(theoryExperiments.length === 0 ? [] : [h('h2', {}, 'Extra theory'), h('p', { class: 'lead' }, 'Each claim of the chapter’s extra theory, made runnable.'), cards(theoryExperiments, false)]),
      h(
        'p',
        { class: 'sweep-link' },
        h('a', { href: pageLink('?page=sweep&experiment=two-layer&seeds=200'), 'data-testid': 'link-sweep' }, 'sweep'),
        h('span', {}, ' — run an experiment over many seeds on every core: how often does XOR with 2 hidden units get stuck?'),
      ),
    ),
  );
  installHook({ page: notice === undefined ? 'landing' : 'not-found' });
}
