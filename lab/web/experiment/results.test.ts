/** The verdict line on a page, on linkedom's DOM: backticked commands become <code>, built as nodes, never markup. */
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Verdict } from '../../experiments/verdict.js';
import { codeSpans, verdictElement } from './results.js';

let window: ReturnType<typeof parseHTML>;
beforeAll(() => {
  window = parseHTML('<!doctype html><html><body></body></html>');
  vi.stubGlobal('document', window.document);
});
afterAll(() => vi.unstubAllGlobals());

const verdict = (text: string): Verdict => ({ solved: false, variants: [{ variant: 'train', solved: false, stalledAt: 0.126, text }], text });

describe('verdictElement(verdict)', () => {
  it('shows each backticked part as <code> and the rest as text, with the CLI line as its text', () => {
    const text = 'stuck at 0.126: two hidden units drew the same line — try another seed or `--hidden 3`';
    const element = verdictElement(verdict(text));
    expect(element.getAttribute('data-testid')).toBe('verdict');
    expect(element.innerHTML).toBe('verdict: stuck at 0.126: two hidden units drew the same line — try another seed or <code>--hidden 3</code>');
    // Read aloud or copied, the line is the terminal's without its backticks.
    expect(element.textContent).toBe(`verdict: ${text.replace(/`/g, '')}`);
  });

  it('builds nodes, never parses markup: a verdict holding "<img onerror>" shows it as text', () => {
    const element = verdictElement(verdict('stuck at 1: <img src=x onerror=alert(1)> — try `<b>x</b>`'));
    expect(element.querySelector('img')).toBeNull();
    expect(element.querySelector('b')).toBeNull();
    expect(element.querySelector('code')!.textContent).toBe('<b>x</b>');
    expect(element.textContent).toBe('verdict: stuck at 1: <img src=x onerror=alert(1)> — try <b>x</b>');
  });
});

describe('codeSpans(text)', () => {
  const shape = (text: string) => codeSpans(text).map((part) => (typeof part === 'string' ? part : `<${part.tagName.toLowerCase()}>${part.textContent}`));

  it('splits at pairs of backticks; several pairs; none', () => {
    expect(shape('try `--hidden 2`')).toEqual(['try ', '<code>--hidden 2']);
    expect(shape('`a` or `b`.')).toEqual(['<code>a', ' or ', '<code>b', '.']);
    expect(shape('solved')).toEqual(['solved']);
  });

  it('keeps an unmatched backtick as a backtick', () => {
    expect(shape('a `b` c `d')).toEqual(['a ', '<code>b', ' c `d']);
    expect(shape('it costs `1')).toEqual(['it costs `1']);
  });
});
