/**
 * The parameters an architecture declares, read from its config alone: nothing is built, so a
 * model file's weights can be checked against them before deserializeModel allocates anything.
 * One rule per built-in layer type (the shapes its builder gives, test/io-untrusted.test.ts
 * builds each and compares). A type without a rule (one registered by the user) makes the
 * answer incomplete: its own parameters are checked once it is built.
 */
import { moduleTypes } from '../nn/index.js';
import { isPlainObject, show } from './format.js';

/** Built-in layer types that hold no parameters. */
const PARAMETERLESS = new Set(['activation', 'leakyRelu', 'elu', 'softmax', 'dropout']);

/**
 * JSON nesting deeper than this in an architecture is refused before anything recurses over it
 * (a sequential layer takes 3 levels: the list, the entry, its config).
 */
export const MAX_ARCHITECTURE_DEPTH = 100;

type Shapes = [name: string, shape: number[]][];

/** What an architecture declares: its parameters, and whether a layer of a user-registered type (not listed) holds more. */
export interface Declared {
  shapes: Shapes;
  complete: boolean;
}

/** A config that no builder should see: the file is refused with this sentence. */
class Undeclarable extends Error {}

/** A size option of a layer's config, as its builder reads it (Number). */
function size(config: Record<string, unknown>, option: string): number {
  const value = Number(config[option]);
  // Huge integers pass: the limit on parameter values refuses them with a better message.
  if (!Number.isInteger(value) || value < 0) throw new Undeclarable(`a ${String(config.type)} layer's ${option} is ${show(config[option])}, expected a non-negative integer`);
  return value;
}

type Rule = (config: Record<string, unknown>, child: (config: unknown, prefix: string) => Declared) => Declared;
const own = (shapes: Shapes): Declared => ({ shapes, complete: true });

const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['dense', (config) => {
    const [inputs, outputs] = [size(config, 'inFeatures'), size(config, 'outFeatures')];
    return own(config.bias === false ? [['weight', [inputs, outputs]]] : [['weight', [inputs, outputs]], ['bias', [outputs]]]);
  }],
  ['prelu', (config) => own([['alpha', [size(config, 'numParameters')]]])],
  ['highway', (config) => {
    const width = size(config, 'width');
    return own(['transform', 'gate'].flatMap((part): Shapes => [[`${part}.weight`, [width, width]], [`${part}.bias`, [width]]]));
  }],
  ['residual', (config, child) => child(config.body, 'body')],
  ['sequential', (config, child) => {
    if (!Array.isArray(config.layers)) throw new Undeclarable(`a sequential layer's layers is ${show(config.layers)}, expected an array`);
    const all: Declared = { shapes: [], complete: true };
    (config.layers as unknown[]).forEach((entry, i) => {
      if (!isPlainObject(entry) || typeof entry.name !== 'string') throw new Undeclarable(`a sequential layer's layers[${i}] is ${show(entry)}, expected {"name", "config"}`);
      const inner = child(entry.config, entry.name);
      all.shapes.push(...inner.shapes);
      all.complete &&= inner.complete;
    });
    return all;
  }],
]);

function declare(config: unknown): Declared {
  if (!isPlainObject(config) || typeof config.type !== 'string') throw new Undeclarable(`a layer config is ${show(config)}, expected an object with a string 'type'`);
  if (PARAMETERLESS.has(config.type)) return own([]);
  const rule = RULES.get(config.type);
  if (rule !== undefined) {
    return rule(config, (c, prefix) => {
      const inner = declare(c);
      return { shapes: inner.shapes.map(([name, shape]) => [`${prefix}.${name}`, shape]), complete: inner.complete };
    });
  }
  if (!moduleTypes().includes(config.type)) throw new Undeclarable(`moduleFromConfig: unknown layer type '${config.type}' (known: ${moduleTypes().join(', ')})`); // as moduleFromConfig says it
  return { shapes: [], complete: false };
}

/**
 * declaredParameters({ type: 'dense', inFeatures: 2, outFeatures: 3, … }) → { shapes: [['weight',
 * [2, 3]], ['bias', [3]]], complete: true }: every parameter's dotted name and shape, in the
 * built model's order; or the reason no builder should be given the config.
 */
export function declaredParameters(config: unknown): Declared | { problem: string } {
  try {
    return declare(config);
  } catch (error) {
    if (error instanceof Undeclarable) return { problem: error.message };
    throw error;
  }
}

/** How deeply JSON objects and arrays nest in `value` (a flat layer config is 1), counted no deeper than `stop`. */
export function jsonDepth(value: unknown, stop = MAX_ARCHITECTURE_DEPTH + 1): number {
  if (stop <= 0 || value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const inner of Object.values(value)) deepest = Math.max(deepest, jsonDepth(inner, stop - 1));
  return 1 + deepest;
}
