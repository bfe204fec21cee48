/**
 * The backprop page: the network with its forward values, and the backward pass walked one
 * edge at a time (Back / Next / Reset, or ← / →). Each step shows its arithmetic, local
 * derivative × upstream gradient = contribution, and a parameter's gradient appears in the
 * gradient-check table the moment it is complete, beside nnlab's backprop and the numeric one.
 */
import './backprop/backprop.css';
import { analyse, type Analysis } from '../../experiments/backprop/network.js';
import { backprop as backpropExperiment, specOf } from '../../experiments/backprop.js';
import { withLabArithmetic } from '../../experiments/arithmetic.js';
import type { Experiment, LabRecord } from '../../experiments/index.js';
import { resolveConfig } from '../../experiments/index.js';
import { figuresOf } from '../../render/figures.js';
import { scopeSvgIds } from '../../report/html.js';
import { formatValue } from '../../report/format.js';
import { h, isTyping } from '../dom.js';
import { installHook } from '../hook.js';
import { networkView, type NetworkView } from './backprop/network-view.js';
import { localRule, sumSoFar, walkState } from './backprop/walk.js';
import { exportLinks, figureNames } from './exports.js';
import { mountFrame, type PageState } from './frame.js';
import { resultsOf } from './results.js';

/** Typed (its config feeds specOf), with the lab's arithmetic as the registry's. */
const backprop = withLabArithmetic(backpropExperiment);

const v = (value: number) => formatValue(value, 4);

/** The gradient-check table, its chain-rule column filled as the walk completes each parameter. */
function checkTable(a: Analysis): { element: HTMLElement; show(complete: ReadonlySet<string>, known: ReadonlyMap<string, number>, current?: string): void } {
  const cells = a.check.map((row) => {
    const walked = h('td', { class: 'walked', 'data-testid': 'walked' });
    const tr = h(
      'tr',
      { 'data-parameter': row.parameter },
      h('th', { scope: 'row' }, row.symbol),
      h('td', {}, v(a.parameters.find((p) => p.symbol === row.symbol)!.value)),
      walked,
      h('td', { 'data-testid': 'backprop', 'data-value': String(row.backprop) }, v(row.backprop)),
      h('td', {}, v(row.numeric)),
      h('td', {}, row.relativeError.toExponential(1)),
    );
    return { row, tr, walked };
  });
  const element = h(
    'figure',
    { class: 'table backprop-check', 'data-testid': 'gradient-check' },
    h('figcaption', {}, 'gradient check', h('span', { class: 'note' }, ' (the walk fills its column as each parameter completes)')),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['θ', 'value', 'walked ∂L/∂θ', 'nnlab backprop', 'numeric', 'rel. error'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...cells.map((c) => c.tr)),
    ),
  );
  return {
    element,
    show(complete, known, current) {
      for (const { row, tr, walked } of cells) {
        const done = complete.has(row.symbol);
        walked.textContent = done ? v(known.get(row.symbol)!) : '';
        if (done) walked.setAttribute('data-value', String(known.get(row.symbol)));
        else walked.removeAttribute('data-value');
        tr.classList.toggle('current', row.symbol === current);
      }
    },
  };
}

export function mountBackprop(root: HTMLElement, experiment: Experiment, search: string): () => void {
  let records: LabRecord[] = [];
  let analysis: Analysis;
  let view: NetworkView;
  let table: ReturnType<typeof checkTable>;
  let k = 0;
  let renders = 0;
  let activation = 'sigmoid';

  const back = h('button', { type: 'button', 'data-testid': 'back', 'aria-keyshortcuts': 'ArrowLeft' }, '← Back');
  const next = h('button', { type: 'button', 'data-testid': 'next', 'aria-keyshortcuts': 'ArrowRight' }, 'Next →');
  const reset = h('button', { type: 'button', 'data-testid': 'reset' }, 'Reset');
  const stepText = h('span', { 'data-testid': 'step' });
  const lastStep = h('span', { 'data-testid': 'steps' });
  const edgeText = h('span', { 'data-testid': 'edge' });
  const arithmetic = h('div', { class: 'backprop-arithmetic', 'data-testid': 'arithmetic', 'aria-live': 'polite' });
  const drawing = h('div', { class: 'backprop-drawing' });
  const side = h('div', { class: 'backprop-side' });
  const figures = h('section', { class: 'figures', 'aria-label': 'figures' });
  const results = h('section', { class: 'results', 'aria-label': 'results', 'data-testid': 'results' });
  const exports = h('section', { class: 'exports-panel', 'aria-label': 'downloads' });

  const showStep = () => {
    const steps = analysis.steps;
    const state = walkState(steps, k);
    view.show(state);
    table.show(state.complete, state.known, state.current?.to);
    stepText.textContent = String(k);
    lastStep.textContent = String(steps.length);
    back.disabled = k === 0;
    next.disabled = k === steps.length;
    const s = state.current;
    if (s === undefined) {
      edgeText.textContent = 'none yet';
      arithmetic.replaceChildren(
        h('p', {}, `Forward pass done: L = ${v(analysis.forward.loss)}. The walk starts from ∂L/∂L = 1 and goes back one edge per step.`),
      );
    } else {
      edgeText.textContent = `${s.from} → ${s.to}`;
      const complete = state.complete.has(s.to);
      const parts = sumSoFar(steps, k);
      arithmetic.replaceChildren(
        h('p', { class: 'rule' }, localRule(s, activation)),
        h(
          'p',
          { class: 'product' },
          `∂${s.from}/∂${s.to} = `,
          h('strong', {}, v(s.localDerivative)),
          ' × ∂L/∂',
          s.from,
          ' = ',
          h('strong', {}, v(s.upstream)),
          ' → contribution ',
          h('strong', {}, v(s.contribution)),
        ),
        h(
          'p',
          { class: 'sum' },
          `∂L/∂${s.to} ${complete ? '=' : 'so far ='} `,
          / [+−] /.test(parts) ? `${parts} = ` : '',
          h('strong', {}, v(s.accumulated)),
          complete ? ` (complete; nnlab autodiff: ${v(s.autodiff)})` : ' (more edges still to add)',
        ),
      );
    }
    renders++;
  };

  const render = (state: PageState) => {
    const config = resolveConfig(backprop, state.config);
    activation = config.activation;
    analysis = analyse(specOf(config), state.settings.seed, config.h);
    records = [...backprop.run(config, state.settings.seed)];
    view = networkView(analysis);
    table = checkTable(analysis);
    drawing.replaceChildren(view.element);
    side.replaceChildren(table.element);
    // A changed option keeps the walk where it was, as far as the new network has steps.
    k = Math.min(k, analysis.steps.length);
    figures.replaceChildren(
      ...figuresOf(records).map((figure) => {
        const element = h('figure', { 'aria-label': figure.title, 'data-testid': `figure-${figure.name}` });
        element.innerHTML = scopeSvgIds(figure.svg, `${experiment.name}-${figure.name}`);
        return element;
      }),
    );
    const final = records.find((r) => r.kind === 'final');
    results.replaceChildren(...(final?.kind === 'final' ? [h('h2', {}, 'Values'), ...resultsOf(final)] : []));
    const names = figureNames({ maps: [], errors: false, figures: figuresOf(records).map((f) => f.name) });
    exports.replaceChildren(
      h('h2', {}, 'Download'),
      exportLinks({ stem: () => `${experiment.name}-seed${state.settings.seed}`, records: () => records, palette: () => state.settings.palette, finished: () => true }, names),
    );
    showStep();
  };

  const go = (to: number) => {
    k = Math.max(0, Math.min(analysis.steps.length, to));
    showStep();
  };
  back.addEventListener('click', () => go(k - 1));
  next.addEventListener('click', () => go(k + 1));
  reset.addEventListener('click', () => go(0));
  const onKey = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented || isTyping(event.target)) return;
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      go(k + (event.key === 'ArrowRight' ? 1 : -1));
    }
  };
  document.addEventListener('keydown', onKey);

  const frame = mountFrame(root, experiment, search, { settings: ['seed'], changed: (_control, state) => render(state) });
  frame.main.replaceChildren(
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'backward pass' },
      back,
      next,
      reset,
      h('span', { class: 'readout' }, 'step ', stepText, ' / ', lastStep),
      h('span', { class: 'readout' }, 'edge ', edgeText),
    ),
    arithmetic,
    h('div', { class: 'backprop-walk' }, drawing, side),
    figures,
    results,
    exports,
  );
  render(frame.state);
  // The step shown is the number of edges walked.
  installHook({ page: experiment.name, step: () => k, records: () => records.length, done: () => true, frames: () => renders });
  return () => document.removeEventListener('keydown', onKey);
}
