/**
 * The nnlab command runs compiled JavaScript (lab/dist/cli), in the repository too: what each
 * command loads (recorded by a resolve hook, record-loads.mjs), and how the command keeps that
 * build, and the library build it imports, no older than their sources (lab/dev/stale.mjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_STAMP, cliBuildReason, libraryBuildReason } from '../../lab/dev/stale.mjs';
import { ROOT, run } from './packed.js';

const BIN = join(ROOT, 'lab/bin/nnlab.js');
const RECORDER = join(ROOT, 'test/package/record-loads.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-lab-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The URLs of the modules `nnlab <args>` resolved (its worker threads' too), paths relative to the repository. */
function loadsOf(args: readonly string[]): string[] {
  const record = join(scratch, `loads-${args[0]}.txt`);
  writeFileSync(record, '');
  const result = spawnSync(process.execPath, ['--import', RECORDER, BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NNLAB_RECORD_LOADS: record } });
  expect(result.status, result.stderr).toBe(0);
  return [...new Set(readFileSync(record, 'utf8').split('\n').filter(Boolean))].map((url) => url.replace(`file://${ROOT}`, ''));
}

const BUILD_TOOLS = /\/node_modules\/(tsx|vite|esbuild|rolldown)\//;
const TYPESCRIPT = /\.m?ts$/;

describe('what nnlab commands load', () => {
  it('nnlab list loads the compiled CLI, commander and the library: no build tool, TypeScript, renderer or progress bar', () => {
    const loads = loadsOf(['list']);
    expect(loads).toContain('lab/dist/cli/nnlab.js');
    expect(loads.filter((url) => BUILD_TOOLS.test(url) || TYPESCRIPT.test(url))).toEqual([]);
    expect(loads.filter((url) => /\/node_modules\/(@observablehq|linkedom|@resvg|fast-png|cli-progress)\//.test(url))).toEqual([]);
  });

  it('nnlab run and nnlab sweep (and its worker threads) load no build tool and no TypeScript', () => {
    const runLoads = loadsOf(['run', 'two-layer', '--epochs', '20', '--json']);
    const sweepLoads = loadsOf(['sweep', 'two-layer', '--seeds', '2', '--epochs', '20', '--workers', '1', '--json', '--file', join(scratch, 'sweep.jsonl')]);
    expect(sweepLoads).toContain('lab/dist/cli/node-worker.js');
    expect([...runLoads, ...sweepLoads].filter((url) => BUILD_TOOLS.test(url) || TYPESCRIPT.test(url))).toEqual([]);
  });
});

describe('keeping the compiled CLI current', () => {
  it('the nnlab command rebuilds a CLI older than its sources before it runs', () => {
    const source = join(ROOT, 'lab/cli/commands/list.ts');
    const touched = new Date();
    utimesSync(source, touched, touched);
    expect(cliBuildReason()).toMatch(/ changed$/);
    expect(run(process.execPath, [BIN, 'list'], ROOT)).toMatch(/^The chapter:/);
    const stamp = JSON.parse(readFileSync(CLI_STAMP, 'utf8')) as { started: number; inputs: string[] };
    expect(stamp.started).toBeGreaterThanOrEqual(touched.getTime());
    expect(stamp.inputs).toContain('lab/cli/commands/list.ts');
    expect(cliBuildReason()).toBeUndefined();
  });

  it("cliBuildReason(stamp, root) is 'not built yet' without a stamp or an entry, names a source newer than the build's start or gone, else undefined", () => {
    const root = join(scratch, 'cli');
    const out = join(root, 'out');
    mkdirSync(out, { recursive: true });
    const stamp = join(out, 'build.json');
    const at = (file: string, seconds: number) => {
      writeFileSync(join(root, file), '');
      utimesSync(join(root, file), seconds, seconds);
    };
    expect(cliBuildReason(stamp, root)).toBe('not built yet');
    writeFileSync(stamp, JSON.stringify({ started: 200_000, inputs: ['a.ts', 'b.ts'] }));
    at('out/nnlab.js', 200);
    expect(cliBuildReason(stamp, root)).toBe('not built yet'); // the worker's entry is missing
    at('out/node-worker.js', 200);
    at('a.ts', 100);
    expect(cliBuildReason(stamp, root)).toBe('b.ts changed'); // gone
    at('b.ts', 150);
    expect(cliBuildReason(stamp, root)).toBeUndefined();
    at('a.ts', 300);
    expect(cliBuildReason(stamp, root)).toBe('a.ts changed');
  });

  it("libraryBuildReason(root) is the first source newer than the bundle dist/nnlab.js, tests and fixtures left out; 'not built yet' without it", () => {
    const root = join(scratch, 'library');
    mkdirSync(join(root, 'src/ops'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    const at = (file: string, seconds: number) => {
      writeFileSync(join(root, file), '');
      utimesSync(join(root, file), seconds, seconds);
    };
    at('src/index.ts', 100);
    at('src/ops/add.ts', 100);
    at('src/ops/add.test.ts', 900);
    at('src/ops/cases.fixture.ts', 900);
    expect(libraryBuildReason(root)).toBe('not built yet');
    at('dist/nnlab.js', 200);
    expect(libraryBuildReason(root)).toBeUndefined();
    at('src/ops/add.ts', 300);
    expect(libraryBuildReason(root)).toBe('src/ops/add.ts changed');
  });
});
