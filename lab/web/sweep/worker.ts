/** A sweep's Web Worker: runs the tasks the page sends, one at a time, with the same runOne as the CLI. */
import { runOne } from '../../sweep/run.js';
import { answerOf } from '../../sweep/scheduler.js';
import type { AnswerMessage, TaskMessage } from '../../sweep/scheduler.js';

/** The part of a dedicated worker's global scope this file uses (the DOM lib types `self` as a window). */
interface WorkerScope {
  postMessage(message: AnswerMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<TaskMessage>) => void): void;
}
const scope = self as unknown as WorkerScope;

scope.addEventListener('message', ({ data: { id, plan, task } }) => scope.postMessage(answerOf(id, () => runOne(plan, task))));
