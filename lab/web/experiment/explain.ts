/** An experiment's explanation and key equations, typeset with KaTeX (bundled; no network). */
import 'katex/dist/katex.min.css';
import type { Experiment } from '../../experiments/types.js';
import { h } from '../dom.js';
import { EQUATIONS, equationHtml } from './equations.js';

export function explanationOf(experiment: Experiment): HTMLElement {
  const equations = (EQUATIONS[experiment.name] ?? []).map(({ tex, caption }) => {
    const math = h('div', { class: 'equation' });
    math.innerHTML = equationHtml(tex);
    return h('figure', { class: 'equation-figure' }, math, h('figcaption', {}, caption));
  });
  return h('section', { class: 'explanation', 'aria-label': 'what to look at' }, h('p', {}, experiment.explanation), ...equations);
}
