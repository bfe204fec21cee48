/**
 * What a playground model file holds beside its weights, read as untrusted input: the network it
 * was saved from (`config.playground`) and the epoch (`metadata.epoch`). Each is checked field
 * by field, so a hand-edited file gets a sentence naming the field, never a TypeError. Browser
 * and Node; the weights themselves are deserializeModel's to check.
 */
import { specProblems } from './spec.js';
import type { NetworkSpec } from './spec.js';

/**
 * The largest epoch a file may claim: a billion, over a day of training at 10,000 epochs per
 * second; far below 2⁵³, where adding 1 no longer changes a double and the epoch would stop.
 */
export const MAX_EPOCH = 1_000_000_000;

export interface PlaygroundFile {
  /** The network the file was saved from, or null for a model file from elsewhere (or unreadable JSON). */
  spec: NetworkSpec | null;
  /** The epoch it was saved at, or null when it does not say. */
  epoch: number | null;
  /** What is wrong with either, one sentence each. */
  problems: string[];
}

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (object: Fields, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** readPlaygroundFile(text) → the spec and epoch a model file claims, and what is wrong with them. */
export function readPlaygroundFile(text: string): PlaygroundFile {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { spec: null, epoch: null, problems: [] }; // deserializeModel says what is wrong with the text
  }
  if (!isObject(document)) return { spec: null, epoch: null, problems: [] };
  const problems: string[] = [];
  const config = field(document, 'config');
  const saved = isObject(config) ? field(config, 'playground') : undefined;
  const spec = saved === undefined ? null : readSpec(saved, problems);
  const metadata = field(document, 'metadata');
  const epoch = isObject(metadata) ? field(metadata, 'epoch') : undefined;
  if (epoch !== undefined && !(Number.isSafeInteger(epoch) && (epoch as number) >= 0 && (epoch as number) <= MAX_EPOCH)) {
    problems.push(`metadata.epoch is ${show(epoch)}, expected a whole number of epochs from 0 to ${MAX_EPOCH}`);
  }
  return { spec: problems.length === 0 ? spec : null, epoch: problems.length === 0 && epoch !== undefined ? (epoch as number) : null, problems };
}

/** The saved spec's fields, each of the type the playground builds from; then the spec's own rules. */
function readSpec(saved: unknown, problems: string[]): NetworkSpec | null {
  const at = 'config.playground';
  if (!isObject(saved)) return (problems.push(`${at} is ${show(saved)}, expected the network's settings`), null);
  const before = problems.length;
  const expect = (key: string, ok: (v: unknown) => boolean, what: string, optional = false) => {
    const value = field(saved, key);
    if (!(optional && value === undefined) && !ok(value)) problems.push(`${at}.${key} is ${show(value)}, expected ${what}`);
  };
  expect('hidden', Array.isArray, 'a list of layers');
  expect('skip', (v) => typeof v === 'string', 'a skip connection');
  expect('loss', (v) => typeof v === 'string', 'a loss');
  expect('classes', (v) => Number.isSafeInteger(v), 'a number of classes');
  expect('features', (v) => Array.isArray(v) && v.every((f) => typeof f === 'string'), 'a list of input features', true);
  expect('task', (v) => v === 'classification' || v === 'regression', 'classification or regression', true);
  const hidden = field(saved, 'hidden');
  if (Array.isArray(hidden)) {
    hidden.forEach((layer: unknown, i) => {
      const units = isObject(layer) ? field(layer, 'units') : undefined;
      const activation = isObject(layer) ? field(layer, 'activation') : undefined;
      const dropout = isObject(layer) ? field(layer, 'dropout') : undefined;
      if (!isObject(layer) || typeof units !== 'number' || typeof activation !== 'string' || typeof dropout !== 'number') {
        problems.push(`${at}.hidden[${i}] is ${show(layer)}, expected {"units": a number, "activation": a name, "dropout": a rate}`);
      }
    });
  }
  if (problems.length > before) return null;
  const spec = saved as unknown as NetworkSpec;
  const rules = specProblems(spec);
  if (rules.length > 0) return (problems.push(...rules.map((rule) => `${at}: ${rule}`)), null);
  return spec;
}
