/**
 * The model-file reader under random corruption (issue #14's fuzz suite): truncations, byte
 * edits and JSON edits of valid files of several architectures. deserializeModel either reads
 * the file or throws a ModelFileError; on failure a model passed as `into` keeps every weight;
 * and it never allocates more float values than the text has characters (a value takes at
 * least one), whatever sizes the file declares.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Generator, ModelFileError, deserializeModel, nn, serializeModel } from '../../packages/nnlab/src/index.js';
import { countAllocations } from './allocations.js';

type Json = nn.JsonValue;

const rng = () => new Generator(7);
const ARCHITECTURES: Record<string, () => nn.Module> = {
  dense: () => new nn.Dense(2, 3, { rng: rng(), activation: 'tanh' }),
  mlp64: () => new nn.Sequential({ hidden: new nn.Dense(2, 4, { rng: rng(), dtype: 'float64' }), out: new nn.Dense(4, 1, { rng: rng(), dtype: 'float64' }) }),
  zoo: () =>
    new nn.Sequential({
      hidden: new nn.Dense(2, 3, { rng: rng() }),
      res: new nn.Residual(new nn.Dense(3, 3, { rng: rng() })),
      highway: new nn.Highway(3, { rng: rng() }),
      prelu: new nn.PReLU({ numParameters: 3 }),
      drop: new nn.Dropout(0.5, { rng: rng() }),
      out: new nn.Dense(3, 1, { rng: rng(), activation: 'sigmoid' }),
    }),
};
const FILES = Object.entries(ARCHITECTURES).map(([name, make]) => ({ name, make, text: serializeModel(make(), { config: { lr: 0.5 }, metadata: { epoch: 3 } }) }));

/** Values a fuzzer should try in a model file: huge sizes, inherited names, non-finite spellings. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(2e8, 1e308, -1, 1.5, 0, 2 ** 53, '__proto__', 'toString', 'constructor', 'NaN', '-Infinity', null, [], {}),
  fc.integer({ min: 0, max: 2 ** 31 }),
);

type Edit = { kind: 'truncate'; at: number } | { kind: 'splice'; at: number; cut: number; insert: string } | { kind: 'json'; path: number; value: Json; how: 'set' | 'delete' | 'add'; key: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), cut: fc.nat({ max: 8 }), insert: fc.string({ maxLength: 8 }) }),
  fc.record({
    kind: fc.constant('json' as const),
    path: fc.nat(),
    value: nasty as fc.Arbitrary<Json>,
    how: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
    key: fc.oneof(fc.constantFrom('__proto__', 'toString', 'constructor', 'weight', 'type', 'layers', 'numParameters', 'width'), fc.string({ maxLength: 6 })),
  }),
);

/** Every object and array in a document, with a way to change one of its entries. */
function containers(document: Json): (Json[] | Record<string, Json>)[] {
  const found: (Json[] | Record<string, Json>)[] = [];
  const walk = (value: Json) => {
    if (value === null || typeof value !== 'object') return;
    found.push(value);
    for (const inner of Object.values(value)) walk(inner);
  };
  walk(document);
  return found;
}

function apply(text: string, e: Edit): string {
  if (e.kind === 'truncate') return text.slice(0, e.at % (text.length + 1));
  if (e.kind === 'splice') {
    const at = e.at % (text.length + 1);
    return text.slice(0, at) + e.insert + text.slice(at + e.cut);
  }
  let document: Json;
  try {
    document = JSON.parse(text) as Json;
  } catch {
    return text; // an earlier edit broke the JSON: nothing to edit
  }
  const all = containers(document);
  if (all.length === 0) return text;
  const target = all[e.path % all.length];
  const keys = Object.keys(target);
  const key = e.how === 'add' || keys.length === 0 ? e.key : keys[e.path % keys.length];
  if (Array.isArray(target)) {
    const i = Number.isInteger(Number(key)) ? Number(key) % (target.length + 1) : target.length;
    if (e.how === 'delete') target.splice(i, 1);
    else target[i] = e.value;
  } else if (e.how === 'delete') {
    delete target[key];
  } else {
    Object.defineProperty(target, key, { value: e.value, enumerable: true, writable: true, configurable: true }); // "__proto__" as an own key, as JSON.parse makes it
  }
  return JSON.stringify(document);
}

const weightsOf = (model: nn.Module) => model.namedParameters().map(([name, p]) => [name, Array.from(p.data)]);
const RUNS = 1000;

describe('deserializeModel(text) of randomly corrupted files', () => {
  it(`reads or throws a ModelFileError, allocating no more values than the text has characters (${RUNS} edits per architecture)`, () => {
    for (const file of FILES) {
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
          const text = edits.reduce(apply, file.text);
          const { error, elements } = countAllocations(text.length, () => deserializeModel(text));
          if (error !== undefined && !(error instanceof ModelFileError)) throw error;
          // Each value read is allocated twice at most: as read, and in the model built to hold it.
          expect(elements).toBeLessThanOrEqual(2 * text.length);
        }),
        { seed: 1, numRuns: RUNS },
      );
    }
  });

  it(`never changes a model passed as into when it fails (${RUNS} edits per architecture)`, () => {
    for (const file of FILES) {
      const into = file.make();
      const before = weightsOf(into);
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
          const text = edits.reduce(apply, file.text);
          try {
            deserializeModel(text, { into });
          } catch (error) {
            if (!(error instanceof ModelFileError)) throw error;
            expect(weightsOf(into)).toEqual(before);
            return;
          }
          // A corruption that still reads (a config edit, say) loaded the file's weights: put ours back.
          into.loadStateDict(Object.fromEntries(file.make().namedParameters()));
        }),
        { seed: 2, numRuns: RUNS },
      );
    }
  });
});
