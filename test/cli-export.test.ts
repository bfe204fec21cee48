/**
 * `nnlab export <model.json> --onnx <out.onnx>`, spawned as a user runs it: the files it writes
 * run in onnxruntime-node and agree with nnlab's forward, for a file saveModel wrote and for the
 * playground's Save model download; each error is one line on stderr with its exit code, and
 * leaves nothing behind.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, grid2d, nn, noGrad, randomNormal, saveModel, tensor } from '../packages/nnlab/src/index.js';
import type { DType, Tensor } from '../packages/nnlab/src/index.js';
import { generateDataset } from '../lab/web/playground/datasets.js';
import { featureRows } from '../lab/web/playground/features.js';
import { DEFAULT_SETTINGS } from '../lab/web/playground/settings.js';
import type { NetworkSpec } from '../lab/web/playground/spec.js';
import { PlaygroundModel } from '../lab/web/playground/trainer.js';
import { relativeDifference, runInOnnxRuntime } from './onnx/onnx-tools.js';
import { TOLERANCE } from './onnx/cases.js';

const BIN = fileURLToPath(new URL('../lab/bin/nnlab.js', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function nnlab(args: readonly string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'nnlab-export-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function freshDir(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  return dir;
}

/** A 3-layer net of every kind of part the model format and ONNX share: dense, PReLU, residual, dropout. */
function savedModelOf(dtype: DType, rng: Generator): nn.Sequential {
  return new nn.Sequential({
    hidden: new nn.Dense(3, 5, { activation: 'tanh', rng, dtype }),
    prelu: new nn.PReLU({ numParameters: 5, dtype }),
    block: new nn.Residual(new nn.Dense(5, 5, { activation: 'elu', rng, dtype })),
    dropout: new nn.Dropout(0.3, { rng }),
    output: new nn.Dense(5, 2, { rng, dtype }),
  });
}

function forwardOf(model: nn.Module, x: Tensor): Tensor {
  return noGrad(() => {
    model.eval();
    return model.forward(x);
  });
}

describe('nnlab export <model.json> --onnx <out.onnx>', () => {
  it.each(['float32', 'float64'] as const)('a %s model saved by saveModel: the .onnx runs in onnxruntime-node and agrees with forward', async (dtype) => {
    const dir = freshDir(`saved-${dtype}`);
    const rng = new Generator(5);
    const model = savedModelOf(dtype, rng);
    await saveModel(join(dir, 'model.json'), model, { metadata: { note: 'cli-export test' } });

    const result = await nnlab(['export', join(dir, 'model.json'), '--onnx', join(dir, 'model.onnx')]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^wrote .*model\.onnx \(ONNX opset 17, \d+ bytes\)\n$/);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'model.onnx']);

    const x = randomNormal([16, 3], rng, 0, 1, dtype);
    const onnx = await runInOnnxRuntime(readFileSync(join(dir, 'model.onnx')), x);
    const reference = forwardOf(model, x);
    expect(onnx.shape).toEqual([16, 2]);
    expect(relativeDifference(onnx, reference)).toBeLessThanOrEqual(TOLERANCE[dtype]);
  });

  it("the playground's Save model file: the .onnx reads the saved features, agrees with the network over the map's grid, and the command says what its input and output are", async () => {
    const dir = freshDir('playground');
    const spec: NetworkSpec = { features: ['x0', 'x1', 'x0sq', 'sin1'], hidden: [{ units: 4, activation: 'tanh', dropout: 0.1 }, { units: 4, activation: 'relu', dropout: 0 }], skip: 'residual', loss: 'softmax', classes: 3 };
    const points = generateDataset({ name: 'spiral', count: 60, noise: 0.01, classes: 3, testFraction: 0 }, 1);
    const playground = new PlaygroundModel(spec, points, DEFAULT_SETTINGS, 1);
    playground.train(20);
    writeFileSync(join(dir, 'nnlab-playground-epoch-20.json'), playground.save());

    const result = await nnlab(['export', join(dir, 'nnlab-playground-epoch-20.json'), '--onnx', join(dir, 'spiral.onnx')]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')[1]).toBe('  a playground network: input [batch, 4]: x₀, x₁, x₀², sin 2πx₁; output [batch, 3]: logits (class probabilities = softmax(output))');

    const grid = tensor(featureRows(grid2d({ resolution: 12 }).data, spec.features!), 'float32', [144, 4]);
    const onnx = await runInOnnxRuntime(readFileSync(join(dir, 'spiral.onnx')), grid);
    expect(relativeDifference(onnx, forwardOf(playground.model, grid))).toBeLessThanOrEqual(TOLERANCE.float32);
  });

  it('replaces an existing file of that name whole, and leaves no temporary file', async () => {
    const dir = freshDir('replace');
    await saveModel(join(dir, 'model.json'), savedModelOf('float32', new Generator(1)));
    writeFileSync(join(dir, 'model.onnx'), 'an older export');
    const result = await nnlab(['export', join(dir, 'model.json'), '--onnx', join(dir, 'model.onnx')]);
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'model.onnx']);
    expect(readFileSync(join(dir, 'model.onnx')).subarray(0, 2)).toEqual(Buffer.from([0x08, 0x08])); // field 1 (ir_version), varint 8
  });

  it('--help names the arguments, --onnx and what the ONNX model computes', async () => {
    const result = await nnlab(['export', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: nnlab export \[options\] <model\.json>/);
    expect(result.stdout).toMatch(/--onnx <out\.onnx> +the ONNX file to write/);
    expect(result.stdout).toMatch(/forward in evaluation mode/);
  });
});

describe('nnlab export errors: one line on stderr, the exit code, nothing written', () => {
  const dir = freshDir('errors');
  const model = join(dir, 'model.json');
  const out = join(dir, 'out.onnx');
  const notChaining = join(dir, 'not-chaining.json');
  const onnxFile = join(dir, 'model.onnx');
  beforeAll(async () => {
    const rng = new Generator(2);
    await saveModel(model, savedModelOf('float32', rng));
    await saveModel(notChaining, new nn.Sequential([new nn.Dense(2, 3, { rng }), new nn.Dense(4, 1, { rng })]));
    expect((await nnlab(['export', model, '--onnx', onnxFile])).code).toBe(0);
  });

  const cases: { what: string; args: string[]; code: number; message: RegExp }[] = [
    { what: 'no file at the model path', args: ['export', join(dir, 'missing.json'), '--onnx', out], code: 2, message: /^nnlab: no model file at .*missing\.json$/ },
    { what: 'a directory as the model', args: ['export', dir, '--onnx', out], code: 2, message: /^nnlab: .*errors is a directory, not a model file$/ },
    { what: 'a file that is not a model file (an .onnx), its bytes escaped', args: ['export', onnxFile, '--onnx', out], code: 2, message: /^nnlab: .*model\.onnx is not a model file nnlab can read: truncated or not JSON: .*\\x08/ },
    { what: 'a model ONNX cannot express (widths that do not chain)', args: ['export', notChaining, '--onnx', out], code: 1, message: /^nnlab: cannot export .*not-chaining\.json to ONNX: dense '1': expects input width 4, but its input has width 3$/ },
    { what: '--onnx in a directory that does not exist', args: ['export', model, '--onnx', join(dir, 'nowhere', 'out.onnx')], code: 2, message: /^nnlab: cannot write --onnx .*nowhere\/out\.onnx: there is no directory .*nowhere$/ },
    { what: '--onnx naming a directory', args: ['export', model, '--onnx', dir], code: 2, message: /^nnlab: cannot write --onnx .*errors: it is a directory$/ },
    { what: '--onnx naming the model file itself', args: ['export', model, '--onnx', model], code: 2, message: /^nnlab: cannot write --onnx .*model\.json: it is the model file itself; choose another name$/ },
    // /sys refuses new files even to root (a chmod-ed directory would not stop root).
    { what: '--onnx where no file may be created', args: ['export', model, '--onnx', '/sys/nnlab-cannot-be-here.onnx'], code: 2, message: /^nnlab: cannot write --onnx \/sys\/nnlab-cannot-be-here\.onnx: (permission denied|read-only file system)$/ },
    { what: 'no --onnx', args: ['export', model], code: 2, message: /^nnlab: required option '--onnx <out\.onnx>' not specified$/ },
    { what: 'no model file named', args: ['export', '--onnx', out], code: 2, message: /^nnlab: missing required argument 'model\.json'$/ },
  ];
  it.each(cases)('$what: exit code $code', async ({ args, code, message }) => {
    const before = readdirSync(dir).sort();
    const result = await nnlab(args);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.code).toBe(code);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(out)).toBe(false);
  });
});
