import { describe, expect, it } from 'vitest';
import { experiments } from '../../experiments/index.js';
import { EQUATIONS, captionHtml, equationHtml } from './equations.js';

describe('EQUATIONS', () => {
  it.each(experiments.map((e) => e.name))('%s has key equations that KaTeX typesets, with MathML for screen readers', (name) => {
    const equations = EQUATIONS[name];
    expect(equations?.length).toBeGreaterThan(0);
    for (const { tex, caption } of equations) {
      expect(caption.length).toBeGreaterThan(0);
      const html = equationHtml(tex);
      expect(html).toContain('<math');
      expect(html).not.toContain('katex-error');
    }
  });

  it.each(experiments.map((e) => e.name))('%s: captions are words, their math typeset (no raw TeX outside $…$)', (name) => {
    for (const { caption } of EQUATIONS[name]) {
      const words = caption.split('$').filter((_, i) => i % 2 === 0).join(' ');
      expect([caption, /[\\^_{}]/.test(words)]).toEqual([caption, false]);
      expect(caption.split('$').length % 2).toBe(1);
      expect(captionHtml(caption)).not.toContain('katex-error');
    }
  });

  it('captionHtml(caption) typesets $…$ inline with MathML and escapes the words', () => {
    const html = captionHtml(String.raw`a <b> so $\partial a^l$ = I`);
    expect(html.startsWith('a &lt;b&gt; so <span class="katex">')).toBe(true);
    expect(html).toContain('<math');
    expect(html).not.toContain('$');
    expect(html.endsWith(' = I')).toBe(true);
  });

  it('equationHtml(tex) throws on TeX it cannot typeset', () => {
    expect(() => equationHtml(String.raw`\frac{1`)).toThrow();
  });
});
