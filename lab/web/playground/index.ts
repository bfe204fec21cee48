/**
 * The playground page: `mountPlayground(root)` builds it from the address and trains in a Web
 * Worker (worker.ts) through the PlaygroundClient, so the page stays responsive however hard the
 * network trains. The transport (play, pause, step, reset, their keys, the status line) drives
 * the client; a FrameScheduler draws the latest snapshot once per animation frame.
 *
 * The page holds the state (url-state.ts), applies the user's edits to it (transitions.ts),
 * writes it back to the address, and keeps the worker in step: edits to the data or the network
 * re-initialise it (epoch 0, same seed), training settings change the running optimiser.
 */
import './playground.css';
import { h } from '../dom.js';
import { FrameScheduler } from '../frame-scheduler.js';
import { installHook } from '../hook.js';
import type { NnlabHook } from '../hook.js';
import { Transport } from '../transport.js';
import { CurveHistory } from './charts.js';
import { PlaygroundClient } from './client.js';
import { applyHidden } from './controls.js';
import { dataPanel } from './data-panel.js';
import { exportPanel } from './exports.js';
import type { Point } from './datasets.js';
import { modelPanel } from './model-panel.js';
import { format } from './network-view.js';
import { networkPanel } from './network-panel.js';
import { outputPanel } from './output-panel.js';
import type { Snapshot } from './protocol.js';
import { LOSS_MEASURES, describeSpec } from './spec.js';
import type { EditKind, Store } from './store.js';
import { trainingPanel } from './training-panel.js';
import { pointsOf } from './transitions.js';
import type { Outcome } from './transitions.js';
import { formatState, networkSpecOf, parseState, taskOfData } from './url-state.js';
import type { StateProblem } from './url-state.js';
import { shareBuilder, tidyClassroom } from './share-builder.js';
import { withProjector } from '../projector.js';

/** The test hook: the common one plus the number of data points and the output map. */
export interface PlaygroundHook extends NnlabHook {
  points(): number;
  /** The output maps shown (one per map, over grid2d's resolution² points), or null before the first snapshot. */
  outputMaps(): { resolution: number; maps: number[][] } | null;
}

/** URL parameters → the `data-testid` prefix of the message line beside their control. */
const CONTROL_OF: Record<string, string> = {
  data: 'dataset', points: 'dataset', n: 'points', noise: 'noise', classes: 'classes', test: 'test-share', seed: 'seed', skip: 'skip',
  loss: 'loss', opt: 'optimizer', lr: 'lr', mom: 'momentum', b1: 'beta1', b2: 'beta2', batch: 'batch', l1: 'l1', l2: 'l2', clip: 'clip',
  palette: 'palette', res: 'resolution', speed: 'speed', discrete: 'discretize', showtest: 'show-test', layers: 'layers',
};

export function mountPlayground(root: HTMLElement): () => void {
  const parsed = parseState(location.search);
  let state = parsed.state;
  let points: Point[] = pointsOf(state);
  const curves = new CurveHistory();
  /** The latest snapshot of the current network (null until the worker has set it up). */
  let latest: Snapshot | null = null;
  /** The snapshot whose maps the views were last drawn from (they keep references to them). */
  let drawn: Snapshot | null = null;
  const epochNow = () => latest?.latest.epoch ?? 0;

  const store: Store = {
    get: () => state,
    apply(outcome: Outcome, kind: EditKind): string | null {
      if ('error' in outcome) return outcome.error;
      const before = state;
      state = outcome.state;
      history.replaceState(null, '', withProjector(formatState(state)) + location.hash);
      if (outcome.note !== undefined) transport.say(outcome.note);
      if (kind === 'reset') {
        if (before.data !== state.data || before.seed !== state.seed) points = pointsOf(state);
        restart();
      } else if (kind === 'settings') {
        client.setSettings(state.settings);
      } else if (before.view.speed !== state.view.speed) {
        client.speedChanged();
      }
      syncAll();
      redraw.request();
      return null;
    },
  };

  // --- The worker and the transport -----------------------------------------------------------
  const client = new PlaygroundClient(
    () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'nnlab playground' }),
    {
      records(snapshot) {
        if (snapshot.restarted === true) curves.clear();
        for (const r of snapshot.records) curves.add(r);
        if (snapshot.records.length === 0) curves.add(snapshot.latest);
        latest = snapshot;
        redraw.request();
      },
      error: (message) => transport.say(message, 'error'),
      stopped: showTransport,
      crashed(why) {
        showTransport();
        transport.say(`The training worker stopped: ${why}. Reload the page to start again.`, 'error');
      },
    },
    { speed: () => state.view.speed },
  );

  const transport = new Transport({
    play() {
      if (client.play()) transport.say('');
      else transport.say(`Cannot train: ${client.cannotTrain}`, 'error');
      showTransport();
    },
    pause() {
      client.pause();
      showTransport();
    },
    step() {
      client.step();
      showTransport();
    },
    reset() {
      client.pause();
      transport.say('');
      restart();
      showTransport();
    },
  });

  function showTransport(): void {
    transport.show({ playing: client.playing, canPlay: true, canStep: true });
  }

  function restart(): void {
    latest = null;
    curves.clear();
    client.init({ spec: networkSpecOf(state), points, settings: state.settings, seed: state.seed, resolution: state.view.resolution });
    redraw.request();
  }

  // --- The page -------------------------------------------------------------------------------
  const training = trainingPanel(store);
  const data = dataPanel(store);
  const network = networkPanel(store, (layer, from, to, value) => client.setWeight(layer, from, to, value), () => output.draw(latest));
  const output = outputPanel(store, () => points, curves, () => network.view.hovered());
  const model = modelPanel({
    client,
    epoch: epochNow,
    describe: () => describeSpec(networkSpecOf(state)),
    spec: () => networkSpecOf(state),
    say: (message) => transport.say(message),
    pause: () => transport.pause.click(),
  });
  const copy = h('button', { type: 'button', class: 'pg-small', 'data-testid': 'copy-link' }, 'Copy link');
  const epochText = h('output', { 'data-testid': 'epoch' }, '0');
  const errorText = h('output', { 'data-testid': 'error' }, '–');
  const testErrorText = h('output', { 'data-testid': 'test-error' }, '–');
  const accuracyText = h('output', { 'data-testid': 'accuracy' }, '–');
  const stat = (label: string, value: HTMLElement) => h('div', { class: 'pg-stat' }, h('span', {}, label), value);
  // The losses are named by what they measure (squared error, cross entropy); regression has no accuracy.
  const trainStat = stat('Train loss', errorText);
  const testStat = stat('Test loss', testErrorText);
  const accuracyStat = stat('Accuracy train · test', accuracyText);
  const bar = h(
    'div',
    { class: 'pg-bar' },
    h('div', { class: 'pg-buttons' }, ...transport.buttons),
    stat('Epoch', epochText),
    trainStat,
    testStat,
    accuracyStat,
    output.speedControls,
  );
  function syncStats(): void {
    const measure = LOSS_MEASURES[state.network.loss];
    setText(trainStat.firstChild as HTMLElement, `Train ${measure}`);
    setText(testStat.firstChild as HTMLElement, `Test ${measure}`);
    accuracyStat.hidden = taskOfData(state.data) === 'regression';
    setText(accuracyStat.firstChild as HTMLElement, points.some((p) => p.test) ? 'Accuracy train · test' : 'Train accuracy');
  }
  const banner = h('div', { class: 'pg-banner', role: 'alert', hidden: parsed.problems.length === 0 });

  const exports = exportPanel({
    run: () =>
      latest === null
        ? null
        : { spec: networkSpecOf(state), settings: state.settings, seed: state.seed, address: formatState(state), every: curves.every, records: curves.all(), weights: latest.weights },
    outputCanvas: output.canvas,
    epoch: epochNow,
  });

  const keys = h(
    'p',
    { class: 'pg-help pg-keys' },
    'Keys: space plays or pauses, → trains one epoch (when not typing in a field). Hover a weight to see it, click to edit it; click a unit to enlarge its map.',
  );
  // Classroom mode: the builder of exercise links, and the header's link to it.
  const share = shareBuilder({ query: () => location.search, hidden: state.hide });
  const classroomLink = h('a', { href: '#classroom', 'data-testid': 'classroom-help', title: 'Share this setup as an exercise, with the controls you choose hidden' }, 'classroom mode');
  classroomLink.addEventListener('click', (event) => {
    event.preventDefault();
    share.open();
  });
  const page = h(
    'div',
    { class: 'pg', 'data-page': 'playground' },
    h('header', { class: 'pg-header' }, h('h1', {}, 'Playground'), h('p', { class: 'pg-help' }, h('a', { href: './' }, '← all experiments'), ' · a neural network learning in your browser, trained by nnlab in a Web Worker. Teaching? ', classroomLink, '.'), copy),
    bar,
    transport.status,
    banner,
    training.element,
    h('div', { class: 'pg-columns' }, data.element, network.element, output.element),
    model.element,
    exports,
    share.element,
    keys,
  );
  root.classList.add('pg-root');
  root.replaceChildren(page);
  applyHidden(page, state.hide);
  tidyClassroom(page);
  if (location.hash === '#classroom') share.open();
  showProblems(parsed.problems);

  copy.addEventListener('click', () => {
    navigator.clipboard?.writeText(location.href).then(
      () => transport.say('Link copied: it reproduces this data, network and run.'),
      () => transport.say('Could not copy: copy the address bar instead.'),
    ) ?? transport.say('Copy the address bar: it holds every setting.');
  });

  // --- Drawing --------------------------------------------------------------------------------
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
    syncStats();
    training.sync(state);
    data.sync(state);
    network.sync(state);
    output.sync(state);
    model.sync();
  }

  /**
   * One frame: the canvases first (they read their CSS sizes while the layout is still clean),
   * then the numbers, each written only when it changed.
   */
  const redraw = new FrameScheduler(() => {
    output.draw(latest);
    if (latest !== null) {
      network.view.update(latest.maps, latest.weights, state.view.palette);
      // Both views now hold latest's maps: the ones drawn before go back to the worker to be
      // written over (transferred, so nothing here can read them any more).
      if (drawn !== null && drawn !== latest) client.recycle(drawn.maps);
      drawn = latest;
    }
    const record = latest?.latest ?? null;
    setText(epochText, String(record?.epoch ?? 0));
    setText(errorText, record === null || !Number.isFinite(record.trainLoss) ? '–' : format(record.trainLoss));
    setText(testErrorText, record?.testLoss == null ? '–' : format(record.testLoss));
    setText(accuracyText, record?.trainAccuracy == null ? '–' : `${percent(record.trainAccuracy)}${record.testAccuracy === null ? '' : ` · ${percent(record.testAccuracy)}`}`);
  });

  const hook: PlaygroundHook = {
    page: 'playground',
    epoch: epochNow,
    error: () => latest?.latest.trainLoss,
    running: () => client.playing,
    records: () => curves.all().length,
    done: () => false,
    frames: () => redraw.frames,
    step: () => 0,
    points: () => points.length,
    outputMaps: () => (latest === null ? null : { resolution: latest.maps.resolution, maps: latest.maps.output.map((map) => Array.from(map)) }),
  };
  installHook(hook);

  syncStats();
  restart();
  showTransport();
  // A new window size (or projector mode, which says so the same way) resizes the canvases and the network drawing.
  const onResize = () => redraw.request();
  window.addEventListener('resize', onResize);

  return () => {
    transport.dispose();
    redraw.dispose();
    window.removeEventListener('resize', onResize);
    client.close();
  };
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

function percent(v: number): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–';
}
