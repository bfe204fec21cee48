/**
 * The lab as its users get it: `npm pack` of lab/ (its prepack compiles the CLI and builds the
 * page) and of the library, both installed into a fresh folder with no network (see
 * lab-packed.ts), then the nnlab command run from there: the same output as in the repository,
 * a sweep on worker threads, and the prebuilt page served with nothing built. The library is
 * built by `npm run build:lib` (npm test does that first); a build older than its sources fails here.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installLab, packLab } from './lab-packed.js';
import { ROOT, packLibrary, run } from './packed.js';

const REPO_BIN = join(ROOT, 'lab/bin/nnlab.js');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

describe('nnlab-lab, packed and installed with nnlab into a fresh folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'nnlab-lab-package-'));
  const app = join(work, 'app');
  const installed = join(app, 'node_modules/nnlab-lab');
  const bin = join(app, 'node_modules/.bin/nnlab');
  let files: string[] = [];

  beforeAll(() => {
    const library = packLibrary(work).tarball;
    const lab = packLab(work);
    files = lab.files;
    mkdirSync(app);
    installLab(app, { library, lab: lab.tarball });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the compiled CLI, the prebuilt page, README and LICENSE: no TypeScript sources, tests or build scripts', () => {
    const stray = files.filter((path) => !/^dist\/cli\/[\w-]+\.js(\.map)?$/.test(path) && !path.startsWith('dist/web/') && !['package.json', 'README.md', 'LICENSE', 'bin/nnlab.js'].includes(path));
    expect(stray).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'bin/nnlab.js', 'dist/cli/nnlab.js', 'dist/cli/node-worker.js', 'dist/web/index.html']));
    expect(filesUnder(installed).filter((path) => path.endsWith('.ts'))).toEqual([]);
  });

  it('installs without the build tools: no tsx, vite or esbuild in the folder', () => {
    for (const tool of ['tsx', 'vite', 'esbuild']) expect(existsSync(join(app, 'node_modules', tool)), tool).toBe(false);
  });

  it('npx nnlab list prints what it prints in the repository', () => {
    expect(run('npx', ['nnlab', 'list'], app)).toBe(run(process.execPath, [REPO_BIN, 'list'], ROOT));
  });

  it('nnlab run two-layer --epochs 20 --json gives the repository’s summary', () => {
    const args = ['run', 'two-layer', '--epochs', '20', '--json'];
    expect(JSON.parse(run(bin, args, app))).toEqual(JSON.parse(run(process.execPath, [REPO_BIN, ...args], ROOT)));
  });

  it('nnlab sweep runs its worker threads from the package: the repository’s rows', () => {
    const args = (file: string) => ['sweep', 'two-layer', '--seeds', '3', '--epochs', '50', '--workers', '2', '--json', '--file', file];
    const rows = (stdout: string) => (JSON.parse(stdout) as { rows: unknown[] }).rows;
    expect(rows(run(bin, args(join(work, 'installed.jsonl')), app))).toEqual(rows(run(process.execPath, [REPO_BIN, ...args(join(work, 'repo.jsonl'))], ROOT)));
  });

  it('nnlab serve --port 0 serves the prebuilt page and its scripts, building nothing', async () => {
    const child = spawn(bin, ['serve', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /serving the lab at (\S+)/.exec(stdout);
          if (match !== null) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`nnlab serve exited (${code}) before serving:\n${stdout}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const script = /<script[^>]+src="\.?\/?([^"]+\.js)"/.exec(await page.text());
      expect(script).not.toBeNull();
      const asset = await fetch(new URL(script![1], url));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect((await asset.text()).length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(stdout).not.toMatch(/building/);
  });
});
