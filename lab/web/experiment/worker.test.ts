/**
 * The training worker's protocol, run in Node: `self` is a stand-in that records what the
 * worker posts, and messages go to the listener the worker registered.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findExperiment, resolveConfig, summarize } from '../../experiments/index.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { fromWire } from './protocol.js';

type Batch = Extract<FromWorker, { type: 'records' }>;

const posted: FromWorker[] = [];
let listener: ((event: { data: ToWorker }) => void) | undefined;
let command = 0;

function send(message: Omit<ToWorker, 'command'> & Record<string, unknown>): void {
  listener!({ data: { ...message, command: ++command } as ToWorker });
}

/** Waits until the worker posts a message that `accept`s, and returns it. */
async function until(accept: (message: FromWorker) => boolean, timeoutMs = 20_000): Promise<FromWorker> {
  const started = Date.now();
  for (;;) {
    const found = posted.find(accept);
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`no such message; posted: ${JSON.stringify(posted.map((m) => m.type))}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const batches = (run: number) => posted.filter((m): m is Batch => m.type === 'records' && m.run === run);

beforeAll(async () => {
  vi.stubGlobal('self', {
    postMessage: (message: FromWorker) => posted.push(structuredClone(message)),
    addEventListener: (_type: 'message', handle: (event: { data: ToWorker }) => void) => (listener = handle),
  });
  await import('./worker.js');
});

afterAll(() => vi.unstubAllGlobals());

describe('the training worker', () => {
  it("'init' brings the start, epoch 0 and its snapshot, paused; each 'step' exactly one epoch more", async () => {
    send({ type: 'init', run: 1, experiment: 'two-layer', config: { epochs: 5, resolution: 3 }, seed: 1 });
    const first = (await until((m) => m.run === 1)) as Batch;
    expect(first.records.map((r) => r.kind)).toEqual(['start', 'epoch', 'snapshot']);
    expect([first.epoch, first.state]).toEqual([0, 'paused']);
    for (const epoch of [1, 2]) {
      send({ type: 'step', run: 1, epochs: 1 });
      const batch = (await until((m) => m.type === 'records' && m.run === 1 && m.epoch === epoch)) as Batch;
      expect(batch.state).toBe('paused');
      expect(batch.records.filter((r) => r.kind === 'epoch').map((r) => r.kind === 'epoch' && r.epoch)).toEqual([epoch]);
    }
    send({ type: 'step', run: 1, epochs: 10 });
    const last = (await until((m) => m.type === 'records' && m.run === 1 && m.state === 'done')) as Batch;
    expect(last.epoch).toBe(5);
    expect(last.records.at(-1)?.kind).toBe('final');
  });

  it("'play' runs to the end; the records sum up to the CLI's --json summary for the same config and seed", async () => {
    const experiment = findExperiment('dropout');
    const config = resolveConfig(experiment, { epochs: 300, resolution: 10 });
    send({ type: 'init', run: 2, experiment: 'dropout', config, seed: 3 });
    await until((m) => m.run === 2);
    send({ type: 'play', run: 2, epochsPerSecond: 0 });
    await until((m) => m.type === 'records' && m.run === 2 && m.state === 'done');
    const records = batches(2).flatMap((b) => b.records.map(fromWire));
    expect(JSON.stringify(summarize(records))).toBe(JSON.stringify(summarize(experiment.run(config, 3))));
  });

  it("'pause' stops a run that is playing at its speed limit, and says where", async () => {
    send({ type: 'init', run: 3, experiment: 'two-layer', config: { epochs: 100000, resolution: 2 }, seed: 1 });
    await until((m) => m.run === 3);
    send({ type: 'play', run: 3, epochsPerSecond: 200 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    send({ type: 'pause', run: 3 });
    const paused = (await until((m) => m.type === 'records' && m.run === 3 && m.state === 'paused' && m.command === command)) as Batch;
    // About 30 epochs in 150 ms at 200 per second; far fewer than unlimited would do.
    expect(paused.epoch).toBeGreaterThan(0);
    expect(paused.epoch).toBeLessThan(200);
    const count = posted.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(posted.length).toBe(count);
  });

  it('a bad start (unknown experiment or option) and commands for an older run are answered as such', async () => {
    send({ type: 'init', run: 4, experiment: 'three-layer', config: {}, seed: 1 });
    expect(await until((m) => m.run === 4)).toMatchObject({ type: 'error', message: expect.stringContaining("unknown experiment 'three-layer'") });
    send({ type: 'init', run: 5, experiment: 'two-layer', config: { hidden: 100 }, seed: 1 });
    expect(await until((m) => m.run === 5)).toMatchObject({ type: 'error', message: expect.stringContaining('option --hidden must be an integer in [1, 64]') });
    const count = posted.length;
    send({ type: 'step', run: 1, epochs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(posted.length).toBe(count);
  });
});
