/**
 * The data panel: which data set, its parameters, the seed, and CSV points (pasted or uploaded).
 * Any change here rebuilds the run from epoch 0.
 */
import { h } from '../dom.js';
import { numberField, panel, selectField } from './controls.js';
import { parseCsv } from './csv.js';
import { DATASETS, DATASET_LABELS, FIXED_POINTS, MULTI_CLASS, countClasses, isRegression } from './datasets.js';
import type { DatasetName } from './datasets.js';
import { MAX_POINTS } from './points-codec.js';
import { format } from './network-view.js';
import { thumbnails } from './thumbnails.js';
import { pointsOf, withClasses, withData, withDataset } from './transitions.js';
import type { PlaygroundPanel, Store } from './store.js';
import { DATA_RANGES, SEED_RANGE, classesOfData } from './url-state.js';
import type { DataState, PlaygroundState } from './url-state.js';

type Choice = DatasetName | 'custom';

/** What the noise does: jitters where class points lie; a regression point keeps its place and takes the value at a jittered one. */
const NOISE_HELP = { classes: 'jitters where each point lies', values: 'blurs the values; points stay' };

export function dataPanel(store: Store): PlaygroundPanel {
  const s = store.get();
  const setData = (change: Partial<DataState>) => store.apply(withData(store.get(), { ...store.get().data, ...change }), 'reset');
  const choose = (name: Choice) => store.apply(withDataset(store.get(), name), 'reset');
  const dataset = selectField<Choice>({
    name: 'dataset',
    label: 'Data set',
    value: s.data.name,
    options: [...DATASETS.map((d) => [d, DATASET_LABELS[d]] as const), ['custom', 'Your points (click the map, or CSV)'] as const],
    group: 'data',
    onCommit: choose,
  });
  const pictures = thumbnails((name) => {
    const refused = choose(name);
    dataset.setError(refused ?? undefined);
  });
  const count = numberField({ name: 'points', label: 'Points', value: s.data.count, range: DATA_RANGES.count, group: 'data', onCommit: (v) => setData({ count: v }) });
  const noise = numberField({
    name: 'noise',
    label: 'Noise (std. dev.)',
    value: s.data.noise,
    range: { ...DATA_RANGES.noise, step: 0.01 },
    slider: { min: DATA_RANGES.noise.min, max: DATA_RANGES.noise.max, step: 0.01 },
    group: 'noise',
    help: NOISE_HELP.classes,
    onCommit: (v) => setData({ noise: v }),
  });
  const classes = numberField({
    name: 'classes',
    label: 'Classes',
    value: s.data.classes,
    range: { ...DATA_RANGES.classes, step: 1 },
    group: 'data',
    onCommit: (v) => store.apply(withClasses(store.get(), v), 'reset'),
  });
  const test = numberField({
    name: 'test-share', // not 'test': its message line would be test-error, the run bar's test loss
    label: 'Test share',
    value: s.data.testFraction,
    range: { ...DATA_RANGES.testFraction, step: 0.05 },
    slider: { min: DATA_RANGES.testFraction.min, max: DATA_RANGES.testFraction.max, step: 0.05 },
    group: 'data',
    help: 'held out, never trained on',
    onCommit: (v) => setData({ testFraction: v }),
  });
  const seed = numberField({
    name: 'seed',
    label: 'Seed',
    value: s.seed,
    range: SEED_RANGE,
    group: 'seed',
    help: 'data, first weights, dropout and batches',
    onCommit: (v) => store.apply({ state: { ...store.get(), seed: v } }, 'reset'),
  });
  const nextSeed = h('button', { type: 'button', class: 'pg-small', 'data-group': 'seed', 'aria-label': 'Next seed' }, 'next seed');
  nextSeed.addEventListener('click', () => {
    const current = store.get();
    store.apply({ state: { ...current, seed: (current.seed + 1) % (SEED_RANGE.max + 1) } }, 'reset');
  });
  const summary = h('p', { class: 'pg-summary', 'aria-live': 'polite' });

  const csvText = h('textarea', {
    id: 'pg-csv-text',
    rows: 4,
    placeholder: 'x0,x1,label\n0.1,0.2,0\n0.8,0.9,1',
    'data-testid': 'csv-text',
    'aria-describedby': 'pg-csv-help pg-csv-error',
    spellcheck: 'false',
  });
  const csvApply = h('button', { type: 'button', 'data-testid': 'csv-apply' }, 'Use these points');
  const csvFile = h('input', { id: 'pg-csv-file', type: 'file', accept: '.csv,.txt,text/csv,text/plain', 'data-testid': 'csv-input', 'aria-describedby': 'pg-csv-help pg-csv-error' });
  const csvError = h('p', { class: 'pg-error', id: 'pg-csv-error', role: 'alert', 'data-testid': 'csv-error' });
  const useCsv = (text: string) => {
    const current = store.get();
    const result = parseCsv(text, { seed: current.seed, testFraction: current.data.testFraction });
    if ('error' in result) return void (csvError.textContent = `CSV not used: ${result.error}`);
    const refused = store.apply(withData(current, { ...current.data, name: 'custom', classes: result.classes, points: result.points }), 'reset');
    csvError.textContent = refused === null ? '' : `CSV not used: ${refused}`;
    if (refused === null && result.notes.length > 0) csvError.textContent = `Note: ${result.notes.join('; ')}`;
  };
  csvApply.addEventListener('click', () => useCsv(csvText.value));
  csvFile.addEventListener('change', async () => {
    const file = csvFile.files?.[0];
    if (file === undefined) return;
    if (file.size > 200_000) {
      csvError.textContent = `CSV not used: ${file.name} is ${Math.round(file.size / 1000)} kB; the playground reads up to ${MAX_POINTS} points (200 kB)`;
    } else {
      const text = await file.text();
      csvText.value = text;
      useCsv(text);
    }
    csvFile.value = '';
  });
  const csv = h(
    'details',
    { class: 'pg-csv', 'data-group': 'csv' },
    h('summary', {}, 'Paste or upload CSV points'),
    h('p', { class: 'pg-help', id: 'pg-csv-help' }, `One point per line: x0,x1,label (x0, x1 in [0, 1]; label 0, 1, …), optional header and 4th column train/test; at most ${MAX_POINTS} points.`),
    h('label', { for: 'pg-csv-text' }, 'CSV text'),
    csvText,
    csvApply,
    h('label', { for: 'pg-csv-file' }, 'or a CSV file'),
    csvFile,
    csvError,
  );

  const element = panel(
    'Data',
    'pg-data',
    pictures.element,
    dataset.element,
    h('div', { class: 'pg-row' }, count.element, classes.element),
    noise.element,
    test.element,
    h('div', { class: 'pg-row pg-seed' }, seed.element, nextSeed),
    summary,
    csv,
  );

  function sync(state: PlaygroundState): void {
    const { data } = state;
    dataset.setValue(data.name);
    pictures.sync(state);
    for (const [f, v] of [[count, data.count], [noise, data.noise], [classes, classesOfData(data)], [test, data.testFraction], [seed, state.seed]] as const) {
      if (!f.control.hasAttribute('aria-invalid')) f.setValue(v);
    }
    const generated = data.name !== 'custom';
    const fixed = generated && FIXED_POINTS.includes(data.name as DatasetName);
    count.control.disabled = !generated || (fixed && !(data.name !== 'square' && data.noise > 0));
    noise.control.disabled = !generated;
    const testHelp = test.element.querySelector('.pg-help');
    if (testHelp !== null) testHelp.textContent = generated ? 'held out, never trained on' : 'for CSV points without a split column';
    classes.control.disabled = generated && !MULTI_CLASS.includes(data.name as DatasetName);
    const points = pointsOf(state);
    const k = classesOfData(data);
    const tests = points.filter((p) => p.test).length;
    const regression = isRegression(data.name);
    classes.element.hidden = regression; // a value to predict, no classes
    const noiseHelp = noise.element.querySelector('.pg-help');
    if (noiseHelp !== null) noiseHelp.textContent = regression ? NOISE_HELP.values : NOISE_HELP.classes;
    const values = points.map((p) => p.label);
    summary.textContent =
      `${points.length} points: ${points.length - tests} train, ${tests} test; ` +
      (regression
        ? `values to predict from ${format(Math.min(...values))} to ${format(Math.max(...values))} (regression)`
        : countClasses(points, k).map((n, c) => `class ${c}: ${n}`).join(', ')) +
      (generated ? '' : '. Your own points: the address holds them.');
  }
  sync(s);
  return { element, sync };
}
