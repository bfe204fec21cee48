/**
 * The backprop page in a real browser: it loads cleanly, Next and Back walk the backward pass
 * one edge at a time (the highlighted edge and the readout follow), and at the end every
 * parameter's walked gradient equals the gradient-check table's backprop column.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasBrowser, hook, screenshot, useLab } from './harness.js';

describe.skipIf(!hasBrowser)('browser lab: the backprop page', () => {
  const lab = useLab();
  const open = (query = '') => lab.open(`?page=backprop${query}`, { width: 1280, height: 1000 });

  const step = async (page: Page) => (await hook(page)).step;
  const readout = (page: Page) => page.getByTestId('step').textContent();
  const currentEdge = (page: Page) => page.locator('[data-testid="network"] .edge.current').getAttribute('data-edge');
  const currentEdges = (page: Page) => page.locator('[data-testid="network"] .edge.current').count();

  it('loads with no console error, at step 0 with Back disabled', async () => {
    const { page, errors } = await open();
    expect((await hook(page)).page).toBe('backprop');
    expect(await step(page)).toBe(0);
    expect(await readout(page)).toBe('0');
    expect(await page.getByTestId('back').isDisabled()).toBe(true);
    expect(await currentEdges(page)).toBe(0);
    await screenshot(page, 'backprop');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Next advances one edge, moving the highlighted edge and the readout; Back goes back', async () => {
    const { page, errors } = await open();
    await page.getByTestId('next').click();
    expect(await step(page)).toBe(1);
    expect(await readout(page)).toBe('1');
    expect(await page.getByTestId('edge').textContent()).toBe('L → a(y)');
    expect(await currentEdge(page)).toBe('y→L');

    // Step 2 stays inside the output unit (through its sigmoid): no edge, the unit is marked.
    await page.getByTestId('next').click();
    expect(await step(page)).toBe(2);
    expect(await currentEdges(page)).toBe(0);
    expect(await page.locator('[data-unit="y"].target').count()).toBe(1);

    // Steps 3 (the bias) then 4: the first weight into the output, whose gradient completes.
    await page.getByTestId('next').click();
    await page.getByTestId('next').click();
    expect(await readout(page)).toBe('4');
    expect(await page.getByTestId('edge').textContent()).toBe('z(y) → w(h0→y)');
    expect(await currentEdge(page)).toBe('h0→y');
    expect(await page.getByTestId('arithmetic').textContent()).toContain('complete');
    const walked = page.locator('tr[data-parameter="output.weight[0][0]"] [data-testid="walked"]');
    expect(await walked.textContent()).not.toBe('');
    await screenshot(page, 'backprop-step-4');

    await page.getByTestId('back').click();
    expect(await step(page)).toBe(3);
    expect(await readout(page)).toBe('3');
    expect(await walked.textContent()).toBe('');
    expect(await currentEdges(page)).toBe(0);

    // The arrow keys do the same as the buttons.
    await page.keyboard.press('ArrowRight');
    expect(await step(page)).toBe(4);
    expect(await currentEdge(page)).toBe('h0→y');
    await page.keyboard.press('ArrowLeft');
    expect(await step(page)).toBe(3);

    await page.getByTestId('reset').click();
    expect(await step(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an input summing two contributions shows both in its arithmetic', async () => {
    const { page } = await open();
    for (let k = 0; k < 19; k++) await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('edge').textContent()).toBe('z(h1) → x1');
    // ∂L/∂x1 = (from h0) + (from h1): the sum is spelled out, then marked complete.
    expect(await page.getByTestId('arithmetic').textContent()).toMatch(/∂L\/∂x1 = -?[\d.]+ [+−] [\d.]+ = -?[\d.]+ \(complete/);
    await page.close();
  });

  it('changing an option redraws the network and keeps the step', async () => {
    const { page, errors } = await open();
    for (let k = 0; k < 5; k++) await page.getByTestId('next').click();
    const before = await page.getByTestId('gradient-check').textContent();
    await page.getByTestId('option-activation').selectOption('tanh');
    await page.waitForFunction(() => location.search.includes('activation=tanh'));
    expect(await step(page)).toBe(5);
    expect(await page.getByTestId('gradient-check').textContent()).not.toBe(before);
    // Arrow keys in a focused select choose options, not steps.
    await page.getByTestId('option-activation').press('ArrowRight');
    expect(await step(page)).toBe(5);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('after the last step every walked parameter gradient equals the backprop column, and Next is disabled', async () => {
    const { page, errors } = await open('&hidden=3&activation=tanh');
    const total = Number(await page.getByTestId('steps').textContent());
    // 1 + 1 + (1 + 3 + 3) into the output, then per hidden unit 1 + 1 + 2 + 2.
    expect(total).toBe(9 + 3 * 6);
    for (let k = 0; k < total; k++) await page.keyboard.press('ArrowRight');
    expect(await step(page)).toBe(total);
    expect(await page.getByTestId('next').isDisabled()).toBe(true);
    const rows = await page.locator('[data-testid="gradient-check"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        walked: tr.querySelector('[data-testid="walked"]')!.getAttribute('data-value'),
        walkedText: tr.querySelector('[data-testid="walked"]')!.textContent,
        backprop: tr.querySelector('[data-testid="backprop"]')!.getAttribute('data-value'),
        backpropText: tr.querySelector('[data-testid="backprop"]')!.textContent,
      })),
    );
    // 2 × 3 weights into the hidden units, 3 hidden biases, 3 weights into y and its bias.
    expect(rows).toHaveLength(2 * 3 + 3 + 3 + 1);
    for (const row of rows) {
      expect(row.walked).not.toBeNull();
      expect(row.walkedText).toBe(row.backpropText);
      const [w, b] = [Number(row.walked), Number(row.backprop)];
      expect(Math.abs(w - b)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(w), Math.abs(b)));
    }
    await screenshot(page, 'backprop-done');
    expect(errors).toEqual([]);
    await page.close();
  });
});
