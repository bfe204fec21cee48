/** The library packed as npm would publish it, and installed from that tarball into fresh folders. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LIBRARY = join(ROOT, 'packages/nnlab');

/** Runs a command to completion; its stdout, or an error with everything it printed. */
export function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The newest modification time of the library's sources (tests and fixtures aside). */
function newestSource(dir = join(LIBRARY, 'src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.ts$/.test(entry.name) && !/\.(test|fixture)\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm pack` of the library into `dir`: the tarball's path and the files it holds. Fails if dist/ is older than src/. */
export function packLibrary(dir: string): { tarball: string; files: string[] } {
  const built = statSync(join(LIBRARY, 'dist/nnlab.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built < newestSource()) throw new Error('packages/nnlab/dist is missing or older than its sources: run npm run build:lib (npm test does)');
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], LIBRARY)) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(dir, packed.filename), files: packed.files.map((f) => f.path).sort() };
}

/** A fresh ES-module app folder at `dir` with the tarball installed, offline (the package has no dependencies). */
export function installApp(dir: string, tarball: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--no-package-lock'], dir);
  return dir;
}
