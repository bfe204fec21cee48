/**
 * A page's numbers are the CLI's in a browser that cannot fuse a multiply-add. Chromium 156 has
 * no switch that removes relaxed SIMD (it shipped in V8 11.4 and its flag went; both
 * `--no-experimental-wasm-relaxed-simd` and `--no-wasm-relaxed-simd` are accepted and ignored:
 * relaxed modules still validate), so the browser runs with V8's `--no-enable-fma3`, which makes
 * the engine compute `f32x4.relaxed_madd` as a multiply, rounded, then an add, rounded: the
 * arithmetic of a browser without relaxed SIMD, whose kernel multiplies and adds. The first test
 * checks that in a page; the second runs an experiment whose numbers FMA changes and compares
 * everything it ends with against `nnlab run --json` (Node, which has FMA).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setWasmGemmFma } from 'nnlab';
import { resolveConfig } from '../../lab/experiments/index.js';
import type { Experiment, RunSummary } from '../../lab/experiments/index.js';
import { summarize } from '../../lab/experiments/summary.js';
import { vanishingGradients } from '../../lab/experiments/vanishing-gradients.js';
import { buildGemmModule } from '../../packages/nnlab/src/kernels/wasm/module.js';
import { DEFAULT_WASM_GEMM_CONFIG } from '../../packages/nnlab/src/kernels/wasm/gemm-code.js';
import type { Page } from 'playwright-core';
import { ROOT, hasBrowser, launchBrowser, screenshot, settled, useLab } from './harness.js';

/** V8 computes relaxed_madd unfused without FMA3 (x64), as a CPU without FMA would. */
const NO_FMA = '--js-flags=--no-enable-fma3';

/**
 * A module exporting m(a, b, c) = lane 0 of f32x4.relaxed_madd(splat a, splat b, splat c),
 * written out byte by byte: type (f32, f32, f32) → f32, one function, exported as "m".
 */
const MADD_MODULE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7d, 0x7d, 0x7d, 0x01, 0x7d, // type section
  0x03, 0x02, 0x01, 0x00, // function section
  0x07, 0x05, 0x01, 0x01, 0x6d, 0x00, 0x00, // export "m"
  0x0a, 0x16, 0x01, 0x14, 0x00, // code section, one body, no locals
  0x20, 0x00, 0xfd, 0x13, 0x20, 0x01, 0xfd, 0x13, 0x20, 0x02, 0xfd, 0x13, // local.get i; f32x4.splat
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0x105)
  0xfd, 0x1f, 0x00, // f32x4.extract_lane 0
  0x0b,
];

/**
 * (1 + 2⁻¹²)² − (1 + 2⁻¹¹) is exactly 2⁻²⁴. Fused, madd gives that; unfused, the product
 * rounds to 1 + 2⁻¹¹ (the 2⁻²⁴ is half an ulp, a tie to even) and the sum is 0.
 */
const A = 1 + 2 ** -12;
const C = -(1 + 2 ** -11);

interface Probe {
  relaxedValidates: boolean;
  gemmFmaValidates: boolean;
  madd: number;
}

/** What `page`'s engine does with relaxed SIMD: validates it (a tiny module and the GEMM kernel's FMA build), and computes madd. */
async function probe(page: Page): Promise<Probe> {
  const gemmFma = Array.from(buildGemmModule({ ...DEFAULT_WASM_GEMM_CONFIG, fma: true }));
  return page.evaluate(
      async ({ madd, gemm, a, c }) => {
        const bytes = new Uint8Array(madd);
        const { instance } = await WebAssembly.instantiate(bytes);
        const m = instance.exports.m as (a: number, b: number, c: number) => number;
        return { relaxedValidates: WebAssembly.validate(bytes), gemmFmaValidates: WebAssembly.validate(new Uint8Array(gemm)), madd: m(a, a, c) };
      },
    { madd: MADD_MODULE, gemm: gemmFma, a: A, c: C },
  );
}

/** The page's run and the CLI's: vanishing-gradients for 50 epochs, where FMA moves tanh's error by 0.008. */
const OPTIONS = { epochs: 50, 'report-every': 50, resolution: 10 };

function cliSummary(): RunSummary {
  const args = Object.entries(OPTIONS).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const { verdict: _verdict, ...summary } = JSON.parse(execFileSync(process.execPath, ['lab/bin/nnlab.js', 'run', 'vanishing-gradients', ...args, '--json'], { cwd: ROOT, encoding: 'utf8' })) as RunSummary & { verdict?: unknown };
  return summary;
}

describe.skipIf(!hasBrowser)('browser lab: the same numbers where multiply-add cannot fuse', () => {
  const lab = useLab({ browserArgs: [NO_FMA] });

  it(`${NO_FMA} makes relaxed_madd round twice; Chromium keeps relaxed SIMD either way`, async () => {
    const flaggedPage = await lab.newPage();
    expect(await probe(flaggedPage)).toEqual({ relaxedValidates: true, gemmFmaValidates: true, madd: 0 });
    await flaggedPage.close();
    // The same machine without the flag fuses: the flag is what makes the difference.
    const plain = await launchBrowser();
    try {
      expect(await probe(await plain.newPage())).toEqual({ relaxedValidates: true, gemmFmaValidates: true, madd: 2 ** -24 });
    } finally {
      await plain.close();
    }
  });

  it('vanishing-gradients (50 epochs): the page ends with exactly what nnlab run --json prints, which FMA would change', async () => {
    const query = Object.entries(OPTIONS).map(([name, value]) => `&${name}=${value}`).join('');
    const { page, errors } = await lab.open(`?page=vanishing-gradients${query}&speed=max`, { width: 1280, height: 900 });
    await settled(page);
    await page.getByTestId('play').click();
    await page.waitForFunction(() => window.__nnlab!.done());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-summary').click()]);
    const fromPage = JSON.parse(readFileSync(await download.path(), 'utf8')) as RunSummary;
    await screenshot(page, 'vanishing-gradients-no-fma');

    const cli = cliSummary();
    const last = (s: RunSummary) => ({ train: s.history.at(-1)!.error, ...Object.fromEntries(Object.entries(s.comparisons ?? {}).map(([name, points]) => [name, points.at(-1)!.error])) });
    expect(last(fromPage)).toEqual(last(cli));
    expect(fromPage).toEqual(cli);

    // The library's FMA (its default in Node, without the lab's pin) ends elsewhere: this test would catch an unpinned CLI.
    const raw = vanishingGradients as unknown as Experiment;
    setWasmGemmFma(true);
    try {
      const fused = summarize(raw.run(resolveConfig(raw, OPTIONS), 1));
      expect(last(fused)).not.toEqual(last(cli));
    } finally {
      setWasmGemmFma(!/^(0|false|off)$/i.test(process.env.NNLAB_WASM_FMA ?? '')); // the library's default again
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
