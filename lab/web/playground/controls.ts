/**
 * The playground's form controls. Each is labelled, has a message line beside it (role=alert,
 * linked by aria-describedby) and a `data-group` naming what classroom mode may hide. A value is
 * checked when committed; a bad one shows its message and changes nothing else.
 */
import { h } from '../dom.js';
import { checkNumber } from './settings.js';
import type { Range } from './settings.js';
import type { Hideable } from './url-state.js';

export interface Field<E extends HTMLElement = HTMLElement> {
  element: HTMLElement;
  control: E;
  setError(message: string | undefined): void;
}

let ids = 0;
const nextId = (name: string) => `pg-${name}-${++ids}`;

function field<E extends HTMLElement>(name: string, label: string, control: E, group: Hideable | null, help?: string): Field<E> {
  const id = control.id;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const error = h('p', { class: 'pg-error', id: errorId, role: 'alert', 'data-testid': `${name}-error` });
  control.setAttribute('aria-describedby', help === undefined ? errorId : `${helpId} ${errorId}`);
  const element = h(
    'div',
    { class: `pg-field pg-field-${name}`, 'data-group': group ?? undefined },
    h('label', { for: id }, label),
    control,
    help === undefined ? null : h('p', { class: 'pg-help', id: helpId }, help),
    error,
  );
  return {
    element,
    control,
    setError(message) {
      error.textContent = message ?? '';
      if (message === undefined) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
    },
  };
}

export interface NumberFieldOptions {
  name: string;
  label: string;
  value: number;
  range: Range;
  group: Hideable | null;
  help?: string;
  /** Called with a valid value; returns a message to show instead, or null when accepted. */
  onCommit(value: number): string | null | void;
}

export interface NumberField extends Field<HTMLInputElement> {
  setValue(value: number): void;
}

export function numberField(o: NumberFieldOptions): NumberField {
  const input = h('input', {
    id: nextId(o.name),
    type: 'number',
    inputmode: o.range.integer ? 'numeric' : 'decimal',
    min: o.range.min,
    max: o.range.max,
    step: o.range.step > 0 ? o.range.step : 'any',
    value: String(o.value),
    'data-testid': `input-${o.name}`,
  });
  const f = field(o.name, o.label, input, o.group, o.help);
  input.addEventListener('change', () => {
    const text = input.value.trim();
    const value = text === '' || input.validity.badInput ? NaN : Number(text);
    const message = Number.isNaN(value) ? `${o.label} must be a number` : checkNumber(o.label, value, o.range);
    if (message !== null) return f.setError(message);
    const refused = o.onCommit(value);
    f.setError(typeof refused === 'string' ? refused : undefined);
  });
  return { ...f, setValue: (value) => (input.value = String(value)) };
}

export interface SelectFieldOptions<T extends string> {
  name: string;
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  group: Hideable | null;
  help?: string;
  onCommit(value: T): string | null | void;
}

export interface SelectField<T extends string> extends Field<HTMLSelectElement> {
  setValue(value: T): void;
}

export function selectField<T extends string>(o: SelectFieldOptions<T>): SelectField<T> {
  const select = h('select', { id: nextId(o.name), 'data-testid': `input-${o.name}` }, ...o.options.map(([value, text]) => h('option', { value }, text)));
  select.value = o.value;
  const f = field(o.name, o.label, select, o.group, o.help);
  let current = o.value;
  select.addEventListener('change', () => {
    const refused = o.onCommit(select.value as T);
    if (typeof refused === 'string') {
      f.setError(refused);
      select.value = current; // a refused choice changes nothing: show what is in effect
    } else {
      f.setError(undefined);
      current = select.value as T;
    }
  });
  return { ...f, setValue: (value) => ((select.value = value), (current = value)) };
}

export function checkboxField(name: string, label: string, checked: boolean, group: Hideable | null, onChange: (checked: boolean) => void): Field<HTMLInputElement> {
  const input = h('input', { id: nextId(name), type: 'checkbox', checked, 'data-testid': `input-${name}` });
  input.addEventListener('change', () => onChange(input.checked));
  const f = field(name, label, input, group);
  f.element.classList.add('pg-field-check');
  return f;
}

/** A <section> with a heading, labelled by it for screen readers. */
export function panel(title: string, className: string, ...children: (Node | null)[]): HTMLElement {
  const id = nextId('heading');
  return h('section', { class: `pg-panel ${className}`, 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/**
 * Classroom mode: hides every element whose data-group is in `hidden`, with a class of its own
 * so that it never clashes with controls hidden because they do not apply (momentum under Adam).
 */
export function applyHidden(root: HTMLElement, hidden: readonly Hideable[]): void {
  root.querySelectorAll<HTMLElement>('[data-group]').forEach((element) => {
    element.classList.toggle('pg-classroom-hidden', hidden.includes(element.dataset.group as Hideable));
  });
}
