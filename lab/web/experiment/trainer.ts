/**
 * The page's side of the training worker (protocol.ts): starts runs, asks for epochs, and hands
 * each batch on. A reset starts a new run in the same worker; replies to older runs are dropped.
 */
import type { Config } from '../../experiments/types.js';
import type { FromWorker, ToWorker, WireRecord, WorkerState } from './protocol.js';

export interface TrainerEvents {
  /** New records (maybe none) and the state they leave the run in. */
  batch(records: readonly WireRecord[], state: WorkerState): void;
  /** The run failed (diverged, or the worker could not start): a message for the page. */
  failed(message: string): void;
}

type Command = ToWorker extends infer T ? (T extends ToWorker ? Omit<T, 'run' | 'command'> : never) : never;

export class Trainer {
  readonly #worker: Worker;
  readonly #events: TrainerEvents;
  #run = 0;
  #command = 0;
  #state: WorkerState = 'paused';
  /** Whether the running state comes from play (rather than steps not yet done). */
  #playing = false;

  constructor(events: TrainerEvents) {
    this.#events = events;
    this.#worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'nnlab training' });
    this.#worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.#receive(event.data));
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#state = 'failed';
      this.#events.failed(`the training worker stopped: ${event.message || 'it could not be loaded'}`);
    });
  }

  get state(): WorkerState {
    return this.#state;
  }

  /** Whether training is playing (steps under way do not count). */
  get playing(): boolean {
    return this.#state === 'running' && this.#playing;
  }

  /** Starts a new run, paused at epoch 0 (its first batch brings the start and epoch 0 records). */
  start(experiment: string, config: Config, seed: number): void {
    this.#run++;
    this.#state = 'paused';
    this.#playing = false;
    this.#send({ type: 'start', experiment, config, seed });
  }

  /** Advances exactly `epochs` more epochs (after any steps still under way), then pauses. */
  step(epochs = 1): void {
    if (this.#state !== 'paused' && !(this.#state === 'running' && !this.#playing)) return;
    this.#state = 'running';
    this.#playing = false;
    this.#send({ type: 'step', epochs });
  }

  /** Trains until paused or done, at most `epochsPerSecond` (0: no limit). */
  play(epochsPerSecond: number): void {
    if (this.#state !== 'paused' && this.#state !== 'running') return;
    this.#state = 'running';
    this.#playing = true;
    this.#send({ type: 'play', epochsPerSecond });
  }

  pause(): void {
    if (this.#state !== 'running' || !this.#playing) return;
    this.#state = 'paused';
    this.#send({ type: 'pause' });
  }

  dispose(): void {
    this.#worker.terminate();
  }

  #send(command: Command): void {
    const message = { ...command, run: this.#run, command: ++this.#command } as ToWorker;
    this.#worker.postMessage(message);
  }

  #receive(message: FromWorker): void {
    if (message.run !== this.#run) return;
    if (message.type === 'failed') {
      this.#state = 'failed';
      this.#events.failed(message.message);
      return;
    }
    // A reply sent before the latest command keeps its records but not its state.
    if (message.command === this.#command || message.state === 'done') this.#state = message.state;
    this.#events.batch(message.records, this.#state);
  }
}
