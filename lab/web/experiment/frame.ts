/**
 * What every experiment page shares: its header, the notice for address problems, the
 * generated controls bound to the page's config and settings (kept in the address), and the
 * command that repeats the run in a terminal.
 */
import { brokenRule, kebab, ruleMessage } from '../../experiments/index.js';
import type { Config, Experiment } from '../../experiments/index.js';
import { commandLine } from '../../report/format.js';
import { h } from '../dom.js';
import { withProjector } from '../projector.js';
import { experimentParams, experimentSearch, type Settings } from '../url.js';
import { createControls, type Controls } from './controls.js';
import { explanationOf } from './explain.js';

export interface PageState {
  config: Config;
  settings: Settings;
}

export interface Frame {
  /** Where the page's own content goes (between the controls and the explanation). */
  main: HTMLElement;
  state: PageState;
  controls: Controls;
  /**
   * Why the config cannot run, when it breaks a rule across options (the square with 2 hidden
   * units): the message shown next to those controls. A training page offers no play until fixed.
   */
  blocked(): string | undefined;
}

export interface FrameOptions {
  /** Which settings the page offers. */
  settings: readonly (keyof Settings)[];
  /** A control changed to a valid value: the state is updated (and the address) already. */
  changed(control: string, state: PageState): void;
}

export function mountFrame(root: HTMLElement, experiment: Experiment, search: string, options: FrameOptions): Frame {
  const { config, settings, problems } = experimentParams(experiment, search);
  const state: PageState = { config, settings };
  const command = h('code', { 'data-testid': 'command' });
  const showCommand = () => (command.textContent = `npx ${commandLine(experiment, state.config, state.settings.seed)}`);
  showCommand();

  const byControl = new Map(Object.keys(experiment.schema).map((name) => [kebab(name), name]));
  const values: Record<string, number | string | boolean> = { ...state.settings };
  for (const [name, value] of Object.entries(state.config)) values[kebab(name)] = value;
  const controls = createControls({
    experiment,
    values,
    settings: options.settings,
    onValue(control, value) {
      const option = byControl.get(control);
      if (option !== undefined) state.config = { ...state.config, [option]: value };
      else state.settings = { ...state.settings, [control]: value };
      history.replaceState(null, '', withProjector(experimentSearch(experiment, state.config, state.settings)));
      showCommand();
      checkRules();
      options.changed(control, state);
    },
  });

  let blocked: string | undefined;
  /** Shows a broken rule next to the controls it reads (or clears it). */
  function checkRules(): void {
    const rule = brokenRule(experiment, state.config);
    blocked = rule === undefined ? undefined : ruleMessage(experiment, rule, state.config);
    controls.setRuleError(rule?.options.map(kebab) ?? [], blocked);
  }
  checkRules();

  const notices = h('div', { class: 'notices', 'data-testid': 'url-error', role: 'alert' });
  for (const problem of problems) {
    if (problem.control !== undefined && (byControl.has(problem.control) || options.settings.includes(problem.control as keyof Settings))) {
      controls.setText(problem.control, problem.value);
      controls.setError(problem.control, problem.message);
    } else notices.append(h('p', {}, problem.message));
  }

  const main = h('div', { class: 'experiment-main' });
  root.replaceChildren(
    h(
      'header',
      { class: 'page-header' },
      h('nav', {}, h('a', { href: './', 'data-testid': 'home' }, '← all experiments')),
      h('h1', {}, experiment.name),
      h('p', { class: 'description' }, experiment.description),
    ),
    notices,
    h(
      'div',
      { class: 'experiment' },
      h('aside', { class: 'side' }, controls.element, h('p', { class: 'repeat' }, 'The same run in a terminal:', h('br'), command)),
      main,
    ),
    explanationOf(experiment),
  );
  return { main, state, controls, blocked: () => blocked };
}
