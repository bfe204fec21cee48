/** The end of a run as page elements: the final error(s), the predictions table and the experiment's extras. */
import type { FinalRecord } from '../../experiments/types.js';
import type { Verdict } from '../../experiments/verdict.js';
import { seriesLabel } from '../../experiments/summary.js';
import { extraItems, finalErrorText, formatError, predictionTable } from '../../report/format.js';
import { h } from '../dom.js';

function table(title: string, header: readonly string[], rows: readonly (readonly string[])[], note?: string): HTMLElement {
  return h(
    'figure',
    { class: 'table' },
    h('figcaption', {}, title, note === undefined ? null : h('span', { class: 'note' }, ` (${note})`)),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...header.map((cell) => h('th', { scope: 'col' }, cell)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
    ),
  );
}

/**
 * codeSpans('try `--hidden 3`') → ['try ', <code>--hidden 3</code>]: text with each backticked part
 * as a <code> element, built as nodes (never markup), so any text shows as itself. The terminal
 * prints the backticks as they are; an unmatched backtick stays a backtick.
 */
export function codeSpans(text: string): (string | HTMLElement)[] {
  const parts = text.split('`');
  // An even count of parts means an odd count of backticks: the last one opens nothing.
  const closed = parts.length % 2 === 1 ? parts : [...parts.slice(0, -2), `${parts[parts.length - 2]}\`${parts[parts.length - 1]}`];
  return closed.flatMap((part, i): (string | HTMLElement)[] => (i % 2 === 1 ? [h('code', {}, part)] : part === '' ? [] : [part]));
}

/** The run's verdict line (data-testid="verdict"): the text `nnlab run` prints last, its commands as code. */
export function verdictElement(verdict: Verdict): HTMLElement {
  return h('p', { class: 'verdict', 'data-testid': 'verdict' }, 'verdict: ', ...codeSpans(verdict.text));
}

/**
 * resultsOf(final, { errorLabel, mainSeries, comparisons }) is the final error of each series, the
 * predictions table (data-testid="predictions") and the extras (tables or labelled values).
 */
export function resultsOf(
  final: FinalRecord,
  options: { errorLabel?: string; mainSeries?: string; comparisons?: ReadonlyMap<string, { error: number; stoppedAt?: number }> } = {},
): HTMLElement[] {
  const facts: HTMLElement[] = [];
  if (final.error !== undefined) {
    facts.push(h('li', {}, `${finalErrorText(seriesLabel('train', options.mainSeries), options.errorLabel)}: `, h('strong', { 'data-testid': 'final-error' }, formatError(final.error))));
  }
  for (const [series, { error, stoppedAt }] of options.comparisons ?? []) {
    facts.push(h('li', {}, `${finalErrorText(series, options.errorLabel, stoppedAt)}: `, h('strong', {}, formatError(error))));
  }
  const tables: HTMLElement[] = [];
  if (final.predictions.length > 0) {
    const predictions = predictionTable(final.predictions);
    const element = table('predictions', predictions.header, predictions.rows, predictions.note);
    element.setAttribute('data-testid', 'predictions');
    tables.push(element);
  }
  for (const item of extraItems(final.extra)) {
    if (item.kind === 'table') tables.push(table(item.title, item.header, item.rows, item.note));
    else facts.push(h('li', {}, `${item.label}: `, h('strong', {}, item.text)));
  }
  return [...(facts.length > 0 ? [h('ul', { class: 'facts' }, ...facts)] : []), ...tables];
}
