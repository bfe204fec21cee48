/** A Node worker thread of a sweep (Node only): runs the tasks its parent sends, one at a time. */
import { parentPort } from 'node:worker_threads';
import { runOne } from './run.js';
import { answerOf } from './scheduler.js';
import type { TaskMessage } from './scheduler.js';

if (parentPort === null) throw new Error('lab/sweep/node-worker.ts runs as a worker thread (see pool.ts)');
const port = parentPort;
port.on('message', ({ id, plan, task }: TaskMessage) => port.postMessage(answerOf(id, () => runOne(plan, task))));
