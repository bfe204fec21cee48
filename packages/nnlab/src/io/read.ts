/** Reading model files: deserializeModel checks everything first and reports every problem at once. */
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
import { MAX_ARCHITECTURE_DEPTH, declaredParameters, jsonDepth } from './declared.js';
import {
  DEFAULT_MAX_PARAMETERS,
  FIELDS,
  MODEL_FORMAT,
  ModelFileError,
  NON_FINITE,
  SUPPORTED_MODEL_FORMAT_VERSIONS,
  WEIGHT_FIELDS,
  configDifferences,
  errorMessage,
  isPlainObject,
  listSome,
  plural,
  show,
} from './format.js';
import type { DeserializeOptions, LoadedModel } from './format.js';

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
 * and `into` keeps its weights. The weights are checked against the parameters the architecture
 * declares before the model is built, so a file makes nnlab allocate no more than it holds, and
 * no more than `maxParameters` values (default {@link DEFAULT_MAX_PARAMETERS}) in all.
 */
export function deserializeModel<M extends Module>(text: string, options: DeserializeOptions & { into: M }): LoadedModel<M>;
export function deserializeModel(text: string, options?: DeserializeOptions): LoadedModel;
export function deserializeModel(text: string, options: DeserializeOptions = {}): LoadedModel {
  checkArguments(text, options);
  const source = options.source ?? 'model';
  const maxParameters = options.maxParameters ?? DEFAULT_MAX_PARAMETERS;
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
  if (!Object.hasOwn(document, 'format')) problems.push(`missing field 'format' (expected "${MODEL_FORMAT}"): not an nnlab model file?`);
  else if (document.format !== MODEL_FORMAT) problems.push(`format is ${show(document.format)}, expected "${MODEL_FORMAT}"`);
  const supported = `this nnlab reads version${SUPPORTED_MODEL_FORMAT_VERSIONS.length > 1 ? 's' : ''} ${SUPPORTED_MODEL_FORMAT_VERSIONS.join(', ')}`;
  if (!Object.hasOwn(document, 'version')) problems.push(`missing field 'version' (${supported})`);
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

  // Nothing is built until the weights are known to fit what the architecture declares: a file
  // makes nnlab allocate no more than it holds.
  const declaredProblems = options.into === undefined && isPlainObject(architecture) ? declaredFitProblems(architecture, weights ?? new Map(), maxParameters) : [];
  problems.push(...declaredProblems);
  const model = options.into ?? (declaredProblems.length > 0 || weights === null ? null : buildModel(architecture, weights, options.rng, problems));
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
  if (!Object.hasOwn(document, 'architecture')) {
    problems.push("missing field 'architecture' (a layer config, or null for a custom module)");
    return undefined;
  }
  const architecture = document.architecture;
  if (architecture === null) return null;
  if (!isPlainObject(architecture) || typeof architecture.type !== 'string') {
    problems.push(`architecture is ${show(architecture)}, expected a layer config with a string 'type', or null`);
    return undefined;
  }
  if (jsonDepth(architecture) > MAX_ARCHITECTURE_DEPTH) {
    problems.push(`architecture nests deeper than ${MAX_ARCHITECTURE_DEPTH} levels of objects and arrays, more than any model nnlab saves`);
    return undefined;
  }
  return architecture as ModuleConfig;
}

function readWeights(document: Record<string, unknown>, problems: string[]): Map<string, DecodedWeight> | null {
  if (!Object.hasOwn(document, 'weights')) {
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
    const number = typeof v === 'number' ? v : typeof v === 'string' ? NON_FINITE.get(v) : undefined;
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

/** Throws, naming deserializeModel, for arguments of the wrong type (a JavaScript caller's mistake, not the file's). */
function checkArguments(text: unknown, options: unknown): void {
  const fail = (message: string) => new TypeError(`deserializeModel: ${message}`);
  if (typeof text !== 'string') throw fail(`text must be a string (a model file's JSON), got ${typeName(text)}`);
  if (options === null || typeof options !== 'object') throw fail(`options must be an object, got ${typeName(options)}`);
  const { maxParameters, into } = options as DeserializeOptions;
  if (maxParameters !== undefined && !(maxParameters === Infinity || (Number.isSafeInteger(maxParameters) && maxParameters >= 0))) {
    throw fail(`options.maxParameters must be a non-negative integer or Infinity, got ${typeName(maxParameters)}`);
  }
  if (into !== undefined && (into === null || typeof into !== 'object' || typeof into.namedParameters !== 'function' || typeof into.loadStateDict !== 'function')) {
    throw fail(`options.into must be a Module to load the weights into, got ${typeName(into)}`);
  }
}

function typeName(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `the string ${show(value)}`;
  return Array.isArray(value) ? 'an array' : `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
}

/**
 * The weights checked against the parameters the architecture declares, before it is built:
 * what is missing, misshapen or unexpected, and whether it declares more than `maxParameters`.
 */
function declaredFitProblems(architecture: ModuleConfig, weights: Map<string, DecodedWeight>, maxParameters: number): string[] {
  const declared = declaredParameters(architecture);
  if ('problem' in declared) return [`the architecture cannot be built: ${declared.problem}`];
  const problems: string[] = [];
  const total = declared.shapes.reduce((sum, [, shape]) => sum + sizeOf(shape), 0);
  if (total > maxParameters) {
    problems.push(`the architecture declares ${declared.complete ? '' : 'at least '}${total} parameter values, more than the limit of ${maxParameters} (pass { maxParameters } to load a bigger model you trust)`);
  }
  const names = new Set<string>();
  for (const [name, shape] of declared.shapes) {
    names.add(name);
    const w = weights.get(name);
    if (w === undefined) problems.push(`missing parameter '${name}' ${formatShape(shape)}`);
    else if (w.shape !== null && !sameShape(w.shape, shape)) problems.push(`parameter '${name}' has shape ${formatShape(w.shape)} but the model expects ${formatShape(shape)}`);
  }
  // A user-registered layer's parameters are known once it is built (fitProblems).
  if (declared.complete) for (const name of weights.keys()) if (!names.has(name)) problems.push(`unexpected parameter '${name}'`);
  return problems;
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
