/**
 * A training experiment's page: play, pause, step and reset drive a run in the worker; the heat
 * maps, the error curve and the numbers are redrawn at most once per animation frame; the final
 * predictions appear when the run ends. Space plays or pauses, → steps one epoch.
 */
import type { Experiment } from '../../experiments/index.js';
import { formatError } from '../../report/format.js';
import { scopeSvgIds } from '../../report/html.js';
import { figuresOf } from '../../render/figures.js';
import { h, isTyping, usesSpace } from '../dom.js';
import { installHook } from '../hook.js';
import type { Speed } from '../url.js';
import { exportLinks, figureNames } from './exports.js';
import { mountFrame } from './frame.js';
import type { WorkerState } from './protocol.js';
import { resultsOf } from './results.js';
import { RunLog } from './run-log.js';
import { Trainer } from './trainer.js';
import { LiveView } from './view.js';

/** Figures are SVG renders of a few milliseconds each: redrawn live, but not on every frame. */
const FIGURE_REDRAWS_PER_SECOND = 4;

const epochsPerSecond = (speed: Speed) => (speed === 'max' ? 0 : Number(speed));

function button(label: string, testId: string, title: string): HTMLButtonElement {
  return h('button', { type: 'button', 'data-testid': testId, title }, label);
}

export function mountTraining(root: HTMLElement, experiment: Experiment, search: string): void {
  let log = new RunLog();
  let frames = 0;
  let failure: string | undefined;

  const play = button('▶ Play', 'play', 'train until paused (space)');
  const pause = button('❚❚ Pause', 'pause', 'pause training (space)');
  const step = button('Step', 'step', 'train exactly one epoch (→)');
  const reset = button('↺ Reset', 'reset', 'back to epoch 0 with the same settings');
  const epoch = h('span', { 'data-testid': 'epoch' }, '0');
  const lastEpoch = h('span', {});
  const error = h('span', { 'data-testid': 'error' }, '—');
  const errorLabel = h('span', {}, 'error');
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'status' });
  const results = h('section', { class: 'results', 'aria-label': 'final results', 'data-testid': 'results' });
  const figures = h('section', { class: 'figures', 'aria-label': 'figures' });
  const exports = h('section', { class: 'exports-panel', 'aria-label': 'downloads' });

  const frame = mountFrame(root, experiment, search, {
    settings: ['seed', 'palette', 'speed'],
    changed(control, state) {
      if (control === 'palette') view.palette = state.settings.palette;
      else if (control === 'speed') {
        if (trainer.playing) trainer.play(epochsPerSecond(state.settings.speed));
      } else restart(trainer.playing);
      schedule();
    },
  });
  const { state } = frame;
  const view = new LiveView({ palette: state.settings.palette });

  const trainer = new Trainer({
    batch(records, workerState) {
      const fresh = log.start === undefined;
      log.add(records);
      if (fresh && log.start !== undefined) showStart();
      if (log.final !== undefined && results.childElementCount === 0) showFinal();
      showState(workerState);
      schedule();
    },
    failed(message) {
      failure = message;
      showState('failed');
    },
  });

  function restart(playing: boolean): void {
    log = new RunLog();
    failure = undefined;
    results.replaceChildren();
    figures.replaceChildren();
    exports.replaceChildren();
    drawnFigures = -1;
    exportNames = '';
    view.clear();
    trainer.start(experiment.name, state.config, state.settings.seed);
    if (playing) trainer.play(epochsPerSecond(state.settings.speed));
    showState(trainer.state);
    schedule();
  }

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
      schedule(); // drawn on a later frame
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
    const lastEpoch = log.start?.epochs ?? 0;
    const comparisons = new Map(
      [...log.series]
        .filter(([name]) => name !== 'train')
        .map(([name, s]) => {
          const last = s.epochs[s.epochs.length - 1];
          return [name, { error: s.errors[s.errors.length - 1], stoppedAt: last < lastEpoch ? last : undefined }];
        }),
    );
    results.replaceChildren(h('h2', {}, 'Final predictions'), ...resultsOf(final, { errorLabel: log.start?.errorLabel, mainSeries: log.start?.mainSeries, comparisons }));
  }

  function showState(workerState: WorkerState): void {
    const playing = trainer.playing;
    const done = workerState === 'done' || workerState === 'failed';
    play.disabled = playing || done;
    pause.disabled = !playing;
    step.disabled = playing || done;
    if (failure !== undefined) status.textContent = `The run stopped: ${failure}`;
    else if (workerState === 'done') status.textContent = `Finished after ${log.epoch} epochs. Reset to run it again, or change a setting.`;
    else if (playing) status.textContent = 'Training…';
    else status.textContent = 'Paused. Play (space) trains; Step (→) trains one epoch.';
    status.classList.toggle('failed', failure !== undefined);
  }

  let scheduled = false;
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame((now) => {
      scheduled = false;
      frames++;
      showFigures(now);
      epoch.textContent = String(log.epoch);
      const latest = log.error;
      error.textContent = latest === undefined ? '—' : formatError(latest);
      view.draw(log);
    });
  }

  play.addEventListener('click', () => {
    trainer.play(epochsPerSecond(state.settings.speed));
    showState(trainer.state);
  });
  pause.addEventListener('click', () => {
    trainer.pause();
    showState(trainer.state);
  });
  step.addEventListener('click', () => trainer.step(1));
  reset.addEventListener('click', () => restart(false));
  document.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    if (event.key === ' ' && !usesSpace(event.target)) {
      event.preventDefault();
      if (trainer.playing) pause.click();
      else if (!play.disabled) play.click();
    } else if (event.key === 'ArrowRight' && !isTyping(event.target)) {
      event.preventDefault();
      if (!step.disabled) trainer.step(1);
    }
  });
  window.addEventListener('resize', () => schedule());

  frame.main.replaceChildren(
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'training' },
      play,
      pause,
      step,
      reset,
      h('span', { class: 'readout' }, 'epoch ', epoch, ' / ', lastEpoch),
      h('span', { class: 'readout' }, errorLabel, ' ', error),
    ),
    status,
    view.element,
    figures,
    results,
    exports,
  );

  installHook({
    page: experiment.name,
    epoch: () => log.epoch,
    error: () => log.error,
    running: () => trainer.playing,
    records: () => log.count,
    done: () => log.final !== undefined,
    frames: () => frames,
  });
  restart(false);
}
