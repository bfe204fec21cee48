/**
 * The lab's page: routes by the address (`?page=two-layer&hidden=3`, `?page=playground`, or
 * the landing page), and is the error boundary: whatever fails shows as a readable message,
 * never as a blank page or a stack trace.
 */
import './style.css';
import { h } from './dom.js';
import { routeOf } from './url.js';
import { isProjector, projectorIn, projectorToggle, setProjector } from './projector.js';

const root = document.getElementById('app') ?? document.body;

/** Shows `error` above the page (or as the page, if nothing was drawn). */
function showError(error: unknown): void {
  const message = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : 'an unexpected error';
  const dismiss = h('button', { type: 'button' }, 'Dismiss');
  const box = h(
    'div',
    { class: 'crash', role: 'alert', 'data-testid': 'crash' },
    dismiss,
    h('h2', {}, 'Something went wrong'),
    h('p', {}, message),
    h('p', {}, h('a', { href: location.href }, 'Reload this page'), ' or go back to ', h('a', { href: './' }, 'all experiments'), '.'),
  );
  dismiss.addEventListener('click', () => box.remove());
  document.querySelector('.crash')?.remove();
  root.prepend(box);
}

window.addEventListener('error', (event) => {
  event.preventDefault();
  showError(event.error ?? event.message);
});
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  showError(event.reason);
});

async function mount(): Promise<void> {
  const route = routeOf(location.search);
  // Projector mode (&projector=1) on every page: landing, experiments, playground and sweep.
  setProjector(projectorIn(location.search));
  switch (route.kind) {
    case 'landing':
    case 'not-found': {
      const { mountLanding } = await import('./landing.js');
      mountLanding(root, route.kind === 'not-found' ? route.message : undefined);
      break;
    }
    case 'playground': {
      const { installHook } = await import('./hook.js');
      installHook({ page: 'playground' });
      document.title = 'playground — nnlab';
      const { mountPlayground } = await import('./playground/index.js');
      mountPlayground(root);
      break;
    }
    case 'sweep': {
      const { mountSweep } = await import('./sweep/page.js');
      mountSweep(root, location.search);
      break;
    }
    case 'experiment': {
      const { mountExperiment } = await import('./experiment/page.js');
      mountExperiment(root, route.experiment, location.search);
      break;
    }
  }
}

/**
 * The projector toggle, placed in the page: beside its '← all experiments' link (which then
 * keeps projector mode on the way back), or in the landing page's header.
 */
function placeProjectorToggle(): void {
  const back = root.querySelector('a[href="./"]');
  if (back === null) return void root.querySelector('header')?.append(projectorToggle());
  const home = () => back.setAttribute('href', isProjector() ? './?projector=1' : './');
  home();
  back.after(' · ', projectorToggle(home));
}

mount()
  .then(placeProjectorToggle)
  .catch(showError);
