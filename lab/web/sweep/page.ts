/**
 * The sweep page (`?page=sweep&experiment=two-layer&seeds=200`): an experiment over many seeds
 * on one Web Worker per core, with the success rate, the final-error histogram and the failed
 * seeds (each a link to its run) updated as runs finish. Stop keeps the finished runs; Start
 * again runs only the rest. Changing a control starts a new sweep at the new address.
 */
import { ConfigError, findExperiment, kebab } from '../../experiments/index.js';
import type { Experiment } from '../../experiments/index.js';
import { scopeSvgIds } from '../../report/html.js';
import { panelsSvg } from '../../render/panels.js';
import { taskKey, tasksOf } from '../../sweep/plan.js';
import type { SweepPlan } from '../../sweep/plan.js';
import { withoutDrawingOptions } from '../../sweep/plan.js';
import type { SweepRow } from '../../sweep/run.js';
import { schedule, sortRows } from '../../sweep/scheduler.js';
import { groupLabel, percent, summarizeSweep, sweepFigures } from '../../sweep/summary.js';
import type { SweepSummary } from '../../sweep/summary.js';
import { h } from '../dom.js';
import { saveBlob } from '../download.js';
import { createControls } from '../experiment/controls.js';
import { installHook } from '../hook.js';
import { withProjector } from '../projector.js';
import { MAX_WORKERS, planOf, runAddress, sweepRequest, sweepSearch, sweepable } from './params.js';
import type { SweepRequest } from './params.js';
import { WebWorkerRunner } from './runner.js';

/** Failed seeds listed per grid value before "… and n more". */
const SHOWN_SEEDS = 60;

export function mountSweep(root: HTMLElement, search: string): void {
  let request: SweepRequest;
  let plan: SweepPlan;
  try {
    request = sweepRequest(search);
    plan = planOf(request);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    root.replaceChildren(header(), h('div', { class: 'notices', role: 'alert', 'data-testid': 'url-error' }, h('p', {}, error.message), h('p', {}, h('a', { href: '?page=sweep' }, 'Open the default sweep'))));
    installHook({ page: 'sweep' });
    return;
  }
  const experiment = findExperiment(plan.experiment);
  const workers = request.workers ?? Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 2);
  const total = tasksOf(plan).length;
  let rows: SweepRow[] = [];
  let running = false;
  let controller: AbortController | undefined;
  /** The test hook's hold (window.__nnlab.holdAfter): armed for the next Start only. */
  let holdAt: number | undefined;
  let held = false;

  const start = h('button', { type: 'button', 'data-testid': 'start', title: 'run the seeds not yet done' }, '▶ Start');
  const stop = h('button', { type: 'button', 'data-testid': 'stop', title: 'stop; finished runs are kept', disabled: true }, '■ Stop');
  const download = h('button', { type: 'button', 'data-testid': 'download-json', title: 'the summary and every run as JSON' }, 'Download results (JSON)');
  const done = h('span', { 'data-testid': 'sweep-done' }, '0');
  const rate = h('span', { 'data-testid': 'sweep-rate' }, '—');
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'status' }, `${total} runs on ${workers} worker${workers === 1 ? '' : 's'}: press Start.`);
  const figures = h('section', { class: 'figures', 'aria-label': 'figures', 'aria-live': 'polite' });
  const failed = h('section', { class: 'results', 'aria-label': 'failed seeds', 'data-testid': 'failed-seeds' });

  const summary = (): SweepSummary => summarizeSweep(plan, rows);
  const results = () => ({ ...summary(), complete: rows.length === total, rows: sortRows(plan, rows) });

  let drawPending = false;
  const draw = () => {
    drawPending = false;
    const s = summary();
    done.textContent = String(rows.length);
    rate.textContent = rows.length === 0 ? '—' : `${percent(s.rate)} (${s.solved} of ${s.runs})`;
    if (rows.length === 0) {
      figures.replaceChildren();
      failed.replaceChildren();
      return;
    }
    figures.replaceChildren(
      ...sweepFigures(s).map((figure) => {
        const element = h('figure', { 'aria-label': figure.title, 'data-testid': `figure-${figure.name}` });
        element.innerHTML = scopeSvgIds(panelsSvg(figure), `sweep-${figure.name}`);
        return element;
      }),
    );
    failed.replaceChildren(h('h2', {}, 'Failed seeds'), ...s.groups.map((group) => failedList(plan, s, group)));
  };
  const redraw = () => {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(draw);
  };

  const setRunning = (value: boolean) => {
    running = value;
    start.disabled = value || rows.length === total;
    stop.disabled = !value;
  };

  start.addEventListener('click', async () => {
    const finished = new Set(rows.map(taskKey));
    const remaining = tasksOf(plan).filter((task) => !finished.has(taskKey(task)));
    const runners = Array.from({ length: Math.min(workers, remaining.length) }, () => new WebWorkerRunner());
    const current = new AbortController();
    controller = current;
    current.signal.addEventListener('abort', () => runners.forEach((r) => r.close()));
    const started = performance.now();
    setRunning(true);
    status.classList.remove('failed');
    status.textContent = `running ${remaining.length} runs on ${runners.length} worker${runners.length === 1 ? '' : 's'}…`;
    const hold = holdAt === undefined ? undefined : { after: Math.max(0, holdAt - rows.length), held: () => (held = true) };
    holdAt = undefined;
    try {
      const complete = await schedule(plan, remaining, runners, { signal: current.signal, onRow: (row) => (rows.push(row), redraw()), hold });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      status.textContent = complete
        ? `done: ${total} runs (${seconds} s for the last ${remaining.length} on ${runners.length} worker${runners.length === 1 ? '' : 's'}).`
        : `stopped: ${rows.length} of ${total} runs done and kept; Start runs the rest.`;
    } catch (error) {
      status.classList.add('failed');
      status.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      runners.forEach((r) => r.close());
      held = false;
      setRunning(false);
      draw();
    }
  });
  stop.addEventListener('click', () => controller?.abort());
  download.addEventListener('click', () => {
    saveBlob(new Blob([JSON.stringify(results())], { type: 'application/json' }), `sweep-${plan.experiment}-seeds${plan.from}-${plan.from + plan.count - 1}.json`);
  });

  const go = (next: SweepRequest) => {
    location.search = withProjector(sweepSearch(next));
  };
  const side = h(
    'aside',
    { class: 'side' },
    sweepForm(request, go),
    experimentControls(experiment, request, go),
    h('p', { class: 'repeat' }, 'The same sweep in a terminal (it also resumes after a stop):', h('br'), h('code', { 'data-testid': 'command' }, `npx ${commandOf(plan, request)}`)),
  );
  const main = h(
    'div',
    { class: 'experiment-main' },
    h('div', { class: 'toolbar' }, start, stop, download),
    h('p', { class: 'readout' }, 'runs done ', done, ` of ${total} · solved `, rate),
    status,
    figures,
    failed,
  );
  root.replaceChildren(header(experiment), h('div', { class: 'experiment' }, side, main));
  document.title = `sweep ${experiment.name} — nnlab`;
  installHook({
    page: 'sweep',
    records: () => rows.length,
    done: () => rows.length === total,
    running: () => running,
    holdAfter: (runs) => {
      if (!Number.isInteger(runs) || runs < 0) throw new Error(`__nnlab.holdAfter(runs): runs must be an integer ≥ 0, got ${runs}`);
      holdAt = runs;
    },
    held: () => held,
  });
}

function header(experiment?: Experiment): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('nav', {}, h('a', { href: './', 'data-testid': 'home' }, '← all experiments')),
    h('h1', {}, experiment === undefined ? 'sweep' : `sweep: ${experiment.name}`),
    h(
      'p',
      { class: 'description' },
      'One experiment over many seeds, in parallel: how often does training succeed? A run is solved when every final prediction is on the right side ' +
        '(a single output within 0.5 of its target; several outputs: the target class the most likely).',
    ),
  );
}

/** The failed seeds of one grid value, each a link to its run's page. */
function failedList(plan: SweepPlan, summary: SweepSummary, group: SweepSummary['groups'][number]): HTMLElement {
  const label = groupLabel(summary, group);
  const shown = group.failedSeeds.slice(0, SHOWN_SEEDS);
  const links = shown.flatMap((seed, i) => [i > 0 ? ', ' : '', h('a', { href: withProjector(runAddress(plan, { seed, ...(group.value === undefined ? {} : { value: group.value }) })), 'data-testid': 'failed-seed' }, String(seed))]);
  const more = group.failedSeeds.length > shown.length ? ` … and ${group.failedSeeds.length - shown.length} more` : '';
  return h('p', {}, `${label}: `, ...(group.failedSeeds.length === 0 ? ['none'] : links), more);
}

/** The command that runs (and resumes) this sweep in a terminal. */
function commandOf(plan: SweepPlan, request: SweepRequest): string {
  const words = ['nnlab', 'sweep', plan.experiment];
  for (const [key, value] of Object.entries(request.options)) words.push(`--${kebab(key)}`, value);
  words.push('--seeds', String(plan.count));
  if (plan.from !== 1) words.push('--from', String(plan.from));
  if (plan.grid !== undefined) words.push('--grid', request.grid!);
  return words.join(' ');
}

/** Experiment, seeds, first seed, workers and grid: a change opens the new sweep's address. */
function sweepForm(request: SweepRequest, go: (next: SweepRequest) => void): HTMLElement {
  const field = (name: string, label: string, control: HTMLInputElement | HTMLSelectElement, help: string, apply: (raw: string) => SweepRequest) => {
    const error = h('p', { class: 'error', id: `error-${name}`, 'data-testid': `error-${name}`, role: 'alert' });
    control.setAttribute('data-testid', `option-${name}`);
    control.id = `option-${name}`;
    control.addEventListener('change', () => {
      try {
        const next = apply(control.value);
        planOf(next);
        go(next);
      } catch (failure) {
        if (!(failure instanceof ConfigError)) throw failure;
        error.textContent = failure.message;
        control.setAttribute('aria-invalid', 'true');
      }
    });
    return h('div', { class: 'control' }, h('label', { for: control.id }, label), control, h('p', { class: 'help' }, help), error);
  };
  const choices = sweepable();
  const select = h('select', {}, ...choices.map((name) => h('option', { value: name }, name)));
  select.value = request.experiment;
  const number = (value: number | undefined, min: number) => h('input', { type: 'number', step: 1, min, value: value === undefined ? '' : String(value) });
  const parse = (search: string) => sweepRequest(search);
  const form = h(
    'form',
    { class: 'controls', 'aria-label': 'sweep' },
    h(
      'fieldset',
      {},
      h('legend', {}, 'Sweep'),
      field('experiment', 'experiment', select, 'an experiment that trains', (raw) => ({ experiment: raw, seeds: request.seeds, from: request.from, workers: request.workers, options: {} })),
      field('seeds', 'seeds', number(request.seeds, 1), 'how many seeds', (raw) => ({ ...request, seeds: parse(`seeds=${encodeURIComponent(raw)}`).seeds })),
      field('from', 'first seed', number(request.from, Number.MIN_SAFE_INTEGER), 'seeds run from here up', (raw) => ({ ...request, from: parse(`from=${encodeURIComponent(raw)}`).from })),
      field('workers', 'workers', number(request.workers, 1), `Web Workers (empty: one per core, ${navigator.hardwareConcurrency || 2} here)`, (raw) => {
        const { workers: _old, ...rest } = request;
        return raw === '' ? rest : { ...rest, workers: parse(`workers=${encodeURIComponent(raw)}`).workers };
      }),
      field('grid', 'grid', h('input', { type: 'text', value: request.grid ?? '', placeholder: 'hidden=2,3,4', autocomplete: 'off' }), 'also sweep one option over these values', (raw) => {
        const { grid: _old, ...rest } = request;
        return raw.trim() === '' ? rest : { ...rest, grid: raw.trim() };
      }),
    ),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  return form;
}

/** The experiment's own options, as on its page, but for those that only change drawings. */
function experimentControls(experiment: Experiment, request: SweepRequest, go: (next: SweepRequest) => void): HTMLElement {
  const values: Record<string, number | string | boolean> = {};
  const plan = planOf(request);
  for (const [name, value] of Object.entries(plan.config)) values[kebab(name)] = value;
  const controls = createControls({
    experiment: { ...experiment, schema: withoutDrawingOptions(experiment.schema) },
    values,
    settings: [],
    onValue: (control, value) => go({ ...request, options: { ...request.options, [control]: String(value) } }),
  });
  // No settings here, so the form's second fieldset ('Run') is empty.
  controls.element.querySelectorAll('fieldset')[1]?.remove();
  return controls.element;
}
