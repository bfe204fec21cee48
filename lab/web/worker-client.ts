/**
 * The page's side of a training worker, with no DOM (Node tests drive it with a fake worker).
 * Both training pages talk to their worker through it (experiment/client.ts, playground/client.ts).
 *
 * It stamps every message with the current `run` and drops replies to a run that `init` has
 * replaced (after a reset, a new network), so a page never shows numbers of a run it left.
 * A request that expects one answer (the playground's `save`) is a promise, settled by the first
 * reply that answers it; other replies are events. The worker's own failure (it could not load,
 * or threw outside a request) is one `crashed` event, after which nothing more is sent.
 *
 *     const client = new WorkerClient<ToWorker, FromWorker>(new Worker(url, { type: 'module' }), {
 *       message: (reply) => show(reply),
 *       crashed: (why) => say(`the training worker stopped: ${why}`),
 *     });
 *     client.init({ type: 'init', … });            // run 1
 *     const text = await client.ask({ type: 'save' }, (r) => (r.type === 'saved' ? { value: r.text } : undefined));
 */

/** The part of a Worker the client uses; a test passes a fake with the same methods. */
export interface WorkerPort<Out, In> {
  postMessage(message: Out, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: In }) => void): void;
  addEventListener(type: 'error', listener: (event: WorkerErrorEvent) => void): void;
  terminate(): void;
}

export interface WorkerErrorEvent {
  message?: string;
  preventDefault(): void;
}

export interface WorkerClientEvents<In> {
  /** A reply of the current run that no pending `ask` took. */
  message(reply: In): void;
  /** A reply of a run replaced since (dropped; the playground still counts its answered steps). */
  stale?(reply: In): void;
  /** The worker stopped: why, for the page's status line. No more replies come. */
  crashed(why: string): void;
}

/** What a reply means to a pending `ask`: its value, its failure, or nothing (not its answer). */
export type Answer<T> = { value: T } | { error: string } | undefined;

/** A request that ended without its answer: the worker said why, crashed, or was replaced or closed. */
export class WorkerRequestError extends Error {
  override readonly name = 'WorkerRequestError';
}

/** A message as the page writes it: the client adds `run`. */
export type Unstamped<M> = M extends unknown ? Omit<M, 'run'> : never;

interface Pending<In> {
  answer(reply: In): Answer<unknown>;
  resolve(value: unknown): void;
  reject(error: WorkerRequestError): void;
}

/** A worker, or how to start one (a browser may refuse: that is reported as a crash). */
export type WorkerSource<Out, In> = WorkerPort<Out, In> | (() => WorkerPort<Out, In>);

export class WorkerClient<Out extends { type: string; run: number }, In extends { run: number }> {
  private currentRun = 0;
  private pending: Pending<In>[] = [];
  private stopped: string | null = null;
  private readonly port: WorkerPort<Out, In> | null;

  constructor(
    source: WorkerSource<Out, In>,
    private readonly events: WorkerClientEvents<In>,
  ) {
    let port: WorkerPort<Out, In>;
    try {
      port = typeof source === 'function' ? source() : source;
    } catch (error) {
      // Reported after the constructor returns, when the page can show it.
      this.port = null;
      this.stopped = `it could not start (${error instanceof Error ? error.message : String(error)})`;
      queueMicrotask(() => this.events.crashed(this.stopped!));
      return;
    }
    this.port = port;
    port.addEventListener('message', (event) => this.receive(event.data));
    port.addEventListener('error', (event) => {
      event.preventDefault();
      this.stop(event.message || 'it could not be loaded');
      this.events.crashed(this.stopped!);
    });
  }

  /** The run replies are taken from (0 before the first `init`). */
  get run(): number {
    return this.currentRun;
  }

  /** Why the worker stopped (crashed or closed), or null while it runs. */
  get stoppedBecause(): string | null {
    return this.stopped;
  }

  /** Starts run + 1 with `message`: from now on replies to earlier runs are dropped, and their pending requests fail. */
  init(message: Unstamped<Out>, transfer: Transferable[] = []): void {
    this.currentRun++;
    this.fail(this.pending.splice(0), 'the run was replaced (reset) before the worker answered');
    this.send(message, transfer);
  }

  /** Sends `message` as part of the current run (nothing once the worker has stopped). */
  send(message: Unstamped<Out>, transfer: Transferable[] = []): void {
    if (this.stopped !== null) return;
    this.port?.postMessage({ ...message, run: this.currentRun } as Out, transfer);
  }

  /** Sends `message` and resolves with the value of the first reply `answer` takes (or rejects with its error). */
  ask<T>(message: Unstamped<Out>, answer: (reply: In) => Answer<T>): Promise<T> {
    if (this.stopped !== null) return Promise.reject(new WorkerRequestError(`${message.type}: the training worker stopped (${this.stopped})`));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ answer, resolve: resolve as (value: unknown) => void, reject });
      this.send(message);
    });
  }

  /** Stops the worker; pending requests fail. */
  close(): void {
    if (this.stopped !== null) return;
    this.stop('the page closed it');
    this.port?.terminate();
  }

  private receive(reply: In): void {
    if (this.stopped !== null) return;
    if (reply.run !== this.currentRun) {
      this.events.stale?.(reply);
      return;
    }
    for (let i = 0; i < this.pending.length; i++) {
      const answer = this.pending[i].answer(reply);
      if (answer === undefined) continue;
      const [request] = this.pending.splice(i, 1);
      if ('value' in answer) request.resolve(answer.value);
      else request.reject(new WorkerRequestError(answer.error));
      return;
    }
    this.events.message(reply);
  }

  private stop(why: string): void {
    this.stopped = why;
    this.fail(this.pending.splice(0), `the training worker stopped (${why})`);
  }

  private fail(requests: Pending<In>[], why: string): void {
    for (const request of requests) request.reject(new WorkerRequestError(why));
  }
}
