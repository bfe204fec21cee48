// Writes dist/nnlab.js: the whole library as one self-contained ES module, which the package's
// entry points at (Node, bundlers) and which a page's <script type="module"> can import as it is
// (or from a CDN). One file, because loading the ~90 modules tsc would write costs Node about
// 30 ms at every start. Built from src/ by esbuild; tsc writes only the declarations beside it.
// Not minified: nnlab is meant to be read.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
await build({
  entryPoints: [`${root}src/index.ts`],
  outfile: `${root}dist/nnlab.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  legalComments: 'none',
  banner: { js: '// nnlab: the whole library in one ES module (MIT licence). https://www.npmjs.com/package/nnlab' },
  logLevel: 'warning',
});
