/**
 * The test hook: `window.__nnlab` tells a browser test which page is shown and how far its run
 * is, without reading the DOM; and the sweep page can be told to hold its workers at a known
 * point, so a test drives it to the state it checks instead of racing the workers. Unused,
 * it changes nothing a page does.
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
  /**
   * The sweep page: the next Start runs until `runs` of the sweep's runs are done (counting
   * those kept from before), then holds, with no run in flight, until Stop. Other pages throw.
   * (Optional in the type so pages with their own hook type need not name it; installHook
   * always sets it.)
   */
  holdAfter?(runs: number): void;
  /** The sweep page: whether it is holding (see holdAfter); false elsewhere. */
  held?(): boolean;
  /**
   * Training pages: false while playing or while a step is under way; true once a step's
   * epochs have all arrived, so the epoch shown stays put until the next command. True on
   * other pages.
   */
  idle?(): boolean;
}

declare global {
  interface Window {
    __nnlab?: NnlabHook;
  }
}

const idle = { epoch: () => 0, error: () => undefined, running: () => false, records: () => 0, done: () => false, frames: () => 0, step: () => 0, held: () => false, idle: () => true };

/** installHook({ page, … }) sets window.__nnlab (functions not given read as an idle page). */
export function installHook(hook: Partial<NnlabHook> & { page: string }): void {
  const holdAfter = () => {
    throw new Error(`__nnlab.holdAfter: the ${hook.page} page has no runs to hold (only the sweep page has)`);
  };
  window.__nnlab = Object.freeze({ ...idle, holdAfter, ...hook });
}
