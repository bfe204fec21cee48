import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReason, newestSource } from './build.js';

describe('newestSource', () => {
  let root: string;
  const at = (seconds: number) => new Date(seconds * 1000);
  const file = async (path: string, seconds: number) => {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), '');
    await utimes(join(root, path), at(seconds), at(seconds));
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'nnlab-build-'));
    await file('packages/nnlab/src/index.ts', 100);
    await file('lab/web/main.ts', 200);
    await file('vite.config.ts', 50);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('newestSource(root) is the newest page source: the library, the lab, the build files', async () => {
    expect(await newestSource(root)).toBe(200_000);
    await file('vite.config.ts', 300);
    expect(await newestSource(root)).toBe(300_000);
  });

  it('newestSource(root) leaves out tests, the CLI and the server, which the page does not contain', async () => {
    await file('lab/web/main.test.ts', 900);
    await file('lab/cli/main.ts', 900);
    await file('lab/server/server.ts', 900);
    expect(await newestSource(root)).toBe(300_000);
  });

  it('newestSource(root) leaves out what is built (lab/dist: the page itself, the compiled CLI) and the command-line builds', async () => {
    await file('lab/dist/web/index.html', 900);
    await file('lab/dist/cli/nnlab.js', 900);
    await file('lab/bin/nnlab.js', 900);
    await file('lab/dev/build.mjs', 900);
    expect(await newestSource(root)).toBe(300_000);
  });
});

describe('buildReason', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'nnlab-build-'));
    await mkdir(join(root, 'packages/nnlab/src'), { recursive: true });
    await writeFile(join(root, 'packages/nnlab/src', 'index.ts'), '');
    await utimes(join(root, 'packages/nnlab/src', 'index.ts'), new Date(100_000), new Date(100_000));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("buildReason(paths) is 'missing' without a built index.html, 'outdated' when a source is newer than the build, else undefined", async () => {
    const paths = { root, out: join(root, 'dist', 'web'), stamp: join(root, 'dist', 'web-build.json') };
    expect(await buildReason(paths)).toBe('missing');
    await mkdir(paths.out, { recursive: true });
    await writeFile(join(paths.out, 'index.html'), '');
    expect(await buildReason(paths)).toBe('outdated'); // no stamp: built by something else
    await writeFile(paths.stamp, JSON.stringify({ started: 99_000 }));
    expect(await buildReason(paths)).toBe('outdated');
    await writeFile(paths.stamp, JSON.stringify({ started: 100_000 }));
    expect(await buildReason(paths)).toBeUndefined();
  });
});
