/**
 * The library as its users get it: `npm pack` of packages/nnlab, installed from the tarball into
 * a fresh folder (no network: the package has no dependencies), then imported by plain Node (ES
 * module and require), type-checked by TypeScript consumers under `strict` with node16 and bundler
 * resolution, and checked by publint and Are the Types Wrong. The package is built by
 * `npm run build:lib` (npm test does that first); a build older than its sources fails here.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBRARY as PACKAGE, ROOT, installApp, packLibrary, run } from './packed.js';

const BIN = join(ROOT, 'node_modules/.bin');

/** The README's example and the line it says the example prints. */
function readmeExample(): { code: string; output: string } {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  const code = /```js\n([^]*?)```/.exec(readme)![1];
  const output = /^\/\/ → (.*)$/m.exec(code)![1];
  return { code, output };
}

describe('the nnlab package, packed and installed into a fresh folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'nnlab-package-'));
  const app = join(work, 'app');
  let tarball = '';
  let files: string[] = [];

  beforeAll(() => {
    ({ tarball, files } = packLibrary(work));
    installApp(app, tarball);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds only the built files (one ES module, its source map, the declarations), README, LICENSE and CHANGELOG: no TypeScript sources, tests or fixtures', () => {
    const stray = files.filter((path) => !/^dist\/(.+\.d\.ts|nnlab\.js|nnlab\.js\.map)$/.test(path) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(path));
    expect(stray).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'dist/nnlab.js', 'dist/nnlab.js.map', 'dist/index.d.ts']));
    expect(files.filter((path) => /\.(test|fixture)\./.test(path))).toEqual([]);
  });

  it('installs with no dependencies: nnlab is the only package in the app’s node_modules', () => {
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['nnlab']);
    expect(JSON.parse(readFileSync(join(app, 'node_modules/nnlab/package.json'), 'utf8')).dependencies).toBeUndefined();
  });

  it('plain Node, ES module: the README’s example runs and prints what the README says', () => {
    const { code, output } = readmeExample();
    writeFileSync(join(app, 'readme.mjs'), code);
    expect(run(process.execPath, ['readme.mjs'], app).trim()).toBe(output);
  });

  it('plain Node, CommonJS: require("nnlab") works where Node can require ES modules (20.19 and later)', () => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    writeFileSync(join(app, 'app.cjs'), "const { tensor } = require('nnlab');\nconsole.log(JSON.stringify(tensor([[1, 2], [3, 4]]).matmul(tensor([[1], [1]])).toArray()));\n");
    const result = spawnSync(process.execPath, ['app.cjs'], { cwd: app, encoding: 'utf8' });
    if (major > 20 || (major === 20 && minor >= 19)) {
      expect(result.stderr.replace(/^\(node:\d+\) ExperimentalWarning: .*\n(\(Use `node --trace-warnings.*\n)?/m, '')).toBe('');
      expect(result.stdout.trim()).toBe('[[3],[7]]');
    } else {
      expect(result.status).not.toBe(0); // documented: not before Node 20.19
    }
  });

  it('saveModel/loadModel work from the package in Node (the file functions reach node:fs at run time)', () => {
    writeFileSync(join(app, 'save.mjs'), [
      "import { nn, saveModel, loadModel, tensor, Generator } from 'nnlab';",
      "const model = new nn.Sequential({ layer: new nn.Dense(2, 1, { rng: new Generator(3) }) });",
      "await saveModel('model.json', model);",
      "const { model: loaded } = await loadModel('model.json');",
      "const x = tensor([[0.5, -1]]);",
      "console.log(model.forward(x).toArray()[0][0] === loaded.forward(x).toArray()[0][0]);",
    ].join('\n'));
    expect(run(process.execPath, ['save.mjs'], app).trim()).toBe('true');
  });

  it('examples/digits.ts, its types stripped, runs on real data from the installed package and reaches the accuracy the README states', async () => {
    const { transform } = await import('esbuild');
    const source = readFileSync(join(ROOT, 'examples/digits.ts'), 'utf8');
    mkdirSync(join(app, 'examples/data'), { recursive: true });
    writeFileSync(join(app, 'examples/digits.mjs'), (await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' })).code);
    copyFileSync(join(ROOT, 'examples/data/digits.txt'), join(app, 'examples/data/digits.txt'));
    const output = run(process.execPath, ['examples/digits.mjs'], app);
    const stated = /reaches (\d+\.\d)% test accuracy/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))![1];
    expect(output).toMatch(new RegExp(`^test accuracy ${stated.replace('.', '\\.')}% \\(360 images\\)$`, 'm'));
  });

  const consumer = [
    "import { tensor, nn, optim, math, Tensor, type Shape } from 'nnlab';",
    'const x: Tensor = tensor([[1, 2]], "float64");',
    'const shape: Shape = x.shape;',
    'const layer = new nn.Dense(2, 3, { activation: "tanh" });',
    'const optimizer = new optim.Adam(layer.parameters(), { lr: 0.01 });',
    'const y: number = math.exp(shape[0]);',
    'export const out = { y, optimizer, value: layer.forward(x).sum().item() };',
  ].join('\n');

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('TypeScript under strict with moduleResolution %s type-checks a consumer against the published declarations, and catches its type errors', (_name, resolution) => {
    const dir = join(app, `ts-${_name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ['es2022', 'dom'] }, include: ['*.ts'] }));
    writeFileSync(join(dir, 'index.ts'), consumer);
    // node_modules is the app's, one folder up, as in a real project.
    run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], dir);
    writeFileSync(join(dir, 'wrong.ts'), "import { tensor } from 'nnlab';\nexport const wrong: string = tensor([1]).shape;\n");
    const failed = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: dir, encoding: 'utf8' });
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toMatch(/wrong\.ts.*error TS2322/);
    rmSync(join(dir, 'wrong.ts'));
  });

  it('publint finds nothing to fix in the package', () => {
    const output = run(join(BIN, 'publint'), ['run', PACKAGE, '--strict'], ROOT);
    expect(output).not.toMatch(/warning|error|suggestion/i);
  });

  it('Are the Types Wrong: every ES-module resolution (node16, bundler) finds the types', () => {
    run(join(BIN, 'attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], ROOT);
  });
});

