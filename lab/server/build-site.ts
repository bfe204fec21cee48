/**
 * `npm run build:site [-- <folder>]`: writes the lab as a static site into <folder> (default
 * dist/site), ready to upload to any static host. A relative folder is taken from where npm
 * was run, not from the repository root npm runs scripts in. Node only.
 */
import { relative, resolve } from 'node:path';
import { buildSite, SITE_OUT } from './site.js';

const args = process.argv.slice(2);
if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
  console.error('usage: npm run build:site [-- <folder>]   (default dist/site)');
  process.exit(2);
}
const from = process.env.INIT_CWD ?? process.cwd();
const out = args.length === 1 ? resolve(from, args[0]) : SITE_OUT;
const shown = relative(from, out);

try {
  await buildSite(out);
  console.log(`wrote ${shown === '' || shown.startsWith('..') ? out : shown}: upload the folder to any static host (its _headers file turns on threads where the host reads it)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
