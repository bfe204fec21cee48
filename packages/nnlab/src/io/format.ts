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
import type { Generator } from '../random/generator.js';
import type { Module } from '../nn/module.js';
import type { JsonValue } from '../nn/index.js';

/** The `format` field of every model file nnlab writes. */
export const MODEL_FORMAT = 'nnlab-model';
/** The version this nnlab writes. */
export const MODEL_FORMAT_VERSION = 1;
/** The versions this nnlab reads. */
export const SUPPORTED_MODEL_FORMAT_VERSIONS: readonly number[] = [1];

/** Options of {@link serializeModel} (and {@link saveModel}). */
export interface SerializeOptions {
  /** The experiment or training config to store beside the model (any JSON). */
  config?: JsonValue;
  /** Anything else worth keeping: epochs, final loss, a note. */
  metadata?: Record<string, JsonValue>;
}

/** Options of {@link deserializeModel}. */
export interface DeserializeOptions {
  /** Load the weights into this model instead of building one from the file's architecture. */
  into?: Module;
  /** The generator a rebuilt model's dropout layers draw their masks from. */
  rng?: Generator;
  /** How errors name the text (loadModel passes the file's path); default 'model'. */
  source?: string;
  /**
   * The most parameter values (all weights' sizes added up) a file's architecture may declare;
   * default {@link DEFAULT_MAX_PARAMETERS}. A bigger model is refused before anything is built:
   * raise this (Infinity lifts it) to load one you trust.
   */
  maxParameters?: number;
}

/**
 * How many parameter values a model file may declare unless `maxParameters` says otherwise:
 * 10 million (40 MB as float32), far beyond the networks nnlab trains, far below what would
 * exhaust a browser tab.
 */
export const DEFAULT_MAX_PARAMETERS = 10_000_000;

/** A model read from a file, with what was saved beside it. */
export interface LoadedModel<M extends Module = Module> {
  /** The rebuilt model, or the one passed as `into`, holding the file's weights. */
  model: M;
  /** The config saved with the model, or null. */
  config: JsonValue | null;
  /** The metadata saved with the model (`{}` if none). */
  metadata: Record<string, JsonValue>;
}

/** A model file that cannot be loaded: `problems` lists every reason, one sentence each. */
export class ModelFileError extends Error {
  /** `'ModelFileError'`: error reports and logs show it. */
  override readonly name = 'ModelFileError';

  constructor(
    /** The file's path, or 'model' for text that came from elsewhere. */
    readonly source: string,
    /** Every reason the file cannot be loaded, one sentence each. */
    readonly problems: readonly string[],
  ) {
    super(`load: ${source} has ${plural(problems.length, 'problem')}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const FIELDS = ['format', 'version', 'architecture', 'config', 'metadata', 'weights'];
export const WEIGHT_FIELDS = ['dtype', 'shape', 'data'];
/** The strings that stand for the values JSON has no literal for (a Map: file text is never a key of a plain object). */
export const NON_FINITE: ReadonlyMap<string, number> = new Map([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]]);


/**
 * Where two configs differ, as `at layers[0].config.outFeatures: 3 in the file, 2 in the model`.
 * A key absent from the first config is not a difference: files from before an option existed
 * take its default.
 */
export function configDifferences(a: JsonValue, b: JsonValue, [aName, bName]: [string, string]): string[] {
  const differences: string[] = [];
  const walk = (x: JsonValue | undefined, y: JsonValue | undefined, path: string): void => {
    if (x === undefined) return;
    const bothArrays = Array.isArray(x) && Array.isArray(y);
    const bothObjects = isPlainObject(x) && isPlainObject(y);
    if (bothArrays && x.length === y.length) {
      x.forEach((v, i) => walk(v, y[i], `${path}[${i}]`));
    } else if (bothObjects) {
      // Own keys only: a file's "__proto__" or "toString" is an option like any other, not Object's.
      const own = (o: JsonValue, key: string) => (Object.hasOwn(o as object, key) ? (o as Record<string, JsonValue>)[key] : undefined);
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) walk(own(x, key), own(y, key), childPath(path, key));
    } else if (!Object.is(x, y)) {
      const where = path === '' ? 'the top' : path;
      const lengths = bothArrays ? ` (${(x as JsonValue[]).length} vs ${(y as JsonValue[]).length} entries)` : '';
      differences.push(`at ${where}: ${show(x)} ${aName}, ${y === undefined ? 'absent' : show(y)} ${bName}${lengths}`);
    }
  };
  walk(a, b, '');
  return differences;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function childPath(path: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? segment : /^[A-Za-z_$]/.test(segment) ? `${path}.${segment}` : `${path}[${segment}]`;
}

/** A value as it appears in JSON, cut short for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function listSome(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
