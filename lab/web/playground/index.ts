/**
 * The playground page: `mountPlayground(root)` builds it from the address and runs training in
 * a Web Worker (worker.ts), so the page stays responsive however hard the network trains.
 *
 * The page holds the state (url-state.ts), applies the user's edits to it (transitions.ts),
 * writes it back to the address, and keeps the worker in step: edits to the data or the network
 * re-initialise it (epoch 0, same seed), training settings change the running optimiser. While
 * playing, the worker trains about a frame's worth per snapshot (see pump), and the latest
 * snapshot is drawn in the next animation frame: at the display's rate when training keeps up.
 */
import './playground.css';
import { h, isTyping, usesSpace } from '../dom.js';
import { saveBlob } from '../download.js';
import { installHook } from '../hook.js';
import type { NnlabHook } from '../hook.js';
import { CurveHistory } from './charts.js';
import { applyHidden, panel } from './controls.js';
import { dataPanel } from './data-panel.js';
import { exportPanel } from './exports.js';
import type { Point } from './datasets.js';
import { format } from './network-view.js';
import { networkPanel } from './network-panel.js';
import { outputPanel } from './output-panel.js';
import { Pacer } from './pacer.js';
import { mapsBuffer } from './protocol.js';
import type { Reply, Request, Snapshot } from './protocol.js';
import { describeSpec } from './spec.js';
import type { EditKind, Store } from './store.js';
import { trainingPanel } from './training-panel.js';
import { pointsOf } from './transitions.js';
import type { Outcome } from './transitions.js';
import { formatState, networkSpecOf, parseState } from './url-state.js';
import type { StateProblem } from './url-state.js';
import type { EpochRecord } from './trainer.js';

/** The test hook: the common one plus the number of data points. */
export interface PlaygroundHook extends NnlabHook {
  points(): number;
}

/** URL parameters → the `data-testid` prefix of the message line beside their control. */
const CONTROL_OF: Record<string, string> = {
  data: 'dataset', points: 'dataset', n: 'points', noise: 'noise', classes: 'classes', test: 'test', seed: 'seed', skip: 'skip',
  loss: 'loss', opt: 'optimizer', lr: 'lr', mom: 'momentum', b1: 'beta1', b2: 'beta2', batch: 'batch', l1: 'l1', l2: 'l2', clip: 'clip',
  palette: 'palette', res: 'resolution', speed: 'speed', discrete: 'discretize', showtest: 'show-test', layers: 'layers',
};

const MAX_MODEL_BYTES = 20_000_000;

/**
 * The most time the worker trains before it sends a snapshot: a little under a display frame,
 * so that every frame has a fresh map to draw while the network trains as fast as it goes.
 */
const FRAME_MS = 12;

export function mountPlayground(root: HTMLElement): () => void {
  const parsed = parseState(location.search);
  let state = parsed.state;
  let points: Point[] = pointsOf(state);
  const curves = new CurveHistory();

  let worker: Worker | null = null;
  let generation = 0;
  let ready = false;
  let playing = false;
  let stepQueued = false;
  /** The steps asked of the worker and not answered yet, oldest first (see pump): their epochs, and whether the pacer asked. */
  const asked: { epochs: number; paced: boolean }[] = [];
  /** Paces training at a set speed (started afresh on play). */
  let pacer: Pacer | null = null;
  let stepTimer: ReturnType<typeof setTimeout> | undefined;
  let latest: Snapshot | null = null;
  /** The snapshot whose maps the views were last drawn from (they keep references to them). */
  let drawn: Snapshot | null = null;
  let record: EpochRecord | null = null;
  let frames = 0;
  /** Why the worker could not set the network up (a message for the status line), or null. */
  let initError: string | null = null;
  let frameRequested = false;

  const store: Store = {
    get: () => state,
    apply(outcome: Outcome, kind: EditKind): string | null {
      if ('error' in outcome) return outcome.error;
      const before = state;
      state = outcome.state;
      history.replaceState(null, '', formatState(state) + location.hash);
      if (outcome.note !== undefined) say(outcome.note);
      if (kind === 'reset') {
        if (before.data !== state.data || before.seed !== state.seed) points = pointsOf(state);
        restart();
      } else if (kind === 'settings') {
        post({ type: 'setSettings', settings: state.settings });
      }
      syncAll();
      drawSoon();
      return null;
    },
  };

  // --- The page -------------------------------------------------------------------------------
  const play = h('button', { type: 'button', class: 'pg-play', 'data-testid': 'play', 'aria-label': 'Play (space)' }, '▶ Play');
  const pause = h('button', { type: 'button', class: 'pg-play', 'data-testid': 'pause', 'aria-label': 'Pause (space)', hidden: true }, '❚❚ Pause');
  const step = h('button', { type: 'button', 'data-testid': 'step', 'aria-label': 'Train one epoch (right arrow)' }, 'Step ▸');
  const reset = h('button', { type: 'button', 'data-testid': 'reset', 'aria-label': 'Reset to epoch 0 (same seed, same starting weights)' }, '↺ Reset');
  const copy = h('button', { type: 'button', class: 'pg-small', 'data-testid': 'copy-link' }, 'Copy link');
  const epochText = h('output', { 'data-testid': 'epoch' }, '0');
  const errorText = h('output', { 'data-testid': 'error' }, '–');
  const testErrorText = h('output', { 'data-testid': 'test-error' }, '–');
  const accuracyText = h('output', { 'data-testid': 'accuracy' }, '–');
  const status = h('p', { class: 'pg-status', role: 'status', 'data-testid': 'status' });
  const stat = (label: string, value: HTMLElement) => h('div', { class: 'pg-stat' }, h('span', {}, label), value);
  const bar = h(
    'div',
    { class: 'pg-bar' },
    h('div', { class: 'pg-buttons' }, play, pause, step, reset),
    stat('Epoch', epochText),
    stat('Train loss', errorText),
    stat('Test loss', testErrorText),
    stat('Accuracy', accuracyText),
    copy,
  );
  const banner = h('div', { class: 'pg-banner', role: 'alert', hidden: parsed.problems.length === 0 });

  const training = trainingPanel(store);
  const data = dataPanel(store);
  const network = networkPanel(store, (layer, from, to, value) => post({ type: 'setWeight', layer, from, to, value }));
  const output = outputPanel(store, () => points, curves);

  const modelSave = h('button', { type: 'button', 'data-testid': 'model-save' }, 'Save model…');
  const modelLoad = h('input', { id: 'pg-model-load', type: 'file', accept: '.json,application/json', 'data-testid': 'model-load', 'aria-describedby': 'pg-model-error' });
  const modelError = h('p', { class: 'pg-error', id: 'pg-model-error', role: 'alert', 'data-testid': 'model-error' });
  const modelNote = h('p', { class: 'pg-help' });
  const model = panel(
    'Model file',
    'pg-model',
    h('p', { class: 'pg-help' }, 'Save the trained weights (nnlab’s model format), or load a file saved from a network of the same shape.'),
    h('div', { class: 'pg-row' }, modelSave, h('label', { for: 'pg-model-load' }, 'Load model'), modelLoad),
    modelError,
    modelNote,
  );
  model.dataset.group = 'model';
  const exports = exportPanel({
    run: () =>
      latest === null
        ? null
        : { spec: networkSpecOf(state), settings: state.settings, seed: state.seed, address: formatState(state), every: curves.every, records: curves.all(), weights: latest.weights },
    outputCanvas: output.canvas,
    epoch: () => record?.epoch ?? 0,
  });

  const keys = h(
    'p',
    { class: 'pg-help pg-keys' },
    'Keys: space plays or pauses, → trains one epoch (when not typing in a field). Hover a weight to see it, click to edit it; click a unit to enlarge its map.',
  );
  const page = h(
    'div',
    { class: 'pg', 'data-page': 'playground' },
    h('header', { class: 'pg-header' }, h('h1', {}, 'Playground'), h('p', { class: 'pg-help' }, h('a', { href: './' }, '← all experiments'), ' · a neural network learning in your browser, trained by nnlab in a Web Worker.')),
    bar,
    status,
    banner,
    training.element,
    h('div', { class: 'pg-columns' }, data.element, network.element, output.element),
    model,
    exports,
    keys,
  );
  root.classList.add('pg-root');
  root.replaceChildren(page);
  applyHidden(page, state.hide);
  showProblems(parsed.problems);

  // --- The worker -----------------------------------------------------------------------------
  function post(request: Request): void {
    worker?.postMessage(request);
  }

  function recycle(maps: Snapshot['maps']): void {
    const buffer = mapsBuffer(maps);
    if (buffer !== null) worker?.postMessage({ type: 'recycle', buffer } satisfies Request, [buffer]);
  }

  function restart(): void {
    generation++;
    ready = false;
    latest = null;
    record = null;
    curves.clear();
    const spec = networkSpecOf(state);
    post({ type: 'init', generation, spec, points, settings: state.settings, seed: state.seed, resolution: state.view.resolution });
    drawSoon();
  }

  function onReply(reply: Reply): void {
    if ((reply.type === 'snapshot' && reply.cause === 'step') || (reply.type === 'failed' && reply.request === 'step')) {
      const step = asked.shift();
      if (step?.paced === true) pacer?.shortfall(step.epochs, reply.type === 'snapshot' ? reply.records.length : 0);
    }
    if (reply.generation !== generation) return pump();
    switch (reply.type) {
      case 'snapshot':
        if (reply.restarted === true) curves.clear();
        for (const r of reply.records) curves.add(r);
        if (reply.records.length === 0) curves.add(reply.latest);
        latest = reply;
        record = reply.latest;
        if (reply.cause === 'init') [ready, initError] = [true, null];
        drawSoon();
        break;
      case 'failed':
        if (reply.request === 'init') [ready, initError] = [false, reply.message];
        if (reply.request === 'step' || reply.request === 'init') setPlaying(false);
        say(reply.message, true);
        break;
      case 'saved':
        download(reply.text);
        break;
      case 'loaded':
        modelError.textContent = reply.ok ? '' : `Not loaded (the current model is kept): ${reply.message}`;
        if (reply.ok) say('Model loaded: its weights replace the current ones; training continues from them.');
        break;
    }
    pump();
  }

  /**
   * Sends the next steps when playing (flat out, or paced by the speed) or the single step that
   * is queued. While playing, two steps are in flight, so the worker starts the next as soon as
   * it sends a snapshot instead of waiting for the page to answer it (the page may be drawing).
   */
  function pump(): void {
    if (!ready || worker === null) return;
    if (stepQueued) {
      if (asked.length > 0) return;
      stepQueued = false;
      ask(1, Infinity, false);
      return;
    }
    if (!playing) return;
    const speed = state.view.speed;
    while (asked.length < 2) {
      if (speed === 'max') {
        ask(1_000_000, FRAME_MS, false);
        continue;
      }
      if (pacer === null || pacer.perSecond !== Number(speed)) pacer = new Pacer(Number(speed), performance.now());
      const next = pacer.next(performance.now());
      if ('waitMs' in next) {
        clearTimeout(stepTimer);
        stepTimer = setTimeout(pump, next.waitMs);
        return;
      }
      ask(next.epochs, FRAME_MS, true);
    }
  }

  function ask(epochs: number, budgetMs: number, paced: boolean): void {
    asked.push({ epochs, paced });
    post({ type: 'step', epochs, budgetMs });
  }

  function startWorker(): void {
    try {
      worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    } catch (error) {
      say(`The training worker could not start (${error instanceof Error ? error.message : String(error)}): this browser cannot train here.`, true);
      return;
    }
    worker.addEventListener('message', (event: MessageEvent<Reply>) => onReply(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      setPlaying(false);
      say(`The training worker stopped: ${event.message || 'it failed to load'}. Reload the page to start again.`, true);
    });
    restart();
  }

  // --- Controls -------------------------------------------------------------------------------
  function setPlaying(on: boolean): void {
    if (on && initError !== null) {
      say(`Cannot train: ${initError}`, true);
      on = false;
    }
    const hadFocus = document.activeElement === play || document.activeElement === pause;
    playing = on;
    play.hidden = on;
    pause.hidden = !on;
    if (hadFocus) (on ? pause : play).focus();
    if (on) {
      say('');
      pacer = null;
      pump();
    } else clearTimeout(stepTimer);
  }

  function stepOnce(): void {
    setPlaying(false);
    stepQueued = true;
    pump();
  }

  play.addEventListener('click', () => setPlaying(true));
  pause.addEventListener('click', () => setPlaying(false));
  step.addEventListener('click', stepOnce);
  reset.addEventListener('click', () => {
    setPlaying(false);
    say('');
    restart();
  });
  copy.addEventListener('click', () => {
    navigator.clipboard?.writeText(location.href).then(
      () => say('Link copied: it reproduces this data, network and run.'),
      () => say('Could not copy: copy the address bar instead.'),
    ) ?? say('Copy the address bar: it holds every setting.');
  });
  modelSave.addEventListener('click', () => {
    if (!ready) return void (modelError.textContent = 'Nothing to save yet: the network is not set up; try again in a moment.');
    modelError.textContent = '';
    post({ type: 'save' });
  });
  modelLoad.addEventListener('change', async () => {
    const file = modelLoad.files?.[0];
    modelLoad.value = '';
    if (file === undefined) return;
    if (file.size > MAX_MODEL_BYTES) return void (modelError.textContent = `Not loaded: ${file.name} is ${(file.size / 1e6).toFixed(1)} MB, far more than a playground model.`);
    if (!ready) return void (modelError.textContent = 'Not loaded: the network is not set up yet; try again in a moment.');
    setPlaying(false);
    post({ type: 'load', text: await file.text() });
  });

  function download(text: string): void {
    saveBlob(new Blob([text], { type: 'application/json' }), `nnlab-playground-epoch-${record?.epoch ?? 0}.json`);
    modelNote.textContent = `Saved at epoch ${record?.epoch ?? 0}: ${describeSpec(networkSpecOf(state))}.`;
  }

  const onKey = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.key === ' ' && !usesSpace(event.target)) {
      event.preventDefault();
      setPlaying(!playing);
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      stepOnce();
    }
  };
  document.addEventListener('keydown', onKey);

  // --- Drawing --------------------------------------------------------------------------------
  function say(message: string, isError = false): void {
    status.textContent = message;
    status.classList.toggle('pg-status-error', isError);
  }

  function showProblems(problems: StateProblem[]): void {
    if (problems.length === 0) return;
    banner.replaceChildren(
      h('strong', {}, 'Some settings in the address could not be used; the page uses the defaults for them:'),
      h('ul', {}, ...problems.map((p) => h('li', {}, p.message))),
    );
    for (const p of problems) {
      const line = page.querySelector<HTMLElement>(`[data-testid="${CONTROL_OF[p.key] ?? p.key}-error"]`);
      if (line !== null) line.textContent = p.message;
    }
  }

  function syncAll(): void {
    training.sync(state);
    data.sync(state);
    network.sync(state);
    output.sync(state);
  }

  function drawSoon(): void {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      draw();
    });
  }

  /**
   * One frame: the canvases first (they read their CSS sizes while the layout is still clean),
   * then the numbers, each written only when it changed.
   */
  function draw(): void {
    frames++;
    output.draw(latest);
    if (latest !== null) {
      network.view.update(latest.maps, latest.weights, state.view.palette);
      // Both views now hold latest's maps: the ones drawn before go back to the worker to be
      // written over (transferred, so nothing here can read them any more).
      if (drawn !== null && drawn !== latest) recycle(drawn.maps);
      drawn = latest;
    }
    setText(epochText, String(record?.epoch ?? 0));
    setText(errorText, record === null || !Number.isFinite(record.trainLoss) ? '–' : format(record.trainLoss));
    setText(testErrorText, record?.testLoss == null ? '–' : format(record.testLoss));
    setText(accuracyText, record === null ? '–' : `train ${percent(record.trainAccuracy)}${record.testAccuracy === null ? '' : ` · test ${percent(record.testAccuracy)}`}`);
  }

  const hook: PlaygroundHook = {
    page: 'playground',
    epoch: () => record?.epoch ?? 0,
    error: () => record?.trainLoss,
    running: () => playing,
    records: () => curves.all().length,
    done: () => false,
    frames: () => frames,
    step: () => 0,
    points: () => points.length,
  };
  installHook(hook);

  startWorker();
  drawSoon();

  return () => {
    document.removeEventListener('keydown', onKey);
    clearTimeout(stepTimer);
    worker?.terminate();
    worker = null;
  };
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

function percent(v: number): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–';
}
