/** The experiment page's verdict line: the same text `nnlab run` prints last, from the same records. */
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig, verdictOf } from '../../lab/experiments/index.js';
import { hasBrowser, screenshot, settled, useLab } from './harness.js';

describe.skipIf(!hasBrowser)('browser lab: verdict line', () => {
  const lab = useLab();

  it('two-layer seed 10 ends with the CLI\'s verdict: stuck at 0.126, and why', async () => {
    const experiment = findExperiment('two-layer');
    const expected = verdictOf([...experiment.run(resolveConfig(experiment, {}), 10)])!;
    expect(expected.solved).toBe(false);
    const { page, errors } = await lab.open('?page=two-layer&seed=10&report-every=20&speed=max', { width: 1280, height: 900 });
    await settled(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    const line = page.getByTestId('verdict');
    await line.waitFor();
    // The CLI's line, its backticked command shown as code (the backticks are the terminal's way).
    expect(expected.text).toContain('`--hidden 3`');
    expect(await line.textContent()).toBe(`verdict: ${expected.text.replace(/`/g, '')}`);
    expect(await line.locator('code').allTextContents()).toEqual(['--hidden 3']);
    await line.scrollIntoViewIfNeeded();
    await screenshot(page, 'two-layer-verdict');
    expect(errors).toEqual([]);
    await page.close();
  });
});
