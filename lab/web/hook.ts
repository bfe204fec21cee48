/**
 * The read-only test hook: `window.__nnlab` tells a browser test which page is shown and how
 * far its run is, without reading the DOM.
 *
 *     await page.waitForFunction(() => window.__nnlab?.done());
 *     const error = await page.evaluate(() => window.__nnlab!.error());
 */
export interface NnlabHook {
  /** 'landing', 'playground', 'not-found' or the experiment's name. */
  readonly page: string;
  /** The epoch shown (0 before training and for experiments without training). */
  epoch(): number;
  /** The latest training error shown, undefined before any. */
  error(): number | undefined;
  /** Whether training is playing. */
  running(): boolean;
  /** Records received from the run so far. */
  records(): number;
  /** Whether the run has finished (its final record arrived). */
  done(): boolean;
  /** Live redraws so far (heat maps, curve and numbers drawn in one animation frame). */
  frames(): number;
  /** Pages that walk through a computation (backprop): the step shown, 0 before the first. */
  step(): number;
}

declare global {
  interface Window {
    __nnlab?: NnlabHook;
  }
}

const idle = { epoch: () => 0, error: () => undefined, running: () => false, records: () => 0, done: () => false, frames: () => 0, step: () => 0 };

/** installHook({ page, … }) sets window.__nnlab (functions not given read as an idle page). */
export function installHook(hook: Partial<NnlabHook> & { page: string }): void {
  window.__nnlab = Object.freeze({ ...idle, ...hook });
}
