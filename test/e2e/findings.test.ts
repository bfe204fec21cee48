/**
 * The experiment page's findings (what the run showed, filled from its records) are the sentence
 * `nnlab run` prints for the same run: computed in the page from the page's own records.
 */
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveConfig } from '../../lab/experiments/index.js';
import type { FinalRecord } from '../../lab/experiments/index.js';
import { findingsOf } from '../../lab/experiments/claims/index.js';
import { hasBrowser, screenshot, settled, useLab } from './harness.js';

function cliFindings(name: string): string {
  const experiment = findExperiment(name);
  const config = resolveConfig(experiment);
  const final = [...experiment.run(config, 1)].find((r): r is FinalRecord => r.kind === 'final')!;
  return findingsOf(name, config, final)!;
}

describe.skipIf(!hasBrowser)('browser lab: findings', () => {
  const lab = useLab();

  it.each(['exploding-gradients', 'annealing-vs-descent'])('%s (defaults, seed 1): the page’s findings are the CLI’s', async (name) => {
    const expected = cliFindings(name);
    const { page, errors } = await lab.open(`?page=${name}&speed=max`, { width: 1280, height: 900 });
    await settled(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    const findings = page.getByTestId('findings');
    await findings.waitFor();
    expect(await findings.textContent()).toBe(expected);
    await findings.scrollIntoViewIfNeeded();
    await screenshot(page, `${name}-findings`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
