/**
 * `npm install` prints no warning a user cannot act on: npm (11.19 and later) skips a dependency's
 * install script unless package.json's allowScripts decides it, and warns about each one left
 * undecided. Every locked package with an install script is decided here (esbuild's checks its
 * binary; core-js's only prints an advert).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const json = (file: string) => JSON.parse(readFileSync(`${root}${file}`, 'utf8')) as Record<string, unknown>;

describe('npm install', () => {
  it("package.json's allowScripts decides every package in package-lock.json that has an install script", () => {
    const packages = json('package-lock.json').packages as Record<string, { hasInstallScript?: boolean }>;
    const withScripts = Object.entries(packages)
      .filter(([, entry]) => entry.hasInstallScript === true)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    const allowScripts = (json('package.json').allowScripts ?? {}) as Record<string, boolean>;
    const undecided = [...new Set(withScripts)].filter((name) => typeof allowScripts[name] !== 'boolean');
    expect(undecided, 'decide each with `npm install-scripts approve <pkg> --no-allow-scripts-pin` or `npm install-scripts deny <pkg>`').toEqual([]);
  });
});
