/** Writing model files: serializeModel, which refuses to write what could not be read back. */
import type { Tensor } from '../tensor/tensor.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Module } from '../nn/module.js';
// Imported from the nn barrel (not nn/config.js) so that every built-in layer has registered its
// builder before an architecture is rebuilt.
import { moduleFromConfig } from '../nn/index.js';
import type { JsonValue, ModuleConfig } from '../nn/index.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, childPath, configDifferences, errorMessage, isPlainObject, plural, show } from './format.js';
import type { SerializeOptions } from './format.js';

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
