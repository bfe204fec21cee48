/**
 * two-layer's rule across options on its page: the square with fewer than 3 hidden units is said
 * next to the controls (not in the notices at the top), and Play and Step stay disabled until
 * an option is changed. The same message as `nnlab run` prints (test/lab/square-rule.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { findExperiment, resolveValues, ruleMessage } from '../../lab/experiments/index.js';
import { hasBrowser, screenshot, settled, useLab } from './harness.js';

describe.skipIf(!hasBrowser)('browser lab: two-layer refuses the square with fewer than 3 hidden units', () => {
  const lab = useLab();
  const experiment = findExperiment('two-layer');
  const message = (hidden: number) => ruleMessage(experiment, experiment.rules![0], resolveValues(experiment, { dataset: 'square', hidden }));

  it('choosing square with 2 hidden units: the reason under the hidden control, Play and Step disabled, until hidden is 3', async () => {
    const { page, errors } = await lab.open('?page=two-layer&seed=1', { width: 1280, height: 900 });
    await settled(page);
    await page.getByTestId('option-dataset').selectOption('square');
    await expect.poll(() => page.getByTestId('error-hidden').textContent()).toBe(message(2));
    expect(await page.getByTestId('option-hidden').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('option-dataset').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('error-dataset').textContent()).toBe(''); // said once, under the option to change
    expect(await page.getByTestId('url-error').textContent()).toBe(''); // nothing at the top
    expect(await page.getByTestId('play').isDisabled()).toBe(true);
    expect(await page.getByTestId('step').isDisabled()).toBe(true);
    expect(await page.getByTestId('status').textContent()).toContain('Not started');
    expect(await page.getByTestId('heatmap-Output').isVisible()).toBe(false); // no maps of the XOR run before
    await page.keyboard.press('Space'); // the key does not start it either
    expect(await page.evaluate(() => window.__nnlab!.running())).toBe(false);
    await screenshot(page, 'two-layer-square-needs-3');

    await page.getByTestId('option-hidden').fill('1');
    await page.getByTestId('option-hidden').press('Tab');
    await expect.poll(() => page.getByTestId('error-hidden').textContent()).toBe(message(1));

    await page.getByTestId('option-hidden').fill('3');
    await page.getByTestId('option-hidden').press('Tab');
    await expect.poll(() => page.getByTestId('error-hidden').textContent()).toBe('');
    expect(await page.getByTestId('option-dataset').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByTestId('play').isDisabled()).toBe(false);
    await page.getByTestId('step').click();
    await page.waitForFunction(() => window.__nnlab!.idle!() && window.__nnlab!.epoch() === 1);
    expect(await page.getByTestId('heatmap-Output').isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.get('hidden')).toBe('3');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an address with dataset=square and the default 2 hidden units opens with the reason shown and nothing running', async () => {
    const { page, errors } = await lab.open('?page=two-layer&dataset=square');
    await page.getByTestId('error-hidden').waitFor();
    expect(await page.getByTestId('error-hidden').textContent()).toBe(message(2));
    expect(await page.getByTestId('play').isDisabled()).toBe(true);
    expect(await page.getByTestId('status').textContent()).toContain('Not started');
    // Back to XOR: the reason goes and the run starts at epoch 0.
    await page.getByTestId('option-dataset').selectOption('xor');
    await settled(page);
    expect(await page.getByTestId('error-hidden').textContent()).toBe('');
    expect(await page.getByTestId('play').isDisabled()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
