/**
 * Model files: serializeModel / deserializeModel (text) and saveModel / loadModel (atomic files).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Generator,
  ModelFileError,
  Tensor,
  deserializeModel,
  grid2d,
  loadModel,
  nn,
  noGrad,
  saveModel,
  serializeModel,
  tensor,
} from '../packages/nnlab/src/index.js';
import type { DType, DeserializeOptions, FloatArray } from '../packages/nnlab/src/index.js';

type JsonValue = nn.JsonValue;

/** Every built-in layer kind, with random weights (PReLU slopes and highway gates included). */
function zoo(dtype: DType, seed = 1): nn.Sequential {
  const rng = new Generator(seed);
  const model = new nn.Sequential({
    hidden: new nn.Dense(2, 4, { activation: 'sigmoid', rng, dtype }),
    drop: new nn.Dropout(0.25, { rng }),
    res: new nn.Residual(new nn.Dense(4, 4, { activation: 'tanh', rng, dtype })),
    highway: new nn.Highway(4, { rng, dtype }),
    prelu: new nn.PReLU({ numParameters: 4, dtype }),
    act: new nn.Activation('elu'),
    leaky: new nn.LeakyReLU(0.2),
    out: new nn.Dense(4, 1, { activation: 'sigmoid', rng, dtype }),
  });
  for (const [, p] of model.namedParameters()) for (let i = 0; i < p.size; i++) p.data[i] = rng.normal(0, 1);
  return model;
}

function mlp(widths: number[], options: { rng?: Generator; dtype?: DType } = {}): nn.Sequential {
  const layers: Record<string, nn.Module> = {};
  for (let i = 0; i + 1 < widths.length; i++) {
    const name = i + 2 === widths.length ? 'output' : i === 0 ? 'hidden' : `hidden${i}`;
    layers[name] = new nn.Dense(widths[i], widths[i + 1], { activation: 'sigmoid', rng: options.rng ?? new Generator(i), dtype: options.dtype });
  }
  return new nn.Sequential(layers);
}

/** The raw bytes of each parameter, by name: equal means bit for bit. */
function parameterBytes(model: nn.Module): [string, DType, number[], number[]][] {
  return model.namedParameters().map(([name, p]) => [name, p.dtype, [...p.shape], bytes(p.data)]);
}

function bytes(data: FloatArray): number[] {
  return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** Element by element with Object.is: NaN equals NaN, -0 differs from 0. */
function sameValues(a: FloatArray, b: FloatArray): boolean {
  return a.constructor === b.constructor && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function loadProblems(text: string, options?: DeserializeOptions): string[] {
  try {
    deserializeModel(text, options);
  } catch (error) {
    if (error instanceof ModelFileError) return [...error.problems];
    throw error;
  }
  throw new Error('expected deserializeModel to fail');
}

interface WeightJson {
  dtype?: JsonValue;
  shape?: JsonValue;
  data?: JsonValue;
  extra?: JsonValue;
}
interface FileJson {
  format?: JsonValue;
  version?: JsonValue;
  architecture?: JsonValue;
  config?: JsonValue;
  metadata?: JsonValue;
  weights?: Record<string, WeightJson>;
  comment?: JsonValue;
}

/** The file text after `change` edits its parsed document. */
function edit(text: string, change: (doc: FileJson & { weights: Record<string, WeightJson> }) => void): string {
  const doc = JSON.parse(text) as FileJson & { weights: Record<string, WeightJson> };
  change(doc);
  return JSON.stringify(doc);
}

describe('serializeModel(model) and deserializeModel(text)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`rebuild a ${dtype} Sequential of dense, dropout, residual, highway, PReLU and activation layers bit for bit`, () => {
      const model = zoo(dtype);
      const text = serializeModel(model);
      const { model: loaded } = deserializeModel(text);
      expect(loaded).toBeInstanceOf(nn.Sequential);
      expect(loaded.toConfig()).toEqual(model.toConfig());
      expect(parameterBytes(loaded)).toEqual(parameterBytes(model));
      expect(serializeModel(loaded)).toBe(text);
    });

    it(`give a ${dtype} model whose outputs equal the original's exactly`, () => {
      const model = zoo(dtype).eval();
      const loaded = deserializeModel(serializeModel(model)).model.eval();
      const x = grid2d({ x0Range: [-2, 2], x1Range: [-2, 2], resolution: 7, dtype });
      const [expected, actual] = noGrad(() => [model.forward(x), loaded.forward(x)]);
      expect(actual.dtype).toBe(dtype);
      expect(bytes(actual.data)).toEqual(bytes(expected.data));
    });
  }

  it('keep NaN, Infinity, -Infinity and -0 weights', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const model = new nn.Dense(2, 3, { rng: new Generator(3), dtype });
      model.weight.data.set([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]);
      const text = serializeModel(model);
      expect(text).toContain('"data": ["NaN", "Infinity", "-Infinity", -0,');
      const loaded = deserializeModel(text).model;
      expect(sameValues(loaded.namedParameters()[0][1].data, model.weight.data)).toBe(true);
    }
  });

  it('write float32 weights as the shortest decimal that reads back exactly', () => {
    const model = new nn.Dense(1, 2, { weightInit: nn.init.constant(0.1), biasInit: nn.init.constant(-1 / 3) });
    const text = serializeModel(model);
    expect(text).toContain('"weight": {"dtype": "float32", "shape": [1, 2], "data": [0.1, 0.1]}');
    expect(text).toContain('"data": [-0.33333334, -0.33333334]');
    expect(parameterBytes(deserializeModel(text).model)).toEqual(parameterBytes(model));
  });

  it('return the config and metadata saved with the model', () => {
    const config = { lr: 0.5, layers: [2, 2, 1], note: 'xor', momentum: null };
    const metadata = { epochs: 2000, finalLoss: 0.0012 };
    const loaded = deserializeModel(serializeModel(mlp([2, 2, 1]), { config, metadata }));
    expect(loaded.config).toEqual(config);
    expect(loaded.metadata).toEqual(metadata);
    const bare = deserializeModel(serializeModel(mlp([2, 2, 1])));
    expect(bare.config).toBe(null);
    expect(bare.metadata).toEqual({});
  });

  it('deserializeModel(text, { rng }) gives rebuilt dropout layers that generator', () => {
    const model = new nn.Sequential([new nn.Dropout(0.5, { rng: new Generator(9) })]);
    const loaded = deserializeModel(serializeModel(model), { rng: new Generator(9) }).model;
    const x = tensor([[1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(Array.from(loaded.forward(x).data)).toEqual(Array.from(model.forward(x).data));
  });

  it('random MLP architectures with random weights (any float, NaN and ±Infinity included) round-trip exactly', () => {
    const architecture = fc.record({
      dtype: fc.constantFrom<DType>('float32', 'float64'),
      widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }),
      activations: fc.array(fc.constantFrom(...nn.ACTIVATIONS), { minLength: 3, maxLength: 3 }),
      biases: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    });
    const arbitrary = architecture.chain((a) =>
      fc.record({
        a: fc.constant(a),
        values: fc.array(a.dtype === 'float32' ? fc.float() : fc.double(), { minLength: 60, maxLength: 60 }),
      }),
    );
    fc.assert(
      fc.property(arbitrary, ({ a, values }) => {
        const layers = a.widths.slice(1).map(
          (width, i) => new nn.Dense(a.widths[i], width, { activation: a.activations[i], bias: a.biases[i], weightInit: nn.init.zeros(), dtype: a.dtype }),
        );
        const model = new nn.Sequential(layers);
        let k = 0;
        for (const [, p] of model.namedParameters()) for (let i = 0; i < p.size; i++) p.data[i] = values[k++ % values.length];

        const loaded = deserializeModel(serializeModel(model)).model;
        expect(loaded.toConfig()).toEqual(model.toConfig());
        const [expected, actual] = [model.namedParameters(), loaded.namedParameters()];
        expect(actual.map(([name, p]) => [name, p.dtype, p.shape])).toEqual(expected.map(([name, p]) => [name, p.dtype, p.shape]));
        actual.forEach(([, p], i) => expect(sameValues(p.data, expected[i][1].data)).toBe(true));
      }),
      { seed: 20_240_611, numRuns: 200 },
    );
  });

  class TwoTowers extends nn.Module {
    readonly kind = 'twoTowers';
    readonly left: nn.Dense;
    readonly right: nn.Dense;
    readonly scale: Tensor;

    constructor(seed: number) {
      super();
      const rng = new Generator(seed);
      this.left = new nn.Dense(2, 3, { rng });
      this.right = new nn.Dense(2, 3, { activation: 'tanh', rng });
      this.scale = tensor([rng.uniform()]).requireGrad();
    }

    forward(x: Tensor): Tensor {
      return this.left.forward(x).add(this.right.forward(x)).mul(this.scale);
    }
  }

  it('a custom Module subclass (toConfig() null) saves with architecture null and loads { into } an instance', () => {
    const trained = new TwoTowers(1);
    const text = serializeModel(trained, { metadata: { kind: 'twoTowers' } });
    expect(JSON.parse(text)).toMatchObject({ architecture: null });

    const fresh = new TwoTowers(2);
    const { model, metadata } = deserializeModel(text, { into: fresh });
    expect(model).toBe(fresh);
    expect(metadata).toEqual({ kind: 'twoTowers' });
    expect(parameterBytes(fresh)).toEqual(parameterBytes(trained));
  });

  it('a file without an architecture and no { into } fails, saying to pass { into }', () => {
    const problems = loadProblems(serializeModel(new TwoTowers(1)));
    expect(problems).toEqual([expect.stringMatching(/has no architecture .*pass \{ into: model \}/)]);
  });

  it('deserializeModel(text, { into }) loads into a model of the same architecture, float32 into float64 exactly', () => {
    const trained = mlp([2, 3, 1], { rng: new Generator(5) });
    const target = mlp([2, 3, 1], { rng: new Generator(6), dtype: 'float64' });
    deserializeModel(serializeModel(trained), { into: target });
    target.namedParameters().forEach(([, p], i) => expect(Array.from(p.data)).toEqual(Array.from(trained.namedParameters()[i][1].data)));
  });

  it('serializeModel rejects config and metadata values JSON cannot store, naming each path', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    const config = { lr: NaN, sizes: [1, undefined, 3], when: new Date(0), cyclic } as unknown as JsonValue;
    expect(() => serializeModel(mlp([2, 1]), { config, metadata: { loss: Infinity } })).toThrow(
      new RegExp(
        [
          "save: cannot serialise sequential: 5 problems:",
          '  - config.lr is NaN, which JSON cannot store',
          '  - config.sizes\\[1\\] is undefined, which JSON cannot store',
          '  - config.when is a Date, not plain JSON .*',
          '  - config.cyclic.self contains itself \\(a cycle\\), which JSON cannot store',
          '  - metadata.loss is Infinity, which JSON cannot store',
        ].join('\n'),
      ),
    );
  });

  it('serializeModel rejects an architecture that does not rebuild the model', () => {
    class Mislabelled extends nn.Dense {
      override toConfig(): nn.ModuleConfig {
        return { ...super.toConfig(), outFeatures: 5 };
      }
    }
    expect(() => serializeModel(new Mislabelled(2, 3, { rng: new Generator(1) }))).toThrow(
      "its architecture rebuilds parameter 'weight' with shape [2, 5] but the model's is [2, 3]",
    );
  });
});

describe('deserializeModel(text) on a bad file: one ModelFileError listing every problem', () => {
  const text = serializeModel(mlp([2, 2, 1]));

  it('truncated text: "truncated or not JSON" with the parser position', () => {
    const problems = loadProblems(text.slice(0, Math.floor(text.length / 2)));
    expect(problems).toEqual([expect.stringMatching(/^truncated or not JSON: .* at position \d+ \(the text has \d+ characters\)$/)]);
  });

  it('text that is not JSON, and empty text', () => {
    expect(loadProblems('hello')).toEqual([expect.stringMatching(/^truncated or not JSON: Unexpected token/)]);
    expect(loadProblems('  \n')).toEqual(['it is empty (0 characters of JSON)']);
    expect(loadProblems('[1, 2]')).toEqual(['the top level is [1,2], expected an object with "format": "nnlab-model"']);
  });

  it('the message names the source, counts the problems and lists them', () => {
    expect(() => deserializeModel('{', { source: 'runs/xor.json' })).toThrow(/^load: runs\/xor\.json has 1 problem:\n {2}- truncated or not JSON/);
    expect(() => deserializeModel('{')).toThrow(/^load: model has 1 problem:/);
  });

  it('a wrong format', () => {
    expect(loadProblems(edit(text, (doc) => (doc.format = 'keras')))).toEqual([
      'format is "keras", expected "nnlab-model"',
      'the other fields were not checked',
    ]);
    expect(loadProblems('{"name": "nnlab", "version": "0.1.0"}')).toEqual([
      `missing field 'format' (expected "nnlab-model"): not an nnlab model file?`,
      'version "0.1.0" is not supported (this nnlab reads version 1)',
      'the other fields were not checked',
    ]);
  });

  it('an unsupported version says which versions are supported', () => {
    expect(loadProblems(edit(text, (doc) => (doc.version = 2)))).toEqual([
      'version 2 is not supported (this nnlab reads version 1)',
      'the other fields were not checked',
    ]);
  });

  it('missing fields', () => {
    const problems = loadProblems(edit(text, (doc) => {
      delete doc.architecture;
      delete (doc as FileJson).weights;
    }));
    expect(problems).toEqual([
      "missing field 'architecture' (a layer config, or null for a custom module)",
      "missing field 'weights' (an object of parameters by dotted name)",
    ]);
  });

  it('a file saved from a 2-3-1 model loaded into a 2-2-1 model lists every difference and leaves the model unchanged', () => {
    const target = mlp([2, 2, 1], { rng: new Generator(42) });
    const before = parameterBytes(target);
    const problems = loadProblems(serializeModel(mlp([2, 3, 1])), { into: target });
    expect(problems).toEqual([
      "the architecture differs from the model's: at layers[0].config.outFeatures: 3 in the file, 2 in the model",
      "the architecture differs from the model's: at layers[1].config.inFeatures: 3 in the file, 2 in the model",
      "parameter 'hidden.weight' has shape [2, 3] but the model expects [2, 2]",
      "parameter 'hidden.bias' has shape [3] but the model expects [2]",
      "parameter 'output.weight' has shape [3, 1] but the model expects [2, 1]",
    ]);
    expect(parameterBytes(target)).toEqual(before);
  });

  it('weights that disagree with the file\'s own architecture', () => {
    const mismatched = edit(serializeModel(mlp([2, 3, 1])), (doc) => (doc.architecture = mlp([2, 2, 1]).toConfig()));
    expect(loadProblems(mismatched)).toEqual([
      "parameter 'hidden.weight' has shape [2, 3] but the model expects [2, 2]",
      "parameter 'hidden.bias' has shape [3] but the model expects [2]",
      "parameter 'output.weight' has shape [3, 1] but the model expects [2, 1]",
    ]);
  });

  it('several problems at once are all listed in one error, and { into } keeps its weights', () => {
    const broken = edit(text, (doc) => {
      doc.comment = 'hand edited';
      doc.weights['hidden.weight'].dtype = 'int8';
      doc.weights['hidden.bias'].data = [0.5];
      doc.weights['output.weight'].data = ['abc', null, 1, true, {}];
      doc.weights['output.weight'].extra = 1;
      delete doc.weights['output.bias'];
      doc.weights['extra.weight'] = { dtype: 'float32', shape: [1], data: [1] };
    });
    const target = mlp([2, 2, 1], { rng: new Generator(7) });
    const before = parameterBytes(target);
    let error: unknown;
    try {
      deserializeModel(broken, { into: target, source: 'xor.json' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problems).toEqual([
      "unexpected field 'comment' (a model file has format, version, architecture, config, metadata, weights)",
      `weight 'hidden.weight' has dtype "int8", expected "float32" or "float64"`,
      "weight 'hidden.bias' has shape [2] (2 values) but its data has 1",
      "weight 'output.weight' has an unexpected field 'extra'",
      `weight 'output.weight' has 4 entries that are not a number or "NaN", "Infinity", "-Infinity": data[0] = "abc", data[1] = null, data[3] = true and 1 more`,
      "weight 'output.weight' has shape [2, 1] (2 values) but its data has 5",
      "missing parameter 'output.bias' [1]",
      "unexpected parameter 'extra.weight'",
    ]);
    expect((error as Error).message).toMatch(/^load: xor\.json has 8 problems:\n {2}- unexpected field 'comment'/);
    expect(parameterBytes(target)).toEqual(before);
  });

  it('an unknown layer type names the known types, beside the weights\' problems', () => {
    const problems = loadProblems(edit(text, (doc) => {
      doc.architecture = { type: 'sequential', layers: [{ name: 'hidden', config: { type: 'conv2d' } }] };
      doc.weights['hidden.bias'].shape = [-2];
    }));
    expect(problems).toEqual([
      "weight 'hidden.bias' has shape [-2], expected an array of non-negative integers",
      expect.stringMatching(/^the architecture cannot be built: moduleFromConfig: unknown layer type 'conv2d' \(known: .*dense.*\)$/),
    ]);
  });

  it('an architecture option the layer does not know (a typo) or a value it reads differently', () => {
    const problems = loadProblems(edit(text, (doc) => {
      doc.architecture = {
        type: 'sequential',
        layers: [
          { name: 'hidden', config: { type: 'dense', inFeatures: '2', outFeatures: 2, activation: 'sigmoid', bias: true, actvation: 'relu' } },
          { name: 'output', config: { type: 'dense', inFeatures: 2, outFeatures: 1, activation: 'sigmoid' } },
        ],
      };
    }));
    expect(problems).toEqual([
      'the architecture does not rebuild as written: at layers[0].config.inFeatures: "2" in the file, 2 when rebuilt',
      'the architecture does not rebuild as written: at layers[0].config.actvation: "relu" in the file, absent when rebuilt',
    ]);
  });

  it('values beyond the float32 range, and number literals beyond float64', () => {
    const problems = loadProblems(
      text.replace(/"hidden\.bias": \{"dtype": "float32", "shape": \[2\], "data": \[0, 0\]\}/, '"hidden.bias": {"dtype": "float32", "shape": [2], "data": [1e39, 1e999]}'),
    );
    expect(problems).toEqual([
      `weight 'hidden.bias' has 2 values out of range: data[0] = 1e+39 is beyond the float32 range, data[1] is a literal too large for a float64 (an infinity is written "Infinity")`,
    ]);
  });

  it('a float64 file does not load into a float32 model (it would round)', () => {
    const target = mlp([2, 2, 1]);
    const problems = loadProblems(serializeModel(mlp([2, 2, 1], { dtype: 'float64' })), { into: target });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe("parameter 'hidden.weight' is float64 in the file but float32 in the model, which would round its values (build the model in float64)");
  });
});

describe('saveModel(path, model) and loadModel(path)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  let dirs = 0;
  const freshDir = () => fs.mkdtempSync(path.join(root, `case${++dirs}-`));

  it('round-trips a model through a file, config and metadata included, leaving only that file', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'zoo.json');
    const model = zoo('float64');
    await saveModel(file, model, { config: { lr: 0.1 }, metadata: { epochs: 3 } });
    expect(fs.readdirSync(dir)).toEqual(['zoo.json']);
    const loaded = await loadModel(file);
    expect(parameterBytes(loaded.model)).toEqual(parameterBytes(model));
    expect(loaded.config).toEqual({ lr: 0.1 });
    expect(loaded.metadata).toEqual({ epochs: 3 });
    expect(fs.readFileSync(file, 'utf8')).toBe(serializeModel(model, { config: { lr: 0.1 }, metadata: { epochs: 3 } }));
  });

  it('saving over an existing file replaces it completely', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(file, 'x'.repeat(1_000_000));
    const model = mlp([2, 2, 1]);
    await saveModel(file, model);
    expect(fs.readFileSync(file, 'utf8')).toBe(serializeModel(model));
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
  });

  it('a save whose serialisation fails leaves the previous file byte-identical and no temp files', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'model.json');
    await saveModel(file, mlp([2, 2, 1]));
    const before = fs.readFileSync(file);
    await expect(saveModel(file, mlp([2, 3, 1]), { config: { lr: NaN } })).rejects.toThrow(
      `save: nothing was written to ${file}: save: cannot serialise sequential: 1 problem:\n  - config.lr is NaN, which JSON cannot store`,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
  });

  it('a save that fails after writing its temp file (the rename) removes the temp file', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'model.json');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'keep.txt'), 'keep');
    await expect(saveModel(file, mlp([2, 2, 1]))).rejects.toThrow(`save: could not write ${file} (any previous file there is unchanged)`);
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect(fs.readdirSync(file)).toEqual(['keep.txt']);
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'a save into a read-only directory fails and leaves the previous file byte-identical',
    async () => {
      const dir = freshDir();
      const file = path.join(dir, 'model.json');
      await saveModel(file, mlp([2, 2, 1]));
      const before = fs.readFileSync(file);
      fs.chmodSync(dir, 0o555);
      try {
        await expect(saveModel(file, mlp([2, 3, 1]))).rejects.toThrow(`save: could not write ${file}`);
      } finally {
        fs.chmodSync(dir, 0o755);
      }
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(['model.json']);
    },
  );

  it('a save into a missing directory fails naming the path', async () => {
    const file = path.join(freshDir(), 'no', 'such', 'model.json');
    await expect(saveModel(file, mlp([2, 1]))).rejects.toThrow(`save: could not write ${file}`);
  });

  it('concurrent saves to one path leave one complete file and no temp files', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'model.json');
    const models = [1, 2, 3, 4, 5].map((seed) => mlp([2, 4, 1], { rng: new Generator(seed) }));
    await Promise.all(models.map((model) => saveModel(file, model)));
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect(models.map((model) => serializeModel(model))).toContain(fs.readFileSync(file, 'utf8'));
  });

  it('loadModel(path, { into }) loads into an existing model', async () => {
    const file = path.join(freshDir(), 'model.json');
    const trained = mlp([2, 2, 1], { rng: new Generator(11) });
    await saveModel(file, trained);
    const target = mlp([2, 2, 1], { rng: new Generator(12) });
    const { model } = await loadModel(file, { into: target });
    expect(model).toBe(target);
    expect(parameterBytes(target)).toEqual(parameterBytes(trained));
  });

  it('loadModel of a missing file gives a one-line error naming the path', async () => {
    const file = path.join(freshDir(), 'missing.json');
    await expect(loadModel(file)).rejects.toThrow(new RegExp(`^load: no model file at ${file.replace(/[.\\]/g, '\\$&')}$`));
  });

  it('loadModel names the path in a bad file\'s problems, and a truncated file fails', async () => {
    const file = path.join(freshDir(), 'model.json');
    await saveModel(file, mlp([2, 2, 1]));
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, 100));
    await expect(loadModel(file)).rejects.toThrow(`load: ${file} has 1 problem:\n  - truncated or not JSON`);
  });

  it('the file functions import Node modules lazily, so a browser bundle does not load them', () => {
    const source = fs.readFileSync(fileURLToPath(new URL('../packages/nnlab/src/io/file.ts', import.meta.url)), 'utf8');
    expect(source).not.toMatch(/^import (?!type ).*from 'node:/m);
    for (const file of ['format.ts', 'read.ts', 'write.ts']) {
      const text = fs.readFileSync(fileURLToPath(new URL(`../packages/nnlab/src/io/${file}`, import.meta.url)), 'utf8');
      expect(text).not.toMatch(/from 'node:/);
    }
  });
});
