/**
 * The page of an experiment without training (activations, bce): its figures, drawn again
 * whenever a control changes. The run takes milliseconds, so it runs right here, not in a worker.
 */
import type { Experiment, LabRecord } from '../../experiments/index.js';
import { resolveConfig } from '../../experiments/index.js';
import { scopeSvgIds } from '../../report/html.js';
import { figuresOf } from '../../render/figures.js';
import { h } from '../dom.js';
import { installHook } from '../hook.js';
import { exportLinks, figureNames } from './exports.js';
import { mountFrame, type PageState } from './frame.js';
import { resultsOf } from './results.js';

export function mountFigures(root: HTMLElement, experiment: Experiment, search: string): void {
  let records: LabRecord[] = [];
  let renders = 0;
  const figures = h('section', { class: 'figures', 'aria-label': 'figures', 'aria-live': 'polite' });
  const results = h('section', { class: 'results', 'aria-label': 'results', 'data-testid': 'results' });
  const exports = h('section', { class: 'exports-panel', 'aria-label': 'downloads' });

  const render = (state: PageState) => {
    records = [...experiment.run(resolveConfig(experiment, state.config), state.settings.seed)];
    renders++;
    const drawn = figuresOf(records);
    figures.replaceChildren(
      ...drawn.map((figure) => {
        const element = h('figure', { 'aria-label': figure.title, 'data-testid': `figure-${figure.name}` });
        element.innerHTML = scopeSvgIds(figure.svg, `${experiment.name}-${figure.name}`);
        return element;
      }),
    );
    const final = records.find((r) => r.kind === 'final');
    results.replaceChildren(...(final?.kind === 'final' ? [h('h2', {}, 'Values'), ...resultsOf(final)] : []));
    const names = figureNames({ maps: [], errors: false, figures: drawn.map((f) => f.name) });
    exports.replaceChildren(
      h('h2', {}, 'Download'),
      exportLinks({ stem: () => `${experiment.name}-seed${state.settings.seed}`, records: () => records, palette: () => state.settings.palette, finished: () => true }, names),
    );
  };

  const frame = mountFrame(root, experiment, search, { settings: ['seed'], changed: (_control, state) => render(state) });
  frame.main.replaceChildren(figures, results, exports);
  render(frame.state);
  installHook({ page: experiment.name, records: () => records.length, done: () => true, frames: () => renders });
}
