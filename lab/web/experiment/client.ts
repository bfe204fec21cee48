/**
 * An experiment page's side of its training worker (protocol.ts), with no DOM: starts runs,
 * asks for epochs, and hands each reply's records on with the state they leave the run in.
 * A reset starts a new run in the same worker; replies to older runs are dropped (WorkerClient).
 *
 *     const client = new ExperimentClient(new Worker(url, { type: 'module' }), { records, error });
 *     client.init('two-layer', config, seed);   // records: start, epoch 0, its snapshot
 *     client.step();                            // records: epoch 1
 *     client.play(500);                         // until pause() or the end, 500 epochs a second
 */
import type { Config } from '../../experiments/types.js';
import { WorkerClient } from '../worker-client.js';
import type { Unstamped, WorkerSource } from '../worker-client.js';
import type { FromWorker, ToWorker, WireRecord, WorkerState } from './protocol.js';

export interface ExperimentClientEvents {
  /** New records (maybe none) and the state they leave the run in. */
  records(records: readonly WireRecord[], state: WorkerState): void;
  /** The run failed (diverged, a bad option, or the worker stopped): a message for the page. */
  error(message: string): void;
}

type Command = Unstamped<ToWorker> extends infer T ? (T extends unknown ? Omit<T, 'command'> : never) : never;

export class ExperimentClient {
  private readonly worker: WorkerClient<ToWorker, FromWorker>;
  /** Counts the page's messages, so a reply that predates the latest one keeps its records but not its state. */
  private command = 0;
  private current: WorkerState = 'paused';
  /** Whether the running state comes from play (rather than steps not yet done). */
  private fromPlay = false;
  /** The command that last continued a finished run: an older reply's 'done' is history. */
  private continuedAt = 0;

  constructor(
    worker: WorkerSource<ToWorker, FromWorker>,
    private readonly events: ExperimentClientEvents,
  ) {
    this.worker = new WorkerClient(worker, {
      message: (reply) => this.receive(reply),
      crashed: (why) => {
        this.current = 'failed';
        this.events.error(`the training worker stopped: ${why}`);
      },
    });
  }

  get state(): WorkerState {
    return this.current;
  }

  /** Whether training is playing (steps under way do not count). */
  get playing(): boolean {
    return this.current === 'running' && this.fromPlay;
  }

  /** Starts a new run, paused at epoch 0 (its first reply brings the start and epoch 0 records). */
  init(experiment: string, config: Config, seed: number): void {
    this.current = this.worker.stoppedBecause === null ? 'paused' : 'failed';
    this.fromPlay = false;
    this.worker.init({ type: 'init', experiment, config, seed, command: ++this.command });
  }

  /** Advances exactly `epochs` more epochs (after any steps still under way), then pauses. */
  step(epochs = 1): void {
    if (this.current !== 'paused' && !(this.current === 'running' && !this.fromPlay)) return;
    this.current = 'running';
    this.fromPlay = false;
    this.send({ type: 'step', epochs });
  }

  /** Trains until paused or done, at most `epochsPerSecond` (0: no limit); while playing, changes the limit. */
  play(epochsPerSecond: number): void {
    if (this.current !== 'paused' && this.current !== 'running') return;
    this.current = 'running';
    this.fromPlay = true;
    this.send({ type: 'play', epochsPerSecond });
  }

  /** A finished run trains `epochs` more: it is paused again, at its last epoch, until play or step. */
  continue(epochs: number): void {
    if (this.current !== 'done') return;
    this.current = 'paused';
    this.fromPlay = false;
    this.send({ type: 'continue', epochs });
    this.continuedAt = this.command;
  }

  pause(): void {
    if (!this.playing) return;
    this.current = 'paused';
    this.send({ type: 'pause' });
  }

  close(): void {
    this.worker.close();
  }

  private send(command: Command): void {
    this.worker.send({ ...command, command: ++this.command } as Unstamped<ToWorker>);
  }

  private receive(reply: FromWorker): void {
    if (reply.type === 'error') {
      this.current = 'failed';
      this.events.error(reply.message);
      return;
    }
    if (reply.command === this.command || (reply.state === 'done' && reply.command >= this.continuedAt)) this.current = reply.state;
    this.events.records(reply.records, this.current);
  }
}
