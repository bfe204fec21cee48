/**
 * Model files: one versioned JSON document holding a model's architecture, the caller's config
 * and metadata, and every weight by dotted name, written so that float32 and float64 values read
 * back bit for bit. Text in, text out, no Node APIs: the browser can use it as it is, and
 * `file.ts` adds atomic saving to disk.
 *
 *     {
 *       "format": "nnlab-model",
 *       "version": 1,
 *       "architecture": { "type": "sequential", "layers": [...] },   (null for custom modules)
 *       "config": { "lr": 0.5 },
 *       "metadata": { "epochs": 2000 },
 *       "weights": {
 *         "hidden.weight": {"dtype": "float32", "shape": [2, 2], "data": [0.1, -2.5, 3, 0]},
 *         ...
 *       }
 *     }
 *
 * NOTE: numbers round-trip exactly because a float64 is written as the shortest decimal that
 * reads back as the same double (JavaScript's own number-to-text), and a float32 as the shortest
 * decimal that rounds back to the same float32 (at most 9 digits). JSON has no NaN or infinities,
 * so those are the strings "NaN", "Infinity" and "-Infinity"; -0 is written as -0, which
 * JSON.parse keeps. Only NaN payload bits are not kept (JavaScript does not preserve them either).
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import { formatShape, sameShape, sizeOf } from '../tensor/shape.js';
import type { Generator } from '../random/generator.js';
import type { Module } from '../nn/module.js';
// Imported from the nn barrel (not nn/config.js) so that every built-in layer has registered its
// builder before a file is read.
import { moduleFromConfig } from '../nn/index.js';
import type { JsonValue, ModuleConfig } from '../nn/index.js';

export const MODEL_FORMAT = 'nnlab-model';
/** The version this nnlab writes. */
export const MODEL_FORMAT_VERSION = 1;
/** The versions this nnlab reads. */
export const SUPPORTED_MODEL_FORMAT_VERSIONS: readonly number[] = [1];

export interface SerializeOptions {
  /** The experiment or training config to store beside the model (any JSON). */
  config?: JsonValue;
  /** Anything else worth keeping: epochs, final loss, a note. */
  metadata?: Record<string, JsonValue>;
}

export interface DeserializeOptions {
  /** Load the weights into this model instead of building one from the file's architecture. */
  into?: Module;
  /** The generator a rebuilt model's dropout layers draw their masks from. */
  rng?: Generator;
  /** How errors name the text (loadModel passes the file's path); default 'model'. */
  source?: string;
}

export interface LoadedModel<M extends Module = Module> {
  model: M;
  /** The config saved with the model, or null. */
  config: JsonValue | null;
  metadata: Record<string, JsonValue>;
}

/** A model file that cannot be loaded: `problems` lists every reason, one sentence each. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';

  constructor(
    /** The file's path, or 'model' for text that came from elsewhere. */
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`load: ${source} has ${plural(problems.length, 'problem')}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const FIELDS = ['format', 'version', 'architecture', 'config', 'metadata', 'weights'];
const WEIGHT_FIELDS = ['dtype', 'shape', 'data'];
const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * serializeModel(model, { config, metadata }) → the model file's JSON text.
 *
 * Throws (naming every problem) when the config or metadata holds values JSON cannot store
 * (NaN, functions, cycles, class instances) or when the model's architecture does not rebuild
 * the same parameters, so a file that is written can always be read back.
 */
export function serializeModel(model: Module, options: SerializeOptions = {}): string {
  const architecture = model.toConfig();
  const config = options.config ?? null;
  const metadata = options.metadata ?? {};
  const parameters = model.namedParameters();

  const problems: string[] = [];
  jsonProblems(architecture, 'architecture', problems);
  jsonProblems(config, 'config', problems);
  if (!isPlainObject(metadata)) problems.push(`metadata must be a plain object, got ${show(metadata)}`);
  else jsonProblems(metadata, 'metadata', problems);
  const seen = new Set<string>();
  for (const [name] of parameters) {
    if (seen.has(name)) problems.push(`two parameters are both named '${name}'`);
    seen.add(name);
  }
  if (architecture !== null && problems.length === 0) problems.push(...rebuildProblems(architecture, parameters));
  if (problems.length > 0) {
    throw new Error(`save: cannot serialise ${model.describe()}: ${plural(problems.length, 'problem')}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  const weights = parameters.map(
    ([name, p]) => `    ${JSON.stringify(name)}: {"dtype": "${p.dtype}", "shape": ${formatShape(p.shape)}, "data": [${encodeData(p.data, p.dtype)}]}`,
  );
  return [
    '{',
    `  "format": "${MODEL_FORMAT}",`,
    `  "version": ${MODEL_FORMAT_VERSION},`,
    `  "architecture": ${indentJson(architecture)},`,
    `  "config": ${indentJson(config)},`,
    `  "metadata": ${indentJson(metadata)},`,
    weights.length === 0 ? '  "weights": {}' : `  "weights": {\n${weights.join(',\n')}\n  }`,
    '}',
    '',
  ].join('\n');
}

function indentJson(value: JsonValue): string {
  return JSON.stringify(value, null, 2).replaceAll('\n', '\n  ');
}

function encodeData(data: FloatArray, dtype: DType): string {
  const parts = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) parts[i] = numberText(data[i], dtype);
  return parts.join(', ');
}

function numberText(v: number, dtype: DType): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (v === Infinity) return '"Infinity"';
  if (v === -Infinity) return '"-Infinity"';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  return dtype === 'float32' ? shortestFloat32(v) : String(v);
}

/** The shortest decimal (6 to 9 significant digits) that rounds back to the float32 `v`. */
function shortestFloat32(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) <= 2 ** 24) return String(v);
  for (let digits = 6; digits < 9; digits++) {
    const candidate = Number(v.toPrecision(digits));
    if (Math.fround(candidate) === v) return String(candidate);
  }
  return String(Number(v.toPrecision(9))); // 9 significant digits always identify a float32
}

/** What stops `value` from surviving JSON.stringify and JSON.parse unchanged. */
function jsonProblems(value: unknown, path: string, problems: string[], ancestors = new Set<object>()): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push(`${path} is ${value}, which JSON cannot store`);
    return;
  }
  if (typeof value !== 'object') {
    problems.push(`${path} is ${value === undefined ? 'undefined' : `a ${typeof value}`}, which JSON cannot store`);
    return;
  }
  if (ancestors.has(value)) {
    problems.push(`${path} contains itself (a cycle), which JSON cannot store`);
    return;
  }
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) jsonProblems(value[i], `${path}[${i}]`, problems, ancestors);
  } else if (!isPlainObject(value)) {
    problems.push(`${path} is a ${value.constructor?.name ?? 'non-plain object'}, not plain JSON (use numbers, strings, booleans, null, arrays and plain objects)`);
  } else {
    // A property whose value is undefined is simply absent from the file, as after JSON.stringify.
    for (const [key, v] of Object.entries(value)) if (v !== undefined) jsonProblems(v, childPath(path, key), problems, ancestors);
  }
  ancestors.delete(value);
}

/** Checks that the architecture rebuilds a model with the same config and parameters. */
function rebuildProblems(architecture: ModuleConfig, parameters: [string, Tensor][]): string[] {
  const dtypes = new Set(parameters.map(([, p]) => p.dtype));
  let rebuilt: Module;
  try {
    rebuilt = moduleFromConfig(architecture, { dtype: dtypes.size === 1 ? [...dtypes][0] : 'float32' });
  } catch (error) {
    return [`its architecture (toConfig()) does not rebuild a model: ${errorMessage(error)}`];
  }
  const problems = configDifferences(architecture, rebuilt.toConfig(), ['in toConfig()', 'when rebuilt']).map(
    (d) => `its architecture does not rebuild the same model: ${d}`,
  );
  const expected = new Map(parameters.map(([name, p]) => [name, p.shape]));
  for (const [name, p] of rebuilt.namedParameters()) {
    const shape = expected.get(name);
    if (shape === undefined) problems.push(`its architecture rebuilds a parameter '${name}' ${formatShape(p.shape)} that the model does not have`);
    else if (!sameShape(shape, p.shape)) {
      problems.push(`its architecture rebuilds parameter '${name}' with shape ${formatShape(p.shape)} but the model's is ${formatShape(shape)}`);
    }
    expected.delete(name);
  }
  for (const name of expected.keys()) problems.push(`its architecture does not rebuild parameter '${name}'`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Reading

interface DecodedWeight {
  /** null where the file's entry is unusable (each reason is already a problem). */
  dtype: DType | null;
  shape: number[] | null;
  data: FloatArray | null;
}

/**
 * deserializeModel(text, { into, rng }) → { model, config, metadata }.
 *
 * Builds the model from the file's architecture, or, with `into`, loads the weights into that
 * model (its architecture, if it has one, must match the file's). Everything is checked before
 * anything is built or changed; on any problem it throws one ModelFileError listing them all,
 * and `into` keeps its weights.
 */
export function deserializeModel<M extends Module>(text: string, options: DeserializeOptions & { into: M }): LoadedModel<M>;
export function deserializeModel(text: string, options?: DeserializeOptions): LoadedModel;
export function deserializeModel(text: string, options: DeserializeOptions = {}): LoadedModel {
  const source = options.source ?? 'model';
  const fail = (problems: string[]) => new ModelFileError(source, problems);

  if (text.trim() === '') throw fail(['it is empty (0 characters of JSON)']);
  let document: unknown;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw fail([`truncated or not JSON: ${errorMessage(error)} (the text has ${text.length} characters)`]);
  }
  if (!isPlainObject(document)) throw fail([`the top level is ${show(document)}, expected an object with "format": "${MODEL_FORMAT}"`]);

  // A different format or version has a different layout: checking the rest would only add noise.
  const problems: string[] = [];
  if (!('format' in document)) problems.push(`missing field 'format' (expected "${MODEL_FORMAT}"): not an nnlab model file?`);
  else if (document.format !== MODEL_FORMAT) problems.push(`format is ${show(document.format)}, expected "${MODEL_FORMAT}"`);
  const supported = `this nnlab reads version${SUPPORTED_MODEL_FORMAT_VERSIONS.length > 1 ? 's' : ''} ${SUPPORTED_MODEL_FORMAT_VERSIONS.join(', ')}`;
  if (!('version' in document)) problems.push(`missing field 'version' (${supported})`);
  else if (!SUPPORTED_MODEL_FORMAT_VERSIONS.includes(document.version as number)) {
    problems.push(`version ${show(document.version)} is not supported (${supported})`);
  }
  if (problems.length > 0) throw fail([...problems, 'the other fields were not checked']);

  for (const key of Object.keys(document)) {
    if (!FIELDS.includes(key)) problems.push(`unexpected field '${key}' (a model file has ${FIELDS.join(', ')})`);
  }
  const architecture = readArchitecture(document, problems);
  const config = (document.config ?? null) as JsonValue;
  let metadata: Record<string, JsonValue> = {};
  if (document.metadata !== undefined) {
    if (isPlainObject(document.metadata)) metadata = document.metadata as Record<string, JsonValue>;
    else problems.push(`metadata is ${show(document.metadata)}, expected an object`);
  }
  const weights = readWeights(document, problems);

  const model = options.into ?? buildModel(architecture, weights, options.rng, problems);
  if (options.into !== undefined && isPlainObject(architecture)) {
    const own = options.into.toConfig();
    if (own !== null) {
      for (const d of configDifferences(architecture, own, ['in the file', 'in the model'])) {
        problems.push(`the architecture differs from the model's: ${d}`);
      }
    }
  }
  if (model !== null && weights !== null) problems.push(...fitProblems(weights, model));
  if (problems.length > 0 || model === null || weights === null) throw fail(problems);

  const state: Record<string, Tensor> = {};
  for (const [name, w] of weights) state[name] = new Tensor(w.data!, w.shape!);
  model.loadStateDict(state);
  return { model, config, metadata };
}

/** The architecture field: a layer config, null, or undefined when unusable. */
function readArchitecture(document: Record<string, unknown>, problems: string[]): ModuleConfig | null | undefined {
  if (!('architecture' in document)) {
    problems.push("missing field 'architecture' (a layer config, or null for a custom module)");
    return undefined;
  }
  const architecture = document.architecture;
  if (architecture === null) return null;
  if (!isPlainObject(architecture) || typeof architecture.type !== 'string') {
    problems.push(`architecture is ${show(architecture)}, expected a layer config with a string 'type', or null`);
    return undefined;
  }
  return architecture as ModuleConfig;
}

function readWeights(document: Record<string, unknown>, problems: string[]): Map<string, DecodedWeight> | null {
  if (!('weights' in document)) {
    problems.push("missing field 'weights' (an object of parameters by dotted name)");
    return null;
  }
  if (!isPlainObject(document.weights)) {
    problems.push(`weights is ${show(document.weights)}, expected an object of parameters by dotted name`);
    return null;
  }
  return new Map(Object.entries(document.weights).map(([name, entry]) => [name, readWeight(name, entry, problems)]));
}

function readWeight(name: string, entry: unknown, problems: string[]): DecodedWeight {
  const label = `weight '${name}'`;
  const decoded: DecodedWeight = { dtype: null, shape: null, data: null };
  if (!isPlainObject(entry)) {
    problems.push(`${label} is ${show(entry)}, expected {"dtype", "shape", "data"}`);
    return decoded;
  }
  for (const key of Object.keys(entry)) if (!WEIGHT_FIELDS.includes(key)) problems.push(`${label} has an unexpected field '${key}'`);

  if (entry.dtype === 'float32' || entry.dtype === 'float64') decoded.dtype = entry.dtype;
  else problems.push(`${label} has dtype ${show(entry.dtype)}, expected "float32" or "float64"`);

  const shape = entry.shape;
  if (Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0)) decoded.shape = shape as number[];
  else problems.push(`${label} has shape ${show(shape)}, expected an array of non-negative integers`);

  if (!Array.isArray(entry.data)) {
    problems.push(`${label} has data ${show(entry.data)}, expected an array of numbers`);
    return decoded;
  }
  const values: unknown[] = entry.data;
  const data = allocate(decoded.dtype ?? 'float64', values.length);
  const bad: string[] = [];
  const outOfRange: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const number = typeof v === 'number' ? v : typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : undefined;
    if (number === undefined) bad.push(`data[${i}] = ${show(v)}`);
    // JSON.parse reads a literal such as 1e999 as Infinity; a real infinity is written "Infinity".
    else if (typeof v === 'number' && !Number.isFinite(v)) outOfRange.push(`data[${i}] is a literal too large for a float64 (an infinity is written "Infinity")`);
    else if (decoded.dtype === 'float32' && Number.isFinite(number) && !Number.isFinite(Math.fround(number))) {
      outOfRange.push(`data[${i}] = ${number} is beyond the float32 range`);
    } else data[i] = number;
  }
  if (bad.length > 0) {
    problems.push(`${label} has ${plural(bad.length, 'entry', 'entries')} that ${bad.length > 1 ? 'are' : 'is'} not a number or "NaN", "Infinity", "-Infinity": ${listSome(bad)}`);
  }
  if (outOfRange.length > 0) problems.push(`${label} has ${plural(outOfRange.length, 'value')} out of range: ${listSome(outOfRange)}`);
  if (decoded.shape !== null && sizeOf(decoded.shape) !== values.length) {
    problems.push(`${label} has shape ${formatShape(decoded.shape)} (${plural(sizeOf(decoded.shape), 'value')}) but its data has ${values.length}`);
  } else if (decoded.dtype !== null && decoded.shape !== null && bad.length === 0 && outOfRange.length === 0) {
    decoded.data = data;
  }
  return decoded;
}

/** Builds the file's architecture in the weights' dtype; null (with the problems noted) when it cannot. */
function buildModel(
  architecture: ModuleConfig | null | undefined,
  weights: Map<string, DecodedWeight> | null,
  rng: Generator | undefined,
  problems: string[],
): Module | null {
  if (architecture === undefined) return null;
  if (architecture === null) {
    problems.push('the file has no architecture (it was saved from a custom module whose toConfig() returns null): pass { into: model } to load its weights into a model built in code');
    return null;
  }
  const byDtype = new Map<DType, string>();
  for (const [name, w] of weights ?? []) if (w.dtype !== null && !byDtype.has(w.dtype)) byDtype.set(w.dtype, name);
  if (byDtype.size > 1) {
    problems.push(
      `the weights mix dtypes ('${byDtype.get('float32')}' is float32, '${byDtype.get('float64')}' is float64) but a model built from an architecture has one: pass { into: model } to load them into a model built in code`,
    );
    return null;
  }
  let model: Module;
  try {
    model = moduleFromConfig(architecture, { rng, dtype: [...byDtype.keys()][0] ?? 'float32' });
  } catch (error) {
    problems.push(`the architecture cannot be built: ${errorMessage(error)}`);
    return null;
  }
  const differences = configDifferences(architecture, model.toConfig(), ['in the file', 'when rebuilt']);
  for (const d of differences) problems.push(`the architecture does not rebuild as written: ${d}`);
  return model;
}

/** Why the file's weights do not fit the model, in the words of Module.stateDictProblems. */
function fitProblems(weights: Map<string, DecodedWeight>, model: Module): string[] {
  const problems: string[] = [];
  const own = new Map(model.namedParameters());
  for (const [name, p] of own) {
    const w = weights.get(name);
    if (w === undefined) {
      problems.push(`missing parameter '${name}' ${formatShape(p.shape)}`);
      continue;
    }
    if (w.shape !== null && !sameShape(w.shape, p.shape)) {
      problems.push(`parameter '${name}' has shape ${formatShape(w.shape)} but the model expects ${formatShape(p.shape)}`);
    }
    if (w.dtype === 'float64' && p.dtype === 'float32') {
      problems.push(`parameter '${name}' is float64 in the file but float32 in the model, which would round its values (build the model in float64)`);
    }
  }
  for (const name of weights.keys()) if (!own.has(name)) problems.push(`unexpected parameter '${name}'`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Where two configs differ, as `at layers[0].config.outFeatures: 3 in the file, 2 in the model`.
 * A key absent from the first config is not a difference: files from before an option existed
 * take its default.
 */
function configDifferences(a: JsonValue, b: JsonValue, [aName, bName]: [string, string]): string[] {
  const differences: string[] = [];
  const walk = (x: JsonValue | undefined, y: JsonValue | undefined, path: string): void => {
    if (x === undefined) return;
    const bothArrays = Array.isArray(x) && Array.isArray(y);
    const bothObjects = isPlainObject(x) && isPlainObject(y);
    if (bothArrays && x.length === y.length) {
      x.forEach((v, i) => walk(v, y[i], `${path}[${i}]`));
    } else if (bothObjects) {
      const xo = x as Record<string, JsonValue>;
      const yo = y as Record<string, JsonValue>;
      for (const key of new Set([...Object.keys(xo), ...Object.keys(yo)])) walk(xo[key], yo[key], childPath(path, key));
    } else if (!Object.is(x, y)) {
      const where = path === '' ? 'the top' : path;
      const lengths = bothArrays ? ` (${(x as JsonValue[]).length} vs ${(y as JsonValue[]).length} entries)` : '';
      differences.push(`at ${where}: ${show(x)} ${aName}, ${y === undefined ? 'absent' : show(y)} ${bName}${lengths}`);
    }
  };
  walk(a, b, '');
  return differences;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function childPath(path: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? segment : /^[A-Za-z_$]/.test(segment) ? `${path}.${segment}` : `${path}[${segment}]`;
}

/** A value as it appears in JSON, cut short for messages. */
function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function listSome(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
