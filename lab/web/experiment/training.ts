/**
 * A training experiment's page: the transport (play, pause, step, reset, their keys and the
 * status line) drives a run in the worker through the ExperimentClient; the heat maps, the
 * error curve and the numbers are redrawn at most once per animation frame; the final
 * predictions appear when the run ends. `mountTraining` returns the unmount, which stops the
 * worker and removes the page's key and resize listeners.
 */
import type { Experiment } from '../../experiments/index.js';
import { commandLine, formatError } from '../../report/format.js';
import { scopeSvgIds } from '../../report/html.js';
import { figuresOf } from '../../render/figures.js';
import { h } from '../dom.js';
import { FrameScheduler } from '../frame-scheduler.js';
import { installHook } from '../hook.js';
import { Transport } from '../transport.js';
import type { Speed } from '../url.js';
import { ExperimentClient } from './client.js';
import { exportLinks, figureNames } from './exports.js';
import { mountFrame } from './frame.js';
import type { WorkerState } from './protocol.js';
import { resultsOf, verdictElement } from './results.js';
import { findingsElement } from './explain.js';
import { verdictOf } from '../../experiments/verdict.js';
import { RunLog } from './run-log.js';
import { LiveView } from './view.js';

/** A continuation's epochs: as the epochs option allows. */
const CONTINUE_MAX = 1_000_000;

/** Figures are SVG renders of a few milliseconds each: redrawn live, but not on every frame. */
const FIGURE_REDRAWS_PER_SECOND = 4;

const epochsPerSecond = (speed: Speed) => (speed === 'max' ? 0 : Number(speed));

export function mountTraining(root: HTMLElement, experiment: Experiment, search: string): () => void {
  let log = new RunLog();
  let failure: string | undefined;

  const epoch = h('span', { 'data-testid': 'epoch' }, '0');
  const lastEpoch = h('span', {});
  const error = h('span', { 'data-testid': 'error' }, '—');
  const errorLabel = h('span', {}, 'error');
  const results = h('section', { class: 'results', 'aria-label': 'final results', 'data-testid': 'results' });
  const figures = h('section', { class: 'figures', 'aria-label': 'figures' });
  const exports = h('section', { class: 'exports-panel', 'aria-label': 'downloads' });
  // A finished run of a continuable experiment trains on from where it stopped (see Continuation).
  const continueEpochs = h('input', { type: 'number', min: '1', max: String(CONTINUE_MAX), step: '1', value: '1000', 'data-testid': 'continue-epochs', 'aria-label': 'epochs to continue by' });
  const continueButton = h('button', { type: 'button', 'data-testid': 'continue' }, 'Continue');
  const continueError = h('span', { class: 'error', role: 'alert', 'data-testid': 'continue-error' });
  const continueControl = h('span', { class: 'continue', hidden: '' }, continueButton, ' +', continueEpochs, ' epochs ', continueError);
  const continued = h('p', { class: 'continued', 'data-testid': 'continued', hidden: '' });

  const frame = mountFrame(root, experiment, search, {
    settings: ['seed', 'palette', 'speed'],
    changed(control, state) {
      if (control === 'palette') view.palette = state.settings.palette;
      else if (control === 'speed') {
        if (client.playing) client.play(epochsPerSecond(state.settings.speed));
      } else restart(client.playing);
      redraw.request();
    },
  });
  const { state } = frame;
  const view = new LiveView({ palette: state.settings.palette });

  const client = new ExperimentClient(() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'nnlab training' }), {
    records(records, workerState) {
      if (frame.blocked() !== undefined) return; // an older run's last replies: nothing runs now
      const fresh = log.start === undefined;
      log.add(records);
      if (fresh && log.start !== undefined) showStart();
      if (log.final !== undefined && results.childElementCount === 0) showFinal();
      showState(workerState);
      redraw.request();
    },
    error(message) {
      failure = message;
      showState('failed');
    },
  });

  function restart(playing: boolean): void {
    log = new RunLog();
    failure = undefined;
    continued.hidden = true;
    continueError.textContent = '';
    results.replaceChildren();
    figures.replaceChildren();
    exports.replaceChildren();
    drawnFigures = -1;
    exportNames = '';
    view.clear();
    // The options break a rule (said next to them): no run, and no maps of an earlier one, until they are changed.
    view.element.hidden = frame.blocked() !== undefined;
    if (frame.blocked() !== undefined) {
      client.pause();
      showState(client.state);
      redraw.request();
      return;
    }
    client.init(experiment.name, state.config, state.settings.seed);
    if (playing) client.play(epochsPerSecond(state.settings.speed));
    showState(client.state);
    redraw.request();
  }

  /**
   * Trains the finished run the epochs asked for more, from where it stopped, and says what the
   * continued run equals: a fresh run with the sum of the epochs (test/lab/continue.test.ts).
   */
  function continueRun(): void {
    const text = continueEpochs.value.trim();
    const epochs = Number(text);
    if (!/^\d+$/.test(text) || epochs < 1 || epochs > CONTINUE_MAX) {
      continueError.textContent = `continue by: the epochs must be a whole number from 1 to ${CONTINUE_MAX}, got '${text}'`;
      return;
    }
    continueError.textContent = '';
    const total = log.lastEpoch + epochs;
    log.extendTo(total);
    lastEpoch.textContent = String(total);
    results.replaceChildren();
    const command = `npx ${commandLine(experiment, { ...state.config, epochs: total }, state.settings.seed)}`;
    continued.replaceChildren(
      `Continued to ${total} epochs from where the run stopped (the same weights, no reset). `,
      `Its numbers are those of a fresh run of ${total} epochs: `,
      h('code', {}, command),
    );
    continued.hidden = false;
    client.continue(epochs);
    client.play(epochsPerSecond(state.settings.speed));
    showState(client.state);
    redraw.request();
  }
  continueButton.addEventListener('click', continueRun);
  continueEpochs.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') continueRun();
  });

  /** The first batch: what the run is. */
  function showStart(): void {
    lastEpoch.textContent = String(log.start?.epochs ?? 0);
    errorLabel.textContent = log.start?.errorLabel ?? 'error';
  }

  /**
   * The figure records (the latest of each name) and the download links, redrawn when new ones
   * arrive — at most FIGURE_REDRAWS_PER_SECOND times a second, since each is a full Plot render.
   */
  let drawnFigures = -1;
  let figuresDrawnAt = 0;
  let exportNames = '';
  function showFigures(now: number): void {
    const final = log.final !== undefined;
    if (log.figureVersion !== drawnFigures && (final || now - figuresDrawnAt >= 1000 / FIGURE_REDRAWS_PER_SECOND)) {
      drawnFigures = log.figureVersion;
      figuresDrawnAt = now;
      const svgs = figuresOf(log.figures).map((figure) => {
        const element = h('figure', { 'aria-label': figure.title, 'data-testid': `figure-${figure.name}` });
        element.innerHTML = scopeSvgIds(figure.svg, `${experiment.name}-${figure.name}`);
        return element;
      });
      figures.replaceChildren(...(svgs.length > 0 ? [h('h2', {}, 'Figures'), ...svgs] : []));
    } else if (log.figureVersion !== drawnFigures) {
      redraw.request(); // drawn on a later frame
    }
    const names = figureNames({ maps: log.snapshot?.maps.map((m) => m.name) ?? [], errors: log.series.size > 0, figures: log.figures.map((f) => f.name) });
    if (log.start === undefined || names.join('\n') === exportNames) return;
    exportNames = names.join('\n');
    const current = log;
    exports.replaceChildren(
      h('h2', {}, 'Download'),
      exportLinks(
        {
          stem: () => `${experiment.name}-seed${state.settings.seed}`,
          records: () => current.toRecords(),
          palette: () => state.settings.palette,
          finished: () => current.final !== undefined,
        },
        names,
      ),
    );
  }

  function showFinal(): void {
    const final = log.final!;
    const lastEpoch = log.lastEpoch;
    const comparisons = new Map(
      [...log.series]
        .filter(([name]) => name !== 'train')
        .map(([name, s]) => {
          const last = s.epochs[s.epochs.length - 1];
          return [name, { error: s.errors[s.errors.length - 1], stoppedAt: last < lastEpoch ? last : undefined }];
        }),
    );
    // The verdict the CLI prints last, from the same records (see experiments/verdict.ts).
    const epochRecords = [...log.series].flatMap(([series, s]) => s.epochs.map((epoch, i) => ({ kind: 'epoch' as const, epoch, error: s.errors[i], series })));
    const verdict = log.start === undefined ? null : verdictOf([log.start, ...epochRecords, final]);
    const verdictLine = verdict === null ? [] : [verdictElement(verdict)];
    results.replaceChildren(h('h2', {}, 'Final predictions'), ...verdictLine, ...resultsOf(final, { errorLabel: log.start?.errorLabel, mainSeries: log.start?.mainSeries, comparisons }), ...findingsElement(log.start, final));
  }

  function showState(workerState: WorkerState): void {
    if (frame.blocked() !== undefined) {
      transport.show({ playing: false, canPlay: false, canStep: false });
      transport.say('Not started: the options marked beside the controls do not go together; change one of them to train.');
      return;
    }
    const done = workerState === 'done' || workerState === 'failed';
    transport.show({ playing: client.playing, canPlay: !done, canStep: !client.playing && !done });
    const canContinue = experiment.continuable === true && workerState === 'done' && failure === undefined;
    continueControl.hidden = !canContinue;
    if (failure !== undefined) transport.say(`The run stopped: ${failure}`, 'error');
    else if (workerState === 'done') transport.say(`Finished after ${log.epoch} epochs. ${canContinue ? 'Continue it, reset' : 'Reset'} to run it again, or change a setting.`);
    else if (client.playing) transport.say('Training…');
    else transport.say('Paused. Play (space) trains; Step (→) trains one epoch.');
  }

  const redraw = new FrameScheduler((now) => {
    showFigures(now);
    epoch.textContent = String(log.epoch);
    const latest = log.error;
    error.textContent = latest === undefined ? '—' : formatError(latest);
    view.draw(log);
  });

  const transport = new Transport({
    play() {
      client.play(epochsPerSecond(state.settings.speed));
      showState(client.state);
    },
    pause() {
      client.pause();
      showState(client.state);
    },
    step: () => client.step(1),
    reset: () => restart(false),
  });
  const onResize = () => redraw.request();
  window.addEventListener('resize', onResize);

  frame.main.replaceChildren(
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'training' },
      ...transport.buttons,
      h('span', { class: 'readout' }, 'epoch ', epoch, ' / ', lastEpoch),
      h('span', { class: 'readout' }, errorLabel, ' ', error),
      continueControl,
    ),
    transport.status,
    continued,
    view.element,
    figures,
    results,
    exports,
  );

  installHook({
    page: experiment.name,
    epoch: () => log.epoch,
    error: () => log.error,
    running: () => client.playing,
    records: () => log.count,
    done: () => log.final !== undefined,
    frames: () => redraw.frames,
    idle: () => client.state !== 'running',
  });
  restart(false);
  return () => {
    transport.dispose();
    redraw.dispose();
    window.removeEventListener('resize', onResize);
    client.close();
  };
}
