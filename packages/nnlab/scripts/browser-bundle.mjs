// Writes dist/nnlab.browser.js: the whole library as one self-contained ES module, for a page's
// <script type="module"> without a bundler (or a CDN). Built from dist/ after tsc, so it is the
// same code the package's main entry runs. Not minified: nnlab is meant to be read.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
await build({
  entryPoints: [`${dist}index.js`],
  outfile: `${dist}nnlab.browser.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  legalComments: 'none',
  banner: { js: '// nnlab: the whole library in one ES module (MIT licence). https://www.npmjs.com/package/nnlab' },
  logLevel: 'warning',
});
