/** The check from a Web Worker: there the caller waits for the kernel's threads in Atomics.wait. */
import { checkThreads } from './check.js';

void checkThreads().then((result) => postMessage(result));
