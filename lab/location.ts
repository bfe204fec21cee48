/**
 * Where the lab package is on disk, found from its own modules, which sit at different depths:
 * lab/<folder>/*.ts in the repository, dist/cli/*.js once compiled (a bundle keeps none of the
 * sources' folders), node_modules/nnlab-lab/dist/cli/*.js once installed. Node only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'nnlab-lab';

interface LabPackage {
  /** The folder of the lab's package.json. */
  root: string;
  version: string;
}

function findLabPackage(start: string): LabPackage {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === NAME) return { root: dir, version: json.version ?? '0.0.0' };
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of ${NAME} in ${start} or above it`);
  }
}

const lab = findLabPackage(dirname(fileURLToPath(import.meta.url)));

/** The lab package's folder: lab/ in the repository. */
export const LAB_ROOT = lab.root;
export const LAB_VERSION = lab.version;

/**
 * Whether the lab runs inside its repository, with its TypeScript sources beside it: there the
 * page is rebuilt when they change. An installed package has only what was compiled from them.
 */
export const FROM_SOURCES = existsSync(join(LAB_ROOT, 'cli', 'main.ts'));
