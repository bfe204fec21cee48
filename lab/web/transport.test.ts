/** The transport in Node, on linkedom's DOM: clicks and key presses are dispatched events, nothing waits. */
import { parseHTML } from 'linkedom';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Transport } from './transport.js';

let window: ReturnType<typeof parseHTML>;
let calls: string[];
let transport: Transport;

beforeAll(() => {
  window = parseHTML('<!doctype html><html><body></body></html>');
  vi.stubGlobal('document', window.document);
  vi.stubGlobal('HTMLElement', window.HTMLElement);
});
afterAll(() => vi.unstubAllGlobals());

beforeEach(() => {
  window.document.body.replaceChildren();
  calls = [];
  transport = new Transport({ play: () => calls.push('play'), pause: () => calls.push('pause'), step: () => calls.push('step'), reset: () => calls.push('reset') });
  window.document.body.append(...transport.buttons, transport.status, window.document.createElement('input'));
});
afterEach(() => transport.dispose()); // else every test's transport would hear the next test's keys

/** Presses `key` with the focus on `target` (the body by default); returns whether the page took it. */
function press(key: string, target: EventTarget = window.document.body, modifiers: { ctrlKey?: boolean } = {}): boolean {
  const event = Object.assign(new window.Event('keydown', { bubbles: true, cancelable: true }), { key, ctrlKey: false, metaKey: false, altKey: false, ...modifiers });
  target.dispatchEvent(event);
  return event.defaultPrevented;
}

describe('Transport', () => {
  it('each button calls its action', () => {
    for (const button of transport.buttons) button.click();
    expect(calls).toEqual(['play', 'pause', 'step', 'reset']);
  });

  it('show({ playing }) shows pause instead of play, and back', () => {
    expect([transport.play.hidden, transport.pause.hidden]).toEqual([false, true]);
    transport.show({ playing: true, canPlay: true, canStep: false });
    expect([transport.play.hidden, transport.pause.hidden, transport.step.disabled, transport.playing]).toEqual([true, false, true, true]);
    transport.show({ playing: false, canPlay: false, canStep: false });
    expect([transport.play.hidden, transport.play.disabled, transport.pause.hidden]).toEqual([false, true, true]);
  });

  it('space plays, or pauses while playing; → steps; both only where they apply', () => {
    expect(press(' ')).toBe(true);
    transport.show({ playing: true, canPlay: true, canStep: true });
    press(' ');
    transport.show({ playing: false, canPlay: true, canStep: true });
    press('ArrowRight');
    transport.show({ playing: false, canPlay: false, canStep: false }); // a finished run
    expect(press(' ')).toBe(true);
    press('ArrowRight');
    expect(calls).toEqual(['play', 'pause', 'step']);
  });

  it('keys do nothing with a modifier, in a field, or (space) on a button, which space presses already', () => {
    const input = window.document.querySelector('input')!;
    expect(press(' ', window.document.body, { ctrlKey: true })).toBe(false);
    expect(press(' ', input)).toBe(false);
    expect(press('ArrowRight', input)).toBe(false);
    expect(press(' ', transport.reset)).toBe(false);
    expect(press('ArrowRight', transport.reset)).toBe(true); // → on a button still steps
    expect(calls).toEqual(['step']);
  });

  it('dispose() removes the key listener: a disposed page hears no keys', () => {
    transport.dispose();
    expect(press(' ')).toBe(false);
    expect(press('ArrowRight')).toBe(false);
    expect(calls).toEqual([]);
  });

  it("say(message, 'error') marks the status line as an error; a later note clears the mark", () => {
    transport.say('The run stopped: the loss diverged', 'error');
    expect([transport.status.textContent, transport.status.classList.contains('status-error')]).toEqual(['The run stopped: the loss diverged', true]);
    transport.say('Training…');
    expect([transport.status.textContent, transport.status.classList.contains('status-error')]).toEqual(['Training…', false]);
  });
});
