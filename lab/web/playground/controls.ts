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

/** A labelled field; `shown` is placed instead of `control` when it wraps it (a number box with its slider). */
function field<E extends HTMLElement>(name: string, label: string, control: E, group: Hideable | null, help?: string, shown: HTMLElement = control): Field<E> {
  const id = control.id;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const error = h('p', { class: 'pg-error', id: errorId, role: 'alert', 'data-testid': `${name}-error` });
  control.setAttribute('aria-describedby', help === undefined ? errorId : `${helpId} ${errorId}`);
  const element = h(
    'div',
    { class: `pg-field pg-field-${name}`, 'data-group': group ?? undefined },
    h('label', { for: id }, label),
    shown,
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

/**
 * A range slider beside a number box: linear from min to max by step, or over a list of values
 * (`stops`, e.g. learning rates on a log scale, where the box may hold a value between two stops).
 */
export type SliderScale = { min: number; max: number; step: number } | { stops: readonly number[] };

/** The index of the stop nearest `value` on a log scale (stops positive and increasing). */
export function nearestStop(stops: readonly number[], value: number): number {
  let best = 0;
  for (let i = 1; i < stops.length; i++) if (Math.abs(Math.log(stops[i] / value)) < Math.abs(Math.log(stops[best] / value))) best = i;
  return best;
}

export interface NumberFieldOptions {
  name: string;
  label: string;
  value: number;
  range: Range;
  group: Hideable | null;
  help?: string;
  /** A slider beside the box (data-testid="slider-<name>"), kept in step with it both ways. */
  slider?: SliderScale;
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
  const slider = o.slider === undefined ? null : sliderFor(o.name, o.label, o.slider);
  const f = field(o.name, o.label, input, o.group, o.help, slider === null ? input : h('div', { class: 'pg-slider-pair' }, input, slider.element));
  const commit = (value: number) => {
    const message = Number.isNaN(value) ? `${o.label} must be a number` : checkNumber(o.label, value, o.range);
    if (message !== null) return f.setError(message);
    const refused = o.onCommit(value);
    f.setError(typeof refused === 'string' ? refused : undefined);
  };
  input.addEventListener('change', () => {
    const text = input.value.trim();
    commit(text === '' || input.validity.badInput ? NaN : Number(text));
  });
  slider?.element.addEventListener('input', () => {
    const value = slider.value();
    input.value = String(value);
    commit(value);
  });
  const setValue = (value: number) => {
    input.value = String(value);
    slider?.set(value);
  };
  setValue(o.value);
  return { ...f, setValue };
}

/** A range input for a number field: its value, and setting its position from the box's value. */
function sliderFor(name: string, label: string, scale: SliderScale): { element: HTMLInputElement; value(): number; set(value: number): void } {
  const stops = 'stops' in scale ? scale.stops : null;
  const linear = 'stops' in scale ? { min: 0, max: scale.stops.length - 1, step: 1 } : scale;
  const element = h('input', {
    type: 'range',
    class: 'pg-slider',
    min: linear.min,
    max: linear.max,
    step: linear.step,
    'aria-label': `${label} (slider)`,
    'data-testid': `slider-${name}`,
  });
  const value = () => (stops === null ? Number(element.value) : stops[Number(element.value)]);
  return {
    element,
    value,
    set(v: number) {
      if (!Number.isFinite(v)) return;
      element.value = String(stops === null ? v : nearestStop(stops, v));
      element.setAttribute('aria-valuetext', String(stops === null ? v : value()));
    },
  };
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
