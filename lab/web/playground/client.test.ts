/** The playground's client against a fake worker and a fake clock: every step asked and answered is the test's doing. */
import { describe, expect, it } from 'vitest';
import { FakeWorker } from '../test-helpers.js';
import { FRAME_MS, PlaygroundClient } from './client.js';
import type { Clock, Setup } from './client.js';
import type { Reply, Request, Snapshot } from './protocol.js';
import { DEFAULT_SETTINGS } from './settings.js';
import type { EpochMetrics } from './trainer.js';
import type { Speed } from './url-state.js';

class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    this.timers.push({ at: this.time + ms, callback, id: ++this.ids });
    return this.ids;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  get pending(): number {
    return this.timers.length;
  }
  /** Moves the clock on by `ms`, running the timers that fall due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let next = this.due(end); next !== undefined; next = this.due(end)) {
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
  }
  private due(end: number) {
    return this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
  }
}

const SETUP: Setup = { spec: { hidden: [{ units: 2, activation: 'tanh', dropout: 0 }], skip: 'none', loss: 'bce', classes: 2 }, points: [], settings: DEFAULT_SETTINGS, seed: 1, resolution: 4 };
const metrics = (epoch: number): EpochMetrics => ({ epoch, trainLoss: 1 / (epoch + 1), testLoss: null, trainAccuracy: 0.5, testAccuracy: null });

function setup(speed: Speed = 'max') {
  const worker = new FakeWorker<Request, Reply>();
  const clock = new FakeClock();
  const seen = { snapshots: [] as Snapshot[], errors: [] as string[], stopped: 0, crashed: [] as string[] };
  const options = { speed: () => speed, clock };
  const client = new PlaygroundClient(
    worker,
    { records: (s) => seen.snapshots.push(s), error: (m) => seen.errors.push(m), stopped: () => seen.stopped++, crashed: (why) => seen.crashed.push(why) },
    options,
  );
  let epoch = 0;
  const snapshot = (cause: Snapshot['cause'], trained: number, run = worker.messages.at(-1)?.run ?? 0): Snapshot => {
    const records = Array.from({ length: trained }, () => metrics(++epoch));
    return { type: 'records', run, cause, records, latest: metrics(epoch), maps: { resolution: 4, output: [], hidden: [] }, weights: [] };
  };
  const steps = () => worker.messages.filter((m) => m.type === 'step');
  /** The worker answers the oldest step not answered yet, having trained `trained` epochs. */
  const answerStep = (trained: number, run?: number) => worker.reply(snapshot('step', trained, run));
  const ready = () => {
    client.init(SETUP);
    worker.reply(snapshot('init', 0));
  };
  return { worker, clock, seen, client, snapshot, steps, answerStep, ready };
}

describe('PlaygroundClient', () => {
  it('init(setup) sends init; nothing trains before the worker has answered it', () => {
    const { worker, client, steps } = setup();
    client.init(SETUP);
    client.play();
    client.step();
    expect(worker.messages).toEqual([{ type: 'init', run: 1, ...SETUP }]);
    expect([steps().length, client.isReady]).toEqual([0, false]);
  });

  it('play() flat out keeps exactly two steps of about a frame each in flight, and pause() asks for no more', () => {
    const { client, ready, steps, answerStep, seen } = setup('max');
    ready();
    client.play();
    expect(steps()).toEqual([
      { type: 'step', run: 1, epochs: 1_000_000, budgetMs: FRAME_MS },
      { type: 'step', run: 1, epochs: 1_000_000, budgetMs: FRAME_MS },
    ]);
    answerStep(30);
    expect(steps()).toHaveLength(3);
    client.pause();
    answerStep(30);
    answerStep(30);
    expect(steps()).toHaveLength(3);
    expect(seen.snapshots.map((s) => s.latest.epoch)).toEqual([0, 30, 60, 90]);
  });

  it('step() pauses and asks for exactly one epoch once the steps in flight are answered', () => {
    const { client, ready, steps, answerStep } = setup('max');
    ready();
    client.play();
    client.step();
    expect([client.playing, steps().length]).toEqual([false, 2]);
    answerStep(10);
    expect(steps()).toHaveLength(2);
    answerStep(10);
    expect(steps().at(-1)).toEqual({ type: 'step', run: 1, epochs: 1, budgetMs: Infinity });
  });

  it('step() three times while a step is in flight trains three epochs, one step after another', () => {
    const { client, ready, steps, answerStep } = setup('max');
    ready();
    client.step();
    client.step();
    client.step();
    expect(steps()).toHaveLength(1);
    answerStep(1);
    expect(steps()).toHaveLength(2);
    answerStep(1);
    answerStep(1);
    expect(steps()).toEqual(Array.from({ length: 3 }, () => ({ type: 'step', run: 1, epochs: 1, budgetMs: Infinity })));
  });

  it('at 100 epochs/s it asks when the Pacer says, on the clock, and owes a short step’s epochs again', () => {
    const { client, clock, ready, steps, answerStep } = setup('100');
    const asked = () => steps().map((s) => s.type === 'step' && [s.epochs, s.budgetMs]);
    ready();
    client.play();
    expect([steps().length, clock.pending]).toEqual([0, 1]); // nothing due at t = 0: a timer
    clock.advance(10);
    expect(asked()).toEqual([[1, FRAME_MS]]);
    clock.advance(40); // the second a frame after the first; then two are in flight: no timer
    expect([asked(), clock.pending]).toEqual([[[1, FRAME_MS], [1, FRAME_MS]], 0]);
    answerStep(0); // at t = 50 five are due; the first trained none of its one
    expect(asked().at(-1)).toEqual([4, FRAME_MS]); // 5 due − 2 asked + 1 owed
    client.pause();
    answerStep(1);
    expect([steps().length, clock.pending]).toEqual([3, 0]);
  });

  it('answers to steps of a run replaced by init still free their place in flight', () => {
    const { client, worker, ready, steps, answerStep, snapshot, seen } = setup('max');
    ready();
    client.play();
    client.init(SETUP); // reset while two steps of run 1 are in flight
    worker.reply(snapshot('init', 0));
    answerStep(5, 1);
    answerStep(5, 1);
    expect(steps().filter((s) => s.run === 2)).toHaveLength(2);
    expect(seen.snapshots.filter((s) => s.run === 1).map((s) => s.cause)).toEqual(['init']);
  });

  it('a failed step stops play (stopped() once) and says why; a failed init refuses play with its message', () => {
    const { client, worker, ready, steps, seen } = setup('max');
    ready();
    client.play();
    worker.reply({ type: 'error', run: 1, request: 'step', message: 'training diverged at epoch 3', diverged: true });
    expect([client.playing, seen.stopped, seen.errors]).toEqual([false, 1, ['training diverged at epoch 3']]);
    expect(steps()).toHaveLength(2);
    client.init(SETUP);
    worker.reply({ type: 'error', run: 2, request: 'init', message: 'a point has class 2, but the network has 2 classes', diverged: false });
    expect([client.play(), client.playing, client.cannotTrain]).toEqual([false, false, 'a point has class 2, but the network has 2 classes']);
  });

  it('save() resolves with the file; load(text) resolves, or rejects with why and changes nothing', async () => {
    const { client, worker, ready, seen, snapshot } = setup();
    ready();
    const saved = client.save();
    worker.reply({ type: 'saved', run: 1, text: '{"model":1}' });
    expect(await saved).toBe('{"model":1}');
    const loaded = client.load('{"model":1}');
    worker.reply({ type: 'loaded', run: 1, ok: true, message: 'loaded' });
    worker.reply({ ...snapshot('load', 0), restarted: true });
    await expect(loaded).resolves.toBeUndefined();
    expect(seen.snapshots.at(-1)?.cause).toBe('load');
    const refused = client.load('nonsense');
    worker.reply({ type: 'loaded', run: 1, ok: false, message: 'the file is not JSON' });
    await expect(refused).rejects.toThrow('the file is not JSON');
    expect(worker.messages.filter((m) => m.type === 'save' || m.type === 'load').map((m) => m.type)).toEqual(['save', 'load', 'load']);
  });

  it('setSettings, setWeight and recycle pass through, recycle transferring the maps’ one buffer', () => {
    const { client, worker, ready } = setup();
    ready();
    client.setSettings({ ...DEFAULT_SETTINGS, learningRate: 0.1 });
    client.setWeight(0, 1, 0, 2.5);
    const buffer = new ArrayBuffer(64);
    client.recycle({ resolution: 2, output: [new Float32Array(buffer, 0, 4)], hidden: [[{ values: new Float32Array(buffer, 16, 4), domain: [-1, 1] }]] });
    expect(worker.messages.slice(-3).map((m) => m.type)).toEqual(['setSettings', 'setWeight', 'recycle']);
    expect(worker.posted.at(-1)!.transfer).toEqual([buffer]);
  });

  it('a crash stops play and is reported once; play is refused after it', () => {
    const { client, worker, ready, seen } = setup();
    ready();
    client.play();
    worker.crash('Failed to fetch');
    expect([client.playing, seen.crashed, client.play()]).toEqual([false, ['Failed to fetch'], false]);
  });
});
