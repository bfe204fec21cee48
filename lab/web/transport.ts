/**
 * The play / pause / step / reset buttons of a training page, their keys and its status line:
 * one for every training page (the experiments' and the playground). Runs in the browser.
 *
 * Space plays or pauses and → steps one epoch, unless a modifier is held or the focus is where
 * that key already does something (a field, a button, a link). Play and pause share a place:
 * only the one that applies shows. The page says what each action does, tells the transport
 * which apply (`show`), and disposes it when it unmounts, which removes the key listener.
 *
 *     const transport = new Transport({ play, pause, step, reset });
 *     toolbar.append(...transport.buttons);
 *     transport.show({ playing: true, canPlay: true, canStep: true });
 *     transport.say('the run stopped: …', 'error');
 */
import { h, isTyping, usesSpace } from './dom.js';

export interface TransportActions {
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
}

export interface TransportState {
  playing: boolean;
  /** Whether play (and space) may start training: false once a run is done or failed. */
  canPlay: boolean;
  /** Whether step (and →) may train an epoch. */
  canStep: boolean;
}

export class Transport {
  readonly play = h('button', { type: 'button', class: 'transport-main', 'data-testid': 'play', title: 'Train until paused (space)' }, '▶ Play');
  readonly pause = h('button', { type: 'button', class: 'transport-main', 'data-testid': 'pause', title: 'Pause training (space)', hidden: true }, '❚❚ Pause');
  readonly step = h('button', { type: 'button', 'data-testid': 'step', title: 'Train exactly one epoch (→)' }, 'Step ▸');
  readonly reset = h('button', { type: 'button', 'data-testid': 'reset', title: 'Back to epoch 0: same settings, same seed, same starting weights' }, '↺ Reset');
  /** The status line: what the run is doing, or why it cannot. */
  readonly status = h('p', { class: 'status', role: 'status', 'data-testid': 'status' });
  private state: TransportState = { playing: false, canPlay: true, canStep: true };
  private readonly onKey = (event: Event) => this.key(event as KeyboardEvent);

  constructor(
    private readonly actions: TransportActions,
    /** Where key presses are heard. */
    private readonly keys: EventTarget = document,
  ) {
    this.play.addEventListener('click', () => this.actions.play());
    this.pause.addEventListener('click', () => this.actions.pause());
    this.step.addEventListener('click', () => this.actions.step());
    this.reset.addEventListener('click', () => this.actions.reset());
    keys.addEventListener('keydown', this.onKey);
  }

  /** The four buttons, in their order on the page. */
  get buttons(): HTMLButtonElement[] {
    return [this.play, this.pause, this.step, this.reset];
  }

  get playing(): boolean {
    return this.state.playing;
  }

  /** Shows which actions apply; the focus follows from play to pause (and back) as they swap. */
  show(state: TransportState): void {
    const focused = (this.play.ownerDocument as Document | null)?.activeElement;
    const hadFocus = focused === this.play || focused === this.pause;
    this.state = { ...state };
    this.play.hidden = state.playing;
    this.pause.hidden = !state.playing;
    this.play.disabled = !state.canPlay;
    this.step.disabled = !state.canStep;
    if (hadFocus) (state.playing ? this.pause : this.play).focus();
  }

  /** Writes the status line (an error is marked so, for colour and for tests). */
  say(message: string, tone: 'note' | 'error' = 'note'): void {
    this.status.textContent = message;
    this.status.classList.toggle('status-error', tone === 'error');
  }

  /** Removes the key listener (the buttons go with the page). */
  dispose(): void {
    this.keys.removeEventListener('keydown', this.onKey);
  }

  private key(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.key === ' ' && !usesSpace(event.target)) {
      event.preventDefault();
      if (this.state.playing) this.actions.pause();
      else if (this.state.canPlay) this.actions.play();
    } else if (event.key === 'ArrowRight' && !isTyping(event.target)) {
      event.preventDefault();
      if (this.state.canStep) this.actions.step();
    }
  }
}
