import { describe, expect, it } from 'vitest';
import { experiments } from '../../experiments/index.js';
import { EQUATIONS, equationHtml } from './equations.js';

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

  it('equationHtml(tex) throws on TeX it cannot typeset', () => {
    expect(() => equationHtml(String.raw`\frac{1`)).toThrow();
  });
});
