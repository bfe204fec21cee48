import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS, headersFile } from './headers.js';
import { PROJECT_ROOT } from './build.js';
import { SITE_EXTRAS, SITE_OUT, buildSite } from './site.js';

describe('the static site', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('headersFile() is one Netlify rule for every path, /*, with each of the lab server’s headers on an indented line', () => {
    const lines = headersFile().split('\n');
    expect(lines[0]).toMatch(/^# /);
    expect(lines[1]).toBe('/*');
    expect(lines.slice(2, -1)).toEqual(Object.entries(SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`));
    expect(lines.at(-1)).toBe('');
  });

  it('the site writes headersFile() as _headers, and .nojekyll so GitHub Pages keeps files starting with _', () => {
    expect(SITE_EXTRAS).toEqual({ _headers: headersFile(), '.nojekyll': '' });
  });

  it('buildSite() writes dist/site when not given a folder', () => {
    expect(relative(PROJECT_ROOT, SITE_OUT)).toBe(join('dist', 'site'));
  });

  it('buildSite(out) refuses a folder that holds something other than a site, and leaves it as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nnlab-site-refuse-'));
    dirs.push(dir);
    await writeFile(join(dir, 'thesis.tex'), 'mine');
    await expect(buildSite(dir)).rejects.toThrow(`build:site: ${dir} is not empty and holds no site built before`);
    expect(await readFile(join(dir, 'thesis.tex'), 'utf8')).toBe('mine');
  });
});
