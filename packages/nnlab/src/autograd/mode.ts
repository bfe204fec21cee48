/**
 * Whether ops record the graph. Off inside `noGrad` and while the backward pass itself runs,
 * so evaluation and gradient arithmetic build no graph and hold no memory.
 */
let recording = true;

/** Whether ops record the graph now: false inside {@link noGrad} and during a backward pass. */
export function isGradEnabled(): boolean {
  return recording;
}

/** Runs `fn` without recording gradients: for evaluation, and for updating parameters in place. */
export function noGrad<T>(fn: () => T): T {
  const previous = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = previous;
  }
}
