/**
 * "Each page's numbers match `nnlab run <experiment> --json`", as the landing page promises: every
 * experiment, run in real Chromium on small settings, ends with exactly the summary the CLI prints
 * for the same options, to the last bit. The page and the CLI share one arithmetic because the lab
 * pins its matrix kernel (lab/experiments/arithmetic.ts) and computes exp, log, tanh… with the
 * library's own functions (src/math), not the engine's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { experiments } from '../../lab/experiments/index.js';
import type { RunSummary } from '../../lab/experiments/index.js';
import { SMALL_RUNS } from '../lab/small-runs.js';
import { ROOT, hasBrowser, settled, useLab } from './harness.js';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function cliSummary(name: string, options: Record<string, unknown>): RunSummary {
  const args = Object.entries(options).flatMap(([option, value]) => [`--${kebab(option)}`, String(value)]);
  const { verdict: _verdict, ...summary } = JSON.parse(execFileSync(process.execPath, ['lab/bin/nnlab.js', 'run', name, ...args, '--json'], { cwd: ROOT, encoding: 'utf8' })) as RunSummary & { verdict?: unknown };
  return summary;
}

describe.skipIf(!hasBrowser)('browser lab: every page ends with the CLI’s numbers', () => {
  const lab = useLab();

  it('covers every experiment of the registry', () => {
    expect(Object.keys(SMALL_RUNS).sort()).toEqual(experiments.map((e) => e.name).sort());
  });

  it.each(Object.entries(SMALL_RUNS))('%s: the page’s summary equals nnlab run --json, bit for bit', async (name, options) => {
    const query = Object.entries(options).map(([option, value]) => `&${kebab(option)}=${value}`).join('');
    const { page, errors } = await lab.open(`?page=${name}${query}&speed=max`, { width: 1280, height: 900 });
    await settled(page);
    // Training pages run to the end; the others (activations, bce, backprop) show their result at once.
    if ((await page.getByTestId('play').count()) > 0) {
      await page.getByTestId('play').click();
      await page.waitForFunction(() => window.__nnlab!.done());
    }
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-summary').click()]);
    const fromPage = JSON.parse(readFileSync(await download.path(), 'utf8')) as RunSummary;
    expect(fromPage).toEqual(cliSummary(name, options));
    expect(errors).toEqual([]);
    await page.close();
  });
});
