/**
 * The playground page's side of its training worker (protocol.ts), with no DOM: it sets the
 * network up, plays (flat out, or paced at a set number of epochs per second), steps, pauses,
 * and passes edits, saves and loads on. Node tests drive it with a fake worker and a fake clock.
 *
 * While playing it keeps two steps in flight, so the worker starts the next as soon as it has
 * sent a snapshot instead of waiting for the page (which may be drawing); flat out each step
 * trains for about a frame (`FRAME_MS`). At a set speed the Pacer says how many epochs to ask
 * for and when. A single step waits until no step is in flight, so it trains exactly one epoch
 * after them.
 *
 *     const client = new PlaygroundClient(new Worker(url, { type: 'module' }), { records, error, stopped, crashed }, { speed: () => '500' });
 *     client.init({ spec, points, settings, seed, resolution });
 *     client.play();
 *     const text = await client.save();
 */
import { WorkerClient } from '../worker-client.js';
import type { WorkerSource } from '../worker-client.js';
import { Pacer } from './pacer.js';
import { mapsBuffer } from './protocol.js';
import type { Reply, Request, Snapshot } from './protocol.js';
import type { Speed } from './url-state.js';

/**
 * The most time the worker trains before it sends a snapshot: a little under a display frame,
 * so that every frame has a fresh map to draw while the network trains as fast as it goes.
 */
export const FRAME_MS = 12;

/** Epochs asked for flat out: far more than a step trains within FRAME_MS. */
const FLAT_OUT_EPOCHS = 1_000_000;

export type Setup = Omit<Extract<Request, { type: 'init' }>, 'type' | 'run'>;

export interface PlaygroundClientEvents {
  /** A snapshot of the current network: after init, steps, a weight edit or a load. */
  records(snapshot: Snapshot): void;
  /** A request the worker could not do (`request` says which; a failed init or step also stops play). */
  error(message: string, request: Request['type']): void;
  /** Play stopped by itself (a step or the setup failed). */
  stopped(): void;
  /** The worker stopped: why. */
  crashed(why: string): void;
}

/** The clock and timer pacing uses (the page's by default; a test passes a fake). */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const pageClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PlaygroundClientOptions {
  /** The speed setting, read whenever steps are asked for ('max': flat out, else epochs per second). */
  speed(): Speed;
  clock?: Clock;
}

export class PlaygroundClient {
  private readonly worker: WorkerClient<Request, Reply>;
  private readonly clock: Clock;
  private ready = false;
  /** Why the worker could not set the network up, or null. */
  private setupError: string | null = null;
  private isPlaying = false;
  /** Single steps asked for and not sent yet: each click trains its own epoch, however fast they come. */
  private stepsQueued = 0;
  /** The steps asked for and not answered yet, oldest first: their epochs, and whether the pacer asked. */
  private readonly asked: { epochs: number; paced: boolean }[] = [];
  /** Paces training at a set speed (started afresh on play, and when the speed changes). */
  private pacer: Pacer | null = null;
  private timer: unknown = undefined;

  constructor(
    worker: WorkerSource<Request, Reply>,
    private readonly events: PlaygroundClientEvents,
    private readonly options: PlaygroundClientOptions,
  ) {
    this.clock = options.clock ?? pageClock;
    this.worker = new WorkerClient(worker, {
      message: (reply) => this.receive(reply),
      stale: (reply) => {
        this.answered(reply);
        this.pump();
      },
      crashed: (why) => {
        this.ready = false;
        this.setPlaying(false);
        this.events.crashed(why);
      },
    });
  }

  get playing(): boolean {
    return this.isPlaying;
  }

  /** Whether the network is set up (the worker answered the latest init). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Why the network could not be set up (for "Cannot train: …"), or null. */
  get cannotTrain(): string | null {
    return this.setupError ?? this.worker.stoppedBecause;
  }

  /** Sets a network up at epoch 0 (a new run: replies to the ones before are dropped). */
  init(setup: Setup): void {
    this.ready = false;
    this.worker.init({ type: 'init', ...setup });
  }

  /** Trains until paused; false (and nothing changes) when the network cannot train. */
  play(): boolean {
    if (this.cannotTrain !== null) return false;
    this.pacer = null;
    this.setPlaying(true);
    this.pump();
    return true;
  }

  pause(): void {
    this.setPlaying(false);
  }

  /** Pauses, then trains exactly one epoch after any steps in flight. */
  step(): void {
    this.setPlaying(false);
    this.stepsQueued++;
    this.pump();
  }

  /** The speed setting changed: paced play follows it from now. */
  speedChanged(): void {
    this.pacer = null;
    this.pump();
  }

  setSettings(settings: Setup['settings']): void {
    this.worker.send({ type: 'setSettings', settings });
  }

  setWeight(layer: number, from: number, to: number, value: number): void {
    this.worker.send({ type: 'setWeight', layer, from, to, value });
  }

  /** Hands a drawn snapshot's maps back to be written over (transferred: unreadable here after). */
  recycle(maps: Snapshot['maps']): void {
    const buffer = mapsBuffer(maps);
    if (buffer !== null) this.worker.send({ type: 'recycle', buffer }, [buffer]);
  }

  /** The model file of the network now (nnlab's format). */
  save(): Promise<string> {
    return this.worker.ask({ type: 'save' }, (reply) => (reply.type === 'saved' ? { value: reply.text } : failureOf(reply, 'save')));
  }

  /** Loads a model file's weights (rejects, changing nothing, when they do not fit); its snapshot comes as `records`. */
  load(text: string): Promise<void> {
    this.setPlaying(false);
    return this.worker.ask({ type: 'load', text }, (reply) => {
      if (reply.type === 'loaded') return reply.ok ? { value: undefined } : { error: reply.message };
      return failureOf(reply, 'load');
    });
  }

  close(): void {
    this.setPlaying(false);
    this.worker.close();
  }

  private setPlaying(on: boolean): void {
    this.isPlaying = on;
    if (!on) this.clock.clearTimeout(this.timer);
  }

  /** Takes an answered step off the queue; a paced one that trained fewer epochs owes the rest. */
  private answered(reply: Reply): void {
    const isStep = (reply.type === 'records' && reply.cause === 'step') || (reply.type === 'error' && reply.request === 'step');
    if (!isStep) return;
    const step = this.asked.shift();
    if (step?.paced === true) this.pacer?.shortfall(step.epochs, reply.type === 'records' ? reply.records.length : 0);
  }

  private receive(reply: Reply): void {
    this.answered(reply);
    if (reply.type === 'records') {
      if (reply.cause === 'init') [this.ready, this.setupError] = [true, null];
      this.events.records(reply);
    } else if (reply.type === 'error') {
      if (reply.request === 'init') [this.ready, this.setupError] = [false, reply.message];
      if ((reply.request === 'step' || reply.request === 'init') && this.isPlaying) {
        this.setPlaying(false);
        this.events.stopped();
      }
      this.events.error(reply.message, reply.request);
    }
    this.pump();
  }

  /** Asks for the queued single step, or while playing for steps until two are in flight. */
  private pump(): void {
    if (!this.ready || this.worker.stoppedBecause !== null) return;
    if (this.stepsQueued > 0) {
      if (this.asked.length > 0) return;
      this.stepsQueued--;
      this.ask(1, Infinity, false);
      return;
    }
    if (!this.isPlaying) return;
    const speed = this.options.speed();
    while (this.asked.length < 2) {
      if (speed === 'max') {
        this.ask(FLAT_OUT_EPOCHS, FRAME_MS, false);
        continue;
      }
      const now = this.clock.now();
      if (this.pacer === null || this.pacer.perSecond !== Number(speed)) this.pacer = new Pacer(Number(speed), now);
      const next = this.pacer.next(now);
      if ('waitMs' in next) {
        this.clock.clearTimeout(this.timer);
        this.timer = this.clock.setTimeout(() => this.pump(), next.waitMs);
        return;
      }
      this.ask(next.epochs, FRAME_MS, true);
    }
  }

  private ask(epochs: number, budgetMs: number, paced: boolean): void {
    this.asked.push({ epochs, paced });
    this.worker.send({ type: 'step', epochs, budgetMs });
  }
}

/** A worker's error reply to `request`, as a pending request's failure. */
function failureOf(reply: Reply, request: Request['type']): { error: string } | undefined {
  return reply.type === 'error' && reply.request === request ? { error: reply.message } : undefined;
}
