import { describe, expect, it } from 'vitest';
import { FakeWorker } from '../test-helpers.js';
import { ExperimentClient } from './client.js';
import type { FromWorker, ToWorker, WireRecord, WorkerState } from './protocol.js';

const epoch = (n: number): WireRecord => ({ kind: 'epoch', epoch: n, error: 0.5 / (n + 1), series: 'train' });

function setup() {
  const worker = new FakeWorker<ToWorker, FromWorker>();
  const seen = { records: [] as [readonly WireRecord[], WorkerState][], errors: [] as string[] };
  const client = new ExperimentClient(worker, { records: (records, state) => seen.records.push([records, state]), error: (message) => seen.errors.push(message) });
  /** The worker answers the page's latest message. */
  const answer = (records: WireRecord[], state: Exclude<WorkerState, 'failed'>, command = worker.messages.at(-1)!.command) =>
    worker.reply({ type: 'records', run: worker.messages.at(-1)!.run, command, records, epoch: 0, state });
  return { worker, client, seen, answer };
}

describe('ExperimentClient', () => {
  it('init(experiment, config, seed) sends init with run and command; step() a step; both numbered on', () => {
    const { worker, client } = setup();
    client.init('two-layer', { hidden: 3 }, 7);
    client.step();
    expect(worker.messages).toEqual([
      { type: 'init', experiment: 'two-layer', config: { hidden: 3 }, seed: 7, run: 1, command: 1 },
      { type: 'step', epochs: 1, run: 1, command: 2 },
    ]);
  });

  it('play(speed) is running and playing until pause(); steps under way are running but not playing', () => {
    const { client, answer } = setup();
    client.init('two-layer', {}, 1);
    answer([epoch(0)], 'paused');
    client.step();
    expect([client.state, client.playing]).toEqual(['running', false]);
    answer([epoch(1)], 'paused');
    client.play(500);
    expect([client.state, client.playing]).toEqual(['running', true]);
    client.step(); // ignored while playing
    client.pause();
    expect([client.state, client.playing]).toEqual(['paused', false]);
  });

  it("a reply that predates the latest command keeps its records but not its state; 'done' always counts", () => {
    const { worker, client, seen, answer } = setup();
    client.init('two-layer', {}, 1);
    client.play(0);
    const playCommand = worker.messages.at(-1)!.command;
    client.pause();
    answer([epoch(1), epoch(2)], 'running', playCommand); // sent before the worker saw pause
    expect(seen.records.at(-1)).toEqual([[epoch(1), epoch(2)], 'paused']);
    answer([epoch(3)], 'done', playCommand);
    expect(client.state).toBe('done');
    client.play(0);
    client.step();
    expect(worker.messages.at(-1)!.type).toBe('pause'); // a finished run takes neither
  });

  it('replies to the run before init are dropped; an error reply or a crash fails the run with its message', () => {
    const { worker, client, seen } = setup();
    client.init('two-layer', {}, 1);
    client.init('two-layer', {}, 2);
    worker.reply({ type: 'records', run: 1, command: 1, records: [epoch(9)], epoch: 9, state: 'paused' });
    expect(seen.records).toEqual([]);
    worker.reply({ type: 'error', run: 2, command: 2, message: 'option --hidden must be an integer in [1, 64], got 100' });
    expect([client.state, seen.errors]).toEqual(['failed', ['option --hidden must be an integer in [1, 64], got 100']]);
    worker.crash('it could not be loaded');
    expect(seen.errors.at(-1)).toBe('the training worker stopped: it could not be loaded');
    client.init('two-layer', {}, 3);
    expect(client.state).toBe('failed'); // a stopped worker runs nothing
  });

  it('close() terminates the worker', () => {
    const { worker, client } = setup();
    client.close();
    expect(worker.terminated).toBe(true);
  });
  it('continue(n) takes a finished run back to paused and sends continue; a done reply to an older command does not undo it', () => {
    const { worker, client, answer } = setup();
    client.init('two-layer', {}, 1);
    answer([epoch(0)], 'paused');
    client.continue(5); // not finished: ignored
    expect(worker.messages.at(-1)!.type).toBe('init');
    client.play(0);
    client.pause();
    answer([epoch(1)], 'done', 2); // the run ended before the pause arrived
    expect(client.state).toBe('done');
    client.continue(5);
    expect(worker.messages.at(-1)).toMatchObject({ type: 'continue', epochs: 5 });
    expect(client.state).toBe('paused');
    answer([], 'done', 3); // the worker's answer to the pause, sent before it saw continue
    expect(client.state).toBe('paused');
    answer([], 'paused');
    client.play(0);
    expect([client.state, client.playing]).toEqual(['running', true]);
  });
});
