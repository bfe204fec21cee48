/** An experiment's explanation and key equations, typeset with KaTeX (bundled; no network). */
import 'katex/dist/katex.min.css';
import type { Experiment, FinalRecord, StartRecord } from '../../experiments/types.js';
import { findingsOf } from '../../experiments/claims/index.js';
import { h } from '../dom.js';
import { EQUATIONS, captionHtml, equationHtml } from './equations.js';

export function explanationOf(experiment: Experiment): HTMLElement {
  const equations = (EQUATIONS[experiment.name] ?? []).map(({ tex, caption }) => {
    const math = h('div', { class: 'equation' });
    math.innerHTML = equationHtml(tex);
    const text = h('figcaption', {});
    text.innerHTML = captionHtml(caption);
    return h('figure', { class: 'equation-figure' }, math, text);
  });
  return h('section', { class: 'explanation', 'aria-label': 'what to look at' }, h('p', {}, experiment.explanation), ...equations);
}

/**
 * What this run showed (the explanation's run-dependent sentences, filled from its final record),
 * shown with the final results; none for an experiment whose explanation states no such claim.
 */
export function findingsElement(start: Pick<StartRecord, 'experiment' | 'config'> | undefined, final: FinalRecord): HTMLElement[] {
  const findings = start === undefined ? undefined : findingsOf(start.experiment, start.config, final);
  return findings === undefined ? [] : [h('p', { class: 'findings', 'data-testid': 'findings' }, findings)];
}
