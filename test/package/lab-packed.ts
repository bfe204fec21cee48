/**
 * The lab packed as npm would publish it, and installed with the packed library into a fresh
 * folder, with no network.
 *
 * NOTE: `npm install <library.tgz> <lab.tgz> --offline` cannot work on these machines: in a
 * folder without a lockfile, npm 11 asks the registry for each dependency's full document, and
 * the cache holds only what `npm ci` fetched (the install documents and the tarballs). So the
 * folder gets a lockfile: the lab's dependency tree as the repository's package-lock.json locks
 * it (versions and integrity), and `npm ci --offline` takes every tarball from the cache. The
 * installed versions are the ones the repository tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './packed.js';

export const LAB = join(ROOT, 'lab');

/** `npm pack` of the lab into `dir` (its prepack builds the CLI and the page): the tarball and its files. */
export function packLab(dir: string): { tarball: string; files: string[] } {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], LAB)) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(dir, packed.filename), files: packed.files.map((f) => f.path).sort() };
}

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

/** The lock path Node would find `name` at from the package at lock path `from` (its own node_modules, then each one above). */
function lockPathOf(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const path = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[path] !== undefined) return path;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

/**
 * The entries of the repository's lock that the lab's dependencies (`dependencies`) need, as
 * they would sit in an app that installs the lab: every package its runtime reaches, flags of
 * the repository's dev tree dropped.
 */
function labTree(packages: Record<string, LockEntry>, dependencies: Record<string, string>): Record<string, LockEntry> {
  const tree: Record<string, LockEntry> = {};
  const queue: string[] = [];
  const add = (from: string, names: Record<string, string> | undefined, optional: boolean) => {
    for (const name of Object.keys(names ?? {})) {
      if (name === 'nnlab') continue; // the library comes from its own tarball
      const path = lockPathOf(packages, from, name);
      if (path === undefined) {
        if (optional) continue;
        throw new Error(`package-lock.json has no ${name} for ${from}`);
      }
      if (path.startsWith('lab/')) throw new Error(`${path}: a package nested under the workspace; map it under node_modules/nnlab-lab`);
      if (tree[path] !== undefined) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[path];
      tree[path] = entry;
      queue.push(path);
    }
  };
  add('lab', dependencies, false);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    add(path, packages[path].dependencies, false);
    add(path, packages[path].optionalDependencies, true);
    add(path, packages[path].peerDependencies, true);
  }
  return tree;
}

/** installLab(dir, tarballs) installs the packed library and lab into the empty folder `dir`, offline. */
export function installLab(dir: string, tarballs: { library: string; lab: string }): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const library = JSON.parse(readFileSync(join(ROOT, 'packages/nnlab/package.json'), 'utf8')) as LockEntry;
  const lab = JSON.parse(readFileSync(join(LAB, 'package.json'), 'utf8')) as LockEntry & { bin: Record<string, string> };
  const dependencies = { nnlab: `file:${tarballs.library}`, 'nnlab-lab': `file:${tarballs.lab}` };
  const app = { name: 'app', private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(app, null, 2));
  const packages = {
    '': { name: app.name, dependencies },
    'node_modules/nnlab': { version: library.version, resolved: dependencies.nnlab },
    'node_modules/nnlab-lab': { version: lab.version, resolved: dependencies['nnlab-lab'], dependencies: lab.dependencies, bin: lab.bin },
    ...labTree(lock.packages, lab.dependencies ?? {}),
  };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: app.name, lockfileVersion: 3, requires: true, packages }, null, 2));
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir);
}
