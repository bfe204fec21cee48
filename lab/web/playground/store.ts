/** What the panels need from the page: the state, and a way to apply an edit to it. */
import type { Outcome } from './transitions.js';
import type { PlaygroundState } from './url-state.js';

/**
 * How an accepted edit takes effect: 'reset' rebuilds the network and data in the worker (epoch
 * 0, same seed, same start), 'settings' changes the running training, 'view' only redraws.
 */
export type EditKind = 'reset' | 'settings' | 'view';

export interface Store {
  get(): PlaygroundState;
  /**
   * Applies an accepted edit (updating the address and every panel; its note, if any, goes to
   * the status line) and returns null, or returns a refused edit's message, which the control
   * that made it shows beside itself.
   */
  apply(outcome: Outcome, kind: EditKind): string | null;
}

/** A section of the playground page that shows the state (its controls follow every edit). */
export interface PlaygroundPanel {
  element: HTMLElement;
  sync(state: PlaygroundState): void;
}
