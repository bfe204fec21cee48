/**
 * Model files as untrusted input: deserializeModel checks what a file declares before it builds
 * anything, caps what it may declare, and reads every key as the file's own (issue #14, items 5
 * and 7). Allocations are counted with test/fuzz/allocations.ts.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PARAMETERS, Generator, ModelFileError, deserializeModel, nn, serializeModel } from '../packages/nnlab/src/index.js';
import { declaredParameters } from '../packages/nnlab/src/io/declared.js';
import { countAllocations } from './fuzz/allocations.js';

type Json = nn.JsonValue;

function modelFile(architecture: Json, weights: Record<string, Json> = {}): string {
  return JSON.stringify({ format: 'nnlab-model', version: 1, architecture, config: null, metadata: {}, weights });
}

function problemsOf(text: string, options = {}): string[] {
  try {
    deserializeModel(text, options);
  } catch (error) {
    if (error instanceof ModelFileError) return [...error.problems];
    throw error;
  }
  return [];
}

const prelu = (numParameters: number) => ({ type: 'prelu', numParameters });
const sequential = (...layers: Json[]) => ({ type: 'sequential', layers: layers.map((config, i) => ({ name: `l${i}`, config })) });
const dense = (inFeatures: number, outFeatures: number) => ({ type: 'dense', inFeatures, outFeatures, activation: 'linear', bias: true });

/** A file's weights read back: at most this many float array elements besides them. */
const SLACK = 64;

describe('deserializeModel(text) of a file that declares more than it holds', () => {
  it('three PReLU layers of 2×10⁸ slopes and no weights: refused, naming each missing weight, with nothing allocated', () => {
    const text = modelFile(sequential(prelu(2e8), prelu(2e8), prelu(2e8)));
    const { error, elements } = countAllocations(1e6, () => deserializeModel(text));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problems).toEqual([
      `the architecture declares 600000000 parameter values, more than the limit of ${DEFAULT_MAX_PARAMETERS} (pass { maxParameters } to load a bigger model you trust)`,
      "missing parameter 'l0.alpha' [200000000]",
      "missing parameter 'l1.alpha' [200000000]",
      "missing parameter 'l2.alpha' [200000000]",
    ]);
    expect(elements).toBe(0);
  });

  it('a layer declaring 10⁶ slopes beside a file holding 2 values: refused before the layer is built', () => {
    const text = modelFile(sequential(dense(1, 1), prelu(1e6)), {
      'l0.weight': { dtype: 'float32', shape: [1, 1], data: [1] },
      'l0.bias': { dtype: 'float32', shape: [1], data: [0] },
    });
    const { error, elements } = countAllocations(1e5, () => deserializeModel(text));
    expect((error as ModelFileError).problems).toEqual(["missing parameter 'l1.alpha' [1000000]"]);
    expect(elements).toBeLessThanOrEqual(2 + SLACK);
  });

  it('a weight of the wrong shape, or an unexpected one, is found before building', () => {
    const text = modelFile(prelu(1e6), { alpha: { dtype: 'float32', shape: [1], data: [0.25] }, extra: { dtype: 'float32', shape: [1], data: [0] } });
    const { error, elements } = countAllocations(1e5, () => deserializeModel(text));
    expect((error as ModelFileError).problems).toEqual(["parameter 'alpha' has shape [1] but the model expects [1000000]", "unexpected parameter 'extra'"]);
    expect(elements).toBeLessThanOrEqual(2 + SLACK);
  });

  it('a huge layer before a malformed one (a fractional size, an unknown type, a bad entry) allocates nothing', () => {
    for (const bad of [{ ...dense(1, 1), inFeatures: 1.5 }, { type: 'conv2d' }, 5]) {
      const text = modelFile({ type: 'sequential', layers: [{ name: 'big', config: prelu(2e8) }, { name: 'bad', config: bad }] });
      const { error, elements } = countAllocations(1e6, () => deserializeModel(text, { maxParameters: Infinity }));
      expect(error).toBeInstanceOf(ModelFileError);
      expect((error as ModelFileError).problems[0]).toMatch(/^the architecture cannot be built: /);
      expect(elements).toBe(0);
    }
  });

  it('weights given as something other than an object: the architecture is not built', () => {
    const text = JSON.stringify({ format: 'nnlab-model', version: 1, architecture: prelu(2e8), weights: 5 });
    const { error, elements } = countAllocations(1e6, () => deserializeModel(text));
    expect((error as ModelFileError).problems).toContain('weights is 5, expected an object of parameters by dotted name');
    expect(elements).toBe(0);
  });

  it('an architecture nested 10⁴ levels deep is refused as a ModelFileError, not a stack overflow', () => {
    const architecture = '{"type":"residual","body":'.repeat(10_000) + JSON.stringify(dense(1, 1)) + '}'.repeat(10_000);
    expect(problemsOf(modelFile(null).replace('"architecture":null', `"architecture":${architecture}`))).toEqual(['architecture nests deeper than 100 levels of objects and arrays, more than any model nnlab saves']);
  });
});

describe('deserializeModel(text, { maxParameters })', () => {
  const file = serializeModel(new nn.Dense(2, 3, { rng: new Generator(1) })); // 6 + 3 values

  it(`refuses an architecture declaring more values than the limit (default ${DEFAULT_MAX_PARAMETERS}); the option raises it`, () => {
    expect(problemsOf(file, { maxParameters: 8 })).toEqual(['the architecture declares 9 parameter values, more than the limit of 8 (pass { maxParameters } to load a bigger model you trust)']);
    expect(deserializeModel(file, { maxParameters: 9 }).model.parameterCount()).toBe(9);
    expect(deserializeModel(file).model.parameterCount()).toBe(9);
    expect(DEFAULT_MAX_PARAMETERS).toBe(10_000_000);
  });

  it('must be a non-negative integer or Infinity', () => {
    for (const bad of [-1, 1.5, NaN, '9']) {
      expect(() => deserializeModel(file, { maxParameters: bad as number })).toThrow(/^deserializeModel: options\.maxParameters must be a non-negative integer or Infinity, got /);
    }
    expect(deserializeModel(file, { maxParameters: Infinity }).model.parameterCount()).toBe(9);
  });
});

describe('deserializeModel(value) with arguments of the wrong type', () => {
  it('a text that is not a string names the argument and what it got', () => {
    expect(() => deserializeModel({} as string)).toThrow("deserializeModel: text must be a string (a model file's JSON), got an object");
    expect(() => deserializeModel(undefined as unknown as string)).toThrow("deserializeModel: text must be a string (a model file's JSON), got undefined");
    expect(() => deserializeModel(null as unknown as string)).toThrow("deserializeModel: text must be a string (a model file's JSON), got null");
  });

  it('options.into that is not a Module is refused before the text is read', () => {
    const text = serializeModel(new nn.Dense(1, 1, { rng: new Generator(1) }));
    expect(() => deserializeModel(text, { into: {} as nn.Module })).toThrow('deserializeModel: options.into must be a Module to load the weights into, got an object');
  });
});

describe('deserializeModel(text): every key is the file\'s own', () => {
  const base = { type: 'dense', inFeatures: 1, outFeatures: 1, activation: 'linear', bias: true };
  const weights = { weight: { dtype: 'float32', shape: [1, 1], data: [1] }, bias: { dtype: 'float32', shape: [1], data: [0] } };
  // JSON.parse makes "__proto__" an own key, as the file says; an object literal would not.
  const withKey = (key: string, value: string) => modelFile(base, weights).replace('"bias":true', `"bias":true,${JSON.stringify(key)}:${value}`);

  it('an architecture key "__proto__" is refused like any unknown key', () => {
    expect(problemsOf(withKey('extra', '{}'))).toEqual(['the architecture does not rebuild as written: at extra: {} in the file, absent when rebuilt']);
    expect(problemsOf(withKey('__proto__', '{}'))).toEqual(['the architecture does not rebuild as written: at __proto__: {} in the file, absent when rebuilt']);
  });

  it('architecture keys "toString" and "constructor" are unknown keys, not Object\'s methods', () => {
    expect(problemsOf(withKey('toString', '1'))).toEqual(['the architecture does not rebuild as written: at toString: 1 in the file, absent when rebuilt']);
    expect(problemsOf(withKey('constructor', '{}'))).toEqual(['the architecture does not rebuild as written: at constructor: {} in the file, absent when rebuilt']);
  });

  it('a weight entry "toString" or "constructor" is not a number (only "NaN", "Infinity", "-Infinity" are)', () => {
    const text = modelFile(base, { ...weights, bias: { dtype: 'float32', shape: [1], data: ['toString'] } });
    expect(problemsOf(text)).toEqual([`weight 'bias' has 1 entry that is not a number or "NaN", "Infinity", "-Infinity": data[0] = "toString"`]);
    const constructor = modelFile(base, { ...weights, bias: { dtype: 'float32', shape: [1], data: ['constructor'] } });
    expect(problemsOf(constructor)).toHaveLength(1);
  });

  it('a weight named "__proto__" is an unexpected parameter', () => {
    const text = modelFile(base, weights).replace('"weights":{', '"weights":{"__proto__":{"dtype":"float32","shape":[1],"data":[0]},');
    expect(problemsOf(text)).toEqual(["unexpected parameter '__proto__'"]);
  });
});

describe('declaredParameters(config)', () => {
  /** A config of every built-in layer type; a new type fails the first test until it is added here. */
  const SAMPLES: Record<string, Json> = {
    activation: { type: 'activation', activation: 'tanh' },
    leakyRelu: { type: 'leakyRelu', slope: 0.1 },
    elu: { type: 'elu', alpha: 1 },
    softmax: { type: 'softmax', axis: -1 },
    prelu: prelu(3),
    dense: dense(2, 3),
    denseNoBias: { ...dense(3, 2), bias: false },
    dropout: { type: 'dropout', rate: 0.5 },
    sequential: sequential(dense(2, 2), prelu(2)),
    residual: { type: 'residual', body: dense(2, 2) },
    highway: { type: 'highway', width: 3, activation: 'relu' },
  };

  it('gives the names and shapes that moduleFromConfig builds, for every built-in layer type', () => {
    const sampled = new Set(Object.values(SAMPLES).map((c) => (c as { type: string }).type));
    expect(nn.moduleTypes().filter((type) => !sampled.has(type))).toEqual([]);
    for (const config of Object.values(SAMPLES)) {
      const built = nn.moduleFromConfig(config as nn.ModuleConfig).namedParameters().map(([name, p]) => [name, p.shape]);
      expect(declaredParameters(config)).toEqual({ shapes: built, complete: true });
    }
  });

  it('is incomplete for a user-registered type: its parameters are checked once built', () => {
    nn.registerModuleType('io-untrusted-custom', () => new nn.Dense(1, 1, { weightInit: nn.init.zeros() }));
    expect(declaredParameters(sequential(prelu(2), { type: 'io-untrusted-custom' }))).toEqual({ shapes: [['l0.alpha', [2]]], complete: false });
  });
});
