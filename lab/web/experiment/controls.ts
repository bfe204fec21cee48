/**
 * The form of an experiment page, generated from its schema: one labelled control per option
 * (number inputs with their min, max and step, selects for choices, checkboxes for booleans),
 * each with its help text and an error line, then the page settings (seed, palette, speed).
 * A value is checked when committed (change); a bad one shows its ConfigError message next to
 * the control and changes nothing else.
 */
import { ConfigError, allowed, kebab } from '../../experiments/index.js';
import type { OptionSpec } from '../../experiments/index.js';
import { parseOption } from '../../experiments/schema.js';
import type { Experiment } from '../../experiments/index.js';
import { words } from '../../report/format.js';
import { h } from '../dom.js';
import { PALETTES, SETTING_HELP, SPEEDS, parseSetting, type Settings } from '../url.js';

/** A control's name as the address and `data-testid="option-<name>"` spell it: 'learning-rate', 'seed'. */
export type ControlName = string;

export interface ControlsOptions {
  experiment: Experiment;
  /** The values to show, by control name (config options and settings). */
  values: Readonly<Record<ControlName, number | string | boolean>>;
  /** Which settings to offer ('speed' only for training experiments). */
  settings: readonly (keyof Settings)[];
  /** A valid value was committed to a control (named as in ControlName). */
  onValue(control: ControlName, value: number | string | boolean): void;
}

export interface Controls {
  element: HTMLElement;
  /** Shows `message` under the control (or clears it), and marks the control invalid. */
  setError(control: ControlName, message: string | undefined): void;
  /**
   * Marks the controls a broken rule across options reads (see ConfigRule) and shows `message`
   * under the last of them (the one its fix names); `undefined` clears it. A control's own error
   * (a value it does not allow) is shown before the rule's.
   */
  setRuleError(controls: readonly ControlName[], message: string | undefined): void;
  /** Shows `text` in the control, as if typed (for a bad value from the address). */
  setText(control: ControlName, text: string): void;
}

type Parse = (raw: string) => number | string | boolean;

interface Field {
  name: ControlName;
  spec: OptionSpec;
  help: string;
  parse: Parse;
}

function input(field: Field, value: number | string | boolean, id: string, describedBy: string): HTMLInputElement | HTMLSelectElement {
  const common = { id, name: field.name, 'data-testid': `option-${field.name}`, 'aria-describedby': describedBy };
  const { spec } = field;
  switch (spec.type) {
    case 'integer':
    case 'number':
      // The seed takes any integer, so a text field: it also shows a bad value from the address.
      if (field.name === 'seed') return h('input', { ...common, type: 'text', inputmode: 'numeric', value: String(value), required: true, autocomplete: 'off' });
      return h('input', {
        ...common,
        type: 'number',
        inputmode: spec.type === 'integer' ? 'numeric' : 'decimal',
        min: spec.min,
        max: spec.max,
        step: spec.type === 'integer' ? 1 : 'any',
        value: String(value),
        required: true,
      });
    case 'choice': {
      const select = h('select', common, ...spec.choices.map((choice) => h('option', { value: choice }, choice)));
      select.value = String(value);
      return select;
    }
    case 'boolean':
      return h('input', { ...common, type: 'checkbox', checked: value === true });
  }
}

function rawValue(element: HTMLInputElement | HTMLSelectElement): string {
  if (element instanceof HTMLInputElement && element.type === 'checkbox') return String(element.checked);
  // A number field holding text that is not a number reports '' as its value.
  if (element instanceof HTMLInputElement && element.validity.badInput) return 'not a number';
  return element.value;
}

function fieldsOf(experiment: Experiment, settings: readonly (keyof Settings)[]): Field[] {
  const options = Object.entries(experiment.schema).map(([name, spec]) => ({
    name: kebab(name),
    spec,
    help: spec.help,
    parse: (raw: string) => parseOption(experiment.name, name, spec, raw),
  }));
  const settingSpecs: Record<keyof Settings, OptionSpec> = {
    seed: { type: 'integer', default: 1, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, help: SETTING_HELP.seed },
    palette: { type: 'choice', default: 'bwr', choices: PALETTES, help: SETTING_HELP.palette },
    speed: { type: 'choice', default: '500', choices: SPEEDS, help: SETTING_HELP.speed },
  };
  const extra = settings.map((name) => ({ name, spec: settingSpecs[name], help: SETTING_HELP[name], parse: (raw: string) => parseSetting(name, raw) }));
  return [...options, ...extra];
}

export function createControls({ experiment, values, settings, onValue }: ControlsOptions): Controls {
  const errors = new Map<ControlName, HTMLElement>();
  // Per control: its own error (a value it does not allow) and a broken rule's message.
  const ownErrors = new Map<ControlName, string>();
  const ruleErrors = new Map<ControlName, string>();
  const inputs = new Map<ControlName, HTMLInputElement | HTMLSelectElement>();
  const row = (field: Field) => {
    const id = `option-${field.name}`;
    const control = input(field, values[field.name], id, `help-${field.name} error-${field.name}`);
    const range = field.name === 'seed' ? 'an integer' : allowed(field.spec);
    const help = h('p', { class: 'help', id: `help-${field.name}` }, `${field.help}: ${range}`);
    const error = h('p', { class: 'error', id: `error-${field.name}`, 'data-testid': `error-${field.name}`, role: 'alert' });
    errors.set(field.name, error);
    inputs.set(field.name, control);
    control.addEventListener('change', () => {
      let value: number | string | boolean;
      try {
        value = field.parse(rawValue(control));
      } catch (failure) {
        if (!(failure instanceof ConfigError)) throw failure;
        setError(field.name, failure.message);
        return;
      }
      setError(field.name, undefined);
      onValue(field.name, value);
    });
    return h('div', { class: `control control-${field.spec.type}` }, h('label', { for: id }, words(field.name)), control, help, error);
  };
  const fields = fieldsOf(experiment, settings);
  const optionCount = Object.keys(experiment.schema).length;
  const element = h(
    'form',
    { class: 'controls', 'aria-label': `${experiment.name} options` },
    h('fieldset', {}, h('legend', {}, 'Options'), ...fields.slice(0, optionCount).map(row)),
    h('fieldset', {}, h('legend', {}, 'Run'), ...fields.slice(optionCount).map(row)),
  );
  element.addEventListener('submit', (event) => event.preventDefault());

  function setError(control: ControlName, message: string | undefined): void {
    if (message === undefined) ownErrors.delete(control);
    else ownErrors.set(control, message);
    show(control);
  }

  let ruled: readonly ControlName[] = [];
  function setRuleError(controls: readonly ControlName[], message: string | undefined): void {
    const before = ruled;
    ruled = message === undefined ? [] : controls;
    for (const control of before) ruleErrors.delete(control);
    // Marked: every control the rule reads; the message: under the last, once.
    for (const control of ruled) ruleErrors.set(control, '');
    if (message !== undefined && controls.length > 0) ruleErrors.set(controls[controls.length - 1], message);
    for (const control of new Set([...before, ...ruled])) show(control);
  }

  function show(control: ControlName): void {
    const error = errors.get(control);
    const field = inputs.get(control);
    if (error === undefined || field === undefined) return;
    const own = ownErrors.get(control);
    const rule = ruleErrors.get(control);
    error.textContent = own ?? rule ?? '';
    if (own === undefined && rule === undefined) field.removeAttribute('aria-invalid');
    else field.setAttribute('aria-invalid', 'true');
  }

  function setText(control: ControlName, text: string): void {
    const field = inputs.get(control);
    if (field === undefined) return;
    if (field instanceof HTMLInputElement && field.type === 'checkbox') field.checked = text === 'true';
    else if (field instanceof HTMLSelectElement && !Array.from(field.options).some((o) => o.value === text)) {
      // A choice the select does not offer: show it, marked, so the message names what is there.
      field.append(h('option', { value: text, disabled: true }, `${text} (not allowed)`));
      field.value = text;
    } else field.value = text;
  }

  return { element, setError, setRuleError, setText };
}
