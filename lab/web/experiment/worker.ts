/**
 * The training worker: runs one experiment's generator at a time, an epoch at a time, as the
 * page asks (see protocol.ts), so the page never waits for training.
 */
import { findExperiment, resolveConfig } from '../../experiments/index.js';
import type { LabRecord } from '../../experiments/types.js';
import { toWire, type FromWorker, type ToWorker, type WireRecord } from './protocol.js';
import { EpochStepper } from './stepper.js';

/** The part of a dedicated worker's global scope this file uses (the DOM lib types `self` as a window). */
interface WorkerScope {
  postMessage(message: FromWorker, options: { transfer: Transferable[] }): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}
const scope = self as unknown as WorkerScope;

/** The longest stretch of training between two batches (a batch per frame, or so). */
const SLICE_MS = 14;

interface Session {
  run: number;
  /** The latest command handled. */
  command: number;
  stepper: EpochStepper;
  /** Epochs still to do before pausing (step), or Infinity while playing. */
  wanted: number;
  /** While playing: epochs per second (0: no limit), and the clock and epoch the limit counts from. */
  epochsPerSecond: number;
  since: number;
  epochSince: number;
  scheduled: boolean;
}

let session: Session | undefined;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, { transfer });
}

/** Sends `records` with the session's state. */
function send(current: Session, records: LabRecord[]): void {
  const wire: WireRecord[] = [];
  const transfer: Transferable[] = [];
  for (const record of records) {
    const packed = toWire(record);
    wire.push(packed.record);
    transfer.push(...packed.transfer);
  }
  const state = current.stepper.done ? 'done' : current.wanted > 0 ? 'running' : 'paused';
  post({ type: 'records', run: current.run, command: current.command, records: wire, epoch: current.stepper.epoch, state }, transfer);
}

function fail(current: Session, error: unknown): void {
  session = undefined;
  const message = error instanceof Error ? error.message : String(error);
  post({ type: 'error', run: current.run, command: current.command, message });
}

/** How many more epochs the speed limit allows now, and how long to wait when it allows none. */
function allowance(current: Session): { epochs: number; waitMs: number } {
  if (current.epochsPerSecond <= 0 || current.wanted !== Infinity) return { epochs: current.wanted, waitMs: 0 };
  const elapsed = performance.now() - current.since;
  const allowed = Math.floor((elapsed * current.epochsPerSecond) / 1000) - (current.stepper.epoch - current.epochSince);
  const epochs = Math.min(current.wanted, allowed);
  return { epochs, waitMs: epochs > 0 ? 0 : Math.ceil(((1 - epochs) * 1000) / current.epochsPerSecond) };
}

/** A zero-delay turn of the event loop (setTimeout(0) is clamped to 4 ms when nested). */
const channel = new MessageChannel();
channel.port1.onmessage = () => work();

function schedule(current: Session, waitMs: number): void {
  if (current.scheduled) return;
  current.scheduled = true;
  if (waitMs > 0) setTimeout(() => work(), waitMs);
  else channel.port2.postMessage(null);
}

/** Trains for one slice of time (or until the wanted epochs are done), then sends the batch. */
function work(): void {
  const current = session;
  if (current === undefined) return;
  current.scheduled = false;
  if (current.wanted <= 0 || current.stepper.done) return;
  const { epochs, waitMs } = allowance(current);
  const records: LabRecord[] = [];
  const end = performance.now() + SLICE_MS;
  let done = 0;
  try {
    while (done < epochs && !current.stepper.done && performance.now() < end) {
      records.push(...current.stepper.next());
      done++;
    }
  } catch (error) {
    fail(current, error);
    return;
  }
  if (current.wanted !== Infinity) current.wanted -= done;
  if (current.stepper.done) current.wanted = 0;
  if (records.length > 0 || current.wanted === 0) send(current, records);
  if (current.wanted > 0) schedule(current, done < epochs ? 0 : waitMs);
}

function handle(message: ToWorker): void {
  if (message.type === 'init') {
    let current: Session;
    try {
      const experiment = findExperiment(message.experiment);
      const config = resolveConfig(experiment, message.config);
      current = { run: message.run, command: message.command, stepper: new EpochStepper(experiment.run(config, message.seed)), wanted: 0, epochsPerSecond: 0, since: 0, epochSince: 0, scheduled: false };
    } catch (error) {
      post({ type: 'error', run: message.run, command: message.command, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    session = current;
    try {
      send(current, current.stepper.next());
    } catch (error) {
      fail(current, error);
    }
    return;
  }
  const current = session;
  if (current === undefined || current.run !== message.run) return;
  current.command = message.command;
  switch (message.type) {
    case 'step':
      current.wanted = current.wanted === Infinity ? message.epochs : current.wanted + message.epochs;
      break;
    case 'play':
      current.wanted = Infinity;
      current.epochsPerSecond = message.epochsPerSecond;
      current.since = performance.now();
      current.epochSince = current.stepper.epoch;
      break;
    case 'pause':
      current.wanted = 0;
      send(current, []);
      return;
    case 'continue':
      current.wanted = 0;
      current.stepper.extend(message.epochs);
      send(current, []);
      return;
  }
  if (current.stepper.done) send(current, []);
  else schedule(current, 0);
}

scope.addEventListener('message', (event) => handle(event.data));
