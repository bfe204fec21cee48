/**
 * What captureStep throws when it cannot replay a model (an op without a replay kernel, an op
 * in a configuration its kernel does not cover, dropout drawing masks in training mode), as
 * opposed to a mistake in how it was called. Callers that can train eagerly instead catch this
 * class, not messages.
 */
export class CaptureRefusedError extends Error {
  /** `'CaptureRefusedError'`: error reports and logs show it. */
  override readonly name = 'CaptureRefusedError';
}

/** The refusal of an op the replay cannot run in the form it was traced with, saying why. */
export function refusedOp(op: string, why: string): CaptureRefusedError {
  return new CaptureRefusedError(`captureStep: op '${op}' ${why}; train this model with eager steps instead`);
}
