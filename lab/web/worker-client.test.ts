import { describe, expect, it } from 'vitest';
import { WorkerClient, WorkerRequestError } from './worker-client.js';
import { FakeWorker } from './test-helpers.js';

type Out = { run: number } & ({ type: 'init'; seed: number } | { type: 'step' } | { type: 'save' });
type In = { run: number } & ({ type: 'records'; epoch: number } | { type: 'saved'; text: string } | { type: 'error'; request: string; message: string });

function setup() {
  const worker = new FakeWorker<Out, In>();
  const seen = { messages: [] as In[], stale: [] as In[], crashed: [] as string[] };
  const client = new WorkerClient<Out, In>(worker, {
    message: (m) => seen.messages.push(m),
    stale: (m) => seen.stale.push(m),
    crashed: (why) => seen.crashed.push(why),
  });
  const save = () => client.ask({ type: 'save' }, (r) => (r.type === 'saved' ? { value: r.text } : r.type === 'error' && r.request === 'save' ? { error: r.message } : undefined));
  return { worker, client, seen, save };
}

describe('WorkerClient', () => {
  it('init(message) starts run 1, then 2; send() stamps the current run on every message', () => {
    const { worker, client } = setup();
    expect(client.run).toBe(0);
    client.init({ type: 'init', seed: 7 });
    client.send({ type: 'step' });
    client.init({ type: 'init', seed: 8 });
    expect(worker.messages).toEqual([
      { type: 'init', seed: 7, run: 1 },
      { type: 'step', run: 1 },
      { type: 'init', seed: 8, run: 2 },
    ]);
    expect(client.run).toBe(2);
  });

  it('a reply to a replaced run goes to stale(), never to message()', () => {
    const { worker, client, seen } = setup();
    client.init({ type: 'init', seed: 1 });
    client.init({ type: 'init', seed: 1 });
    worker.reply({ type: 'records', run: 1, epoch: 5 });
    worker.reply({ type: 'records', run: 2, epoch: 0 });
    expect(seen.stale).toEqual([{ type: 'records', run: 1, epoch: 5 }]);
    expect(seen.messages).toEqual([{ type: 'records', run: 2, epoch: 0 }]);
  });

  it('ask(message, answer) resolves with the first reply it answers; that reply is no event', async () => {
    const { worker, client, seen, save } = setup();
    client.init({ type: 'init', seed: 1 });
    const first = save();
    const second = save();
    worker.reply({ type: 'records', run: 1, epoch: 0 });
    worker.reply({ type: 'saved', run: 1, text: 'a' });
    worker.reply({ type: 'saved', run: 1, text: 'b' });
    expect([await first, await second]).toEqual(['a', 'b']);
    expect(seen.messages.map((m) => m.type)).toEqual(['records']);
  });

  it("ask(…) rejects with the worker's error, and when init replaces its run before the answer", async () => {
    const { worker, client, save } = setup();
    client.init({ type: 'init', seed: 1 });
    const refused = save();
    worker.reply({ type: 'error', run: 1, request: 'save', message: 'the network is not set up yet' });
    await expect(refused).rejects.toThrow(new WorkerRequestError('the network is not set up yet'));
    const replaced = save();
    client.init({ type: 'init', seed: 1 });
    worker.reply({ type: 'saved', run: 1, text: 'late' });
    await expect(replaced).rejects.toThrow('the run was replaced (reset) before the worker answered');
  });

  it('a crash is one crashed(why) event (the default report prevented); pending and later requests fail, nothing more is sent or heard', async () => {
    const { worker, client, seen, save } = setup();
    client.init({ type: 'init', seed: 1 });
    const pending = save();
    expect(worker.crash('Failed to fetch the module')).toBe(true);
    expect(seen.crashed).toEqual(['Failed to fetch the module']);
    expect(client.stoppedBecause).toBe('Failed to fetch the module');
    await expect(pending).rejects.toThrow('the training worker stopped (Failed to fetch the module)');
    await expect(save()).rejects.toThrow(WorkerRequestError);
    const sent = worker.posted.length;
    client.send({ type: 'step' });
    worker.reply({ type: 'records', run: 1, epoch: 3 });
    expect([worker.posted.length, seen.messages]).toEqual([sent, []]);
  });

  it('close() terminates the worker and fails what is pending', async () => {
    const { worker, client, save } = setup();
    client.init({ type: 'init', seed: 1 });
    const pending = save();
    client.close();
    expect(worker.terminated).toBe(true);
    await expect(pending).rejects.toThrow('the page closed it');
  });

  it('a worker that cannot start is a crash, reported once the constructor has returned', async () => {
    const crashed: string[] = [];
    const client = new WorkerClient<Out, In>(
      () => {
        throw new Error('Worker is not defined');
      },
      { message: () => {}, crashed: (why) => crashed.push(why) },
    );
    expect(crashed).toEqual([]);
    await Promise.resolve();
    expect(crashed).toEqual(['it could not start (Worker is not defined)']);
    client.init({ type: 'init', seed: 1 }); // goes nowhere, throws nothing
    await expect(client.ask({ type: 'save' }, () => undefined)).rejects.toThrow('save: the training worker stopped (it could not start (Worker is not defined))');
  });
});
