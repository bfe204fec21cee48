/**
 * The training worker's protocol, run in Node: `self` is a stand-in that records what the
 * worker posts, messages go to the listener the worker registered, and time is the test's: the
 * worker's zero-delay turns (a MessageChannel) wait in a queue the test runs, and its clock and
 * timers are vitest's fake ones. Nothing here sleeps or depends on how fast the machine is.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findExperiment, resolveConfig, summarize } from '../../experiments/index.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { fromWire } from './protocol.js';

type Batch = Extract<FromWorker, { type: 'records' }>;

const posted: FromWorker[] = [];
let listener: ((event: { data: ToWorker }) => void) | undefined;
let command = 0;
/** The worker's zero-delay turns, waiting for the test to run them. */
const turns: (() => void)[] = [];

/** A MessageChannel whose messages wait in `turns`. */
class QueuedChannel {
  readonly port1: { onmessage: ((event: { data: unknown }) => void) | null } = { onmessage: null };
  readonly port2 = { postMessage: (data: unknown) => turns.push(() => this.port1.onmessage?.({ data })) };
}

function send(message: Omit<ToWorker, 'command'> & Record<string, unknown>): void {
  listener!({ data: { ...message, command: ++command } as ToWorker });
}

/** Runs the worker's queued turns until there are none (a bound guards against a loop). */
function settle(): void {
  for (let n = 0; turns.length > 0; n++) {
    if (n > 100_000) throw new Error('the worker keeps scheduling turns');
    turns.shift()!();
  }
}

/** Lets `ms` of fake time pass, a millisecond at a time, running the worker's turns and timers as they fall due. */
function pass(ms: number): void {
  settle();
  for (let t = 0; t < ms; t++) {
    vi.advanceTimersByTime(1);
    settle();
  }
}

const batches = (run: number) => posted.filter((m): m is Batch => m.type === 'records' && m.run === run);
const last = (run: number) => posted.filter((m) => m.run === run).at(-1);

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  vi.stubGlobal('MessageChannel', QueuedChannel);
  vi.stubGlobal('self', {
    postMessage: (message: FromWorker) => posted.push(structuredClone(message)),
    addEventListener: (_type: 'message', handle: (event: { data: ToWorker }) => void) => (listener = handle),
  });
  await import('./worker.js');
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the training worker', () => {
  it("'init' brings the start, epoch 0 and its snapshot, paused; each 'step' exactly one epoch more", () => {
    send({ type: 'init', run: 1, experiment: 'two-layer', config: { epochs: 5, resolution: 3 }, seed: 1 });
    const first = last(1) as Batch;
    expect(first.records.map((r) => r.kind)).toEqual(['start', 'epoch', 'snapshot']);
    expect([first.epoch, first.state]).toEqual([0, 'paused']);
    for (const epoch of [1, 2]) {
      send({ type: 'step', run: 1, epochs: 1 });
      settle();
      const batch = last(1) as Batch;
      expect([batch.epoch, batch.state]).toEqual([epoch, 'paused']);
      expect(batch.records.filter((r) => r.kind === 'epoch').map((r) => r.kind === 'epoch' && r.epoch)).toEqual([epoch]);
    }
    send({ type: 'step', run: 1, epochs: 10 });
    settle();
    const end = last(1) as Batch;
    expect([end.epoch, end.state]).toEqual([5, 'done']);
    expect(end.records.at(-1)?.kind).toBe('final');
  });

  it("'play' runs to the end; the records sum up to the CLI's --json summary for the same config and seed", () => {
    const experiment = findExperiment('dropout');
    const config = resolveConfig(experiment, { epochs: 300, resolution: 10 });
    send({ type: 'init', run: 2, experiment: 'dropout', config, seed: 3 });
    send({ type: 'play', run: 2, epochsPerSecond: 0 });
    settle();
    expect(last(2)).toMatchObject({ type: 'records', state: 'done', epoch: 300 });
    const records = batches(2).flatMap((b) => b.records.map(fromWire));
    expect(JSON.stringify(summarize(records))).toBe(JSON.stringify(summarize(experiment.run(config, 3))));
  });

  it("'play' at 200 epochs/s trains 30 epochs in 150 ms of its clock; 'pause' stops it there, and says so", () => {
    send({ type: 'init', run: 3, experiment: 'two-layer', config: { epochs: 100000, resolution: 2 }, seed: 1 });
    send({ type: 'play', run: 3, epochsPerSecond: 200 });
    pass(150);
    expect((last(3) as Batch).epoch).toBe(30);
    send({ type: 'pause', run: 3 });
    expect(last(3)).toMatchObject({ type: 'records', epoch: 30, state: 'paused', command });
    const count = posted.length;
    pass(100);
    expect(posted.length).toBe(count);
  });

  it('a bad init (unknown experiment or option) and commands for an older run are answered as such', () => {
    send({ type: 'init', run: 4, experiment: 'three-layer', config: {}, seed: 1 });
    expect(last(4)).toMatchObject({ type: 'error', message: expect.stringContaining("unknown experiment 'three-layer'") });
    send({ type: 'init', run: 5, experiment: 'two-layer', config: { hidden: 100 }, seed: 1 });
    expect(last(5)).toMatchObject({ type: 'error', message: expect.stringContaining('option --hidden must be an integer in [1, 64]') });
    const count = posted.length;
    send({ type: 'step', run: 1, epochs: 1 });
    pass(10);
    expect(posted.length).toBe(count);
  });
});
