/** The seeded Generator: reproducible streams, the right distributions, forks, and no Math.random in src/. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Generator, randomBernoulli, randomNormal, randomUniform, rng } from '../packages/nnlab/src/index.js';
import type { Seed } from '../packages/nnlab/src/index.js';
import { messageOf } from './helpers.js';

const draws = (g: Generator, n: number, draw: (g: Generator) => number = (r) => r.nextUint32()): number[] =>
  Array.from({ length: n }, () => draw(g));

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((s, c) => s + c, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

describe('Generator streams', () => {
  it('new Generator(42) yields pinned uint32 values (xoshiro128** seeded through FNV-1a and SplitMix32)', () => {
    // Golden numbers: they change only if the algorithm does. A C reference of the same
    // seeding and xoshiro128** gives the same six values, so browsers must too.
    expect(draws(new Generator(42), 6)).toEqual([3415929203, 220504180, 3558451373, 2359703682, 1361629285, 311465741]);
  });

  it("new Generator('nnlab') yields pinned uint32 values for a string seed", () => {
    expect(draws(new Generator('nnlab'), 3)).toEqual([170809156, 1071216784, 3588843239]);
  });

  it('the same seed gives the same sequence for every kind of draw', () => {
    const sample = (g: Generator): number[] => [g.nextUint32(), g.uniform(), g.normal(), g.bernoulli(0.5), g.integer(0, 100), ...g.permutation(5)];
    for (const seed of [0, 42, -7, 2 ** 40, 'run-1', '']) {
      expect(sample(new Generator(seed))).toEqual(sample(new Generator(seed)));
    }
  });

  it('different seeds, numeric or string, give different sequences', () => {
    const seeds: Seed[] = [0, 1, 42, 43, 'a', 'b', 'run-1', 'run-2'];
    const firsts = seeds.map((seed) => draws(new Generator(seed), 4).join(','));
    expect(new Set(firsts).size).toBe(seeds.length);
  });

  it('rng(seed) and random tensors draw the same values from the same seed', () => {
    expect(draws(rng(5), 3)).toEqual(draws(new Generator(5), 3));
    expect(randomNormal([2, 3], new Generator(5)).toArray()).toEqual(randomNormal([2, 3], new Generator(5)).toArray());
    expect(randomUniform([4], new Generator(5), -1, 1, 'float64').toArray()).toEqual(draws(new Generator(5), 4, (g) => g.uniform(-1, 1)));
  });
});

describe('Generator distributions', () => {
  it('uniform(low, high) stays in [low, high) with mean (low + high) / 2', () => {
    const values = draws(new Generator(1), 20_000, (g) => g.uniform(-3, 5));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...values)).toBeLessThan(5);
    // The standard error of the mean is (8 / √12) / √20000 ≈ 0.016.
    expect(Math.abs(values.reduce((s, v) => s + v, 0) / values.length - 1)).toBeLessThan(0.07);
    const unit = draws(new Generator(2), 10_000, (g) => g.uniform());
    expect(unit.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('normal(mean, std) over 20,000 draws has that mean, std and 68% within one std', () => {
    const n = 20_000;
    const values = draws(new Generator(3), n, (g) => g.normal(3, 2));
    const m = values.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
    // Standard errors: 2 / √n ≈ 0.014 for the mean, 2 / √(2n) = 0.01 for the std.
    expect(Math.abs(m - 3)).toBeLessThan(0.06);
    expect(Math.abs(sd - 2)).toBeLessThan(0.04);
    const within = values.filter((v) => Math.abs(v - 3) < 2).length / n;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.015);
  });

  it('bernoulli(p) is 1 at rate p, never for p = 0 and always for p = 1', () => {
    const g = new Generator(4);
    const rate = draws(g, 20_000, (r) => r.bernoulli(0.3)).reduce((s, v) => s + v, 0) / 20_000;
    expect(Math.abs(rate - 0.3)).toBeLessThan(0.015);
    expect(draws(g, 1000, (r) => r.bernoulli(0)).every((v) => v === 0)).toBe(true);
    expect(draws(g, 1000, (r) => r.bernoulli(1)).every((v) => v === 1)).toBe(true);
    const mask = randomBernoulli([1000], new Generator(4), 0.5);
    expect(Array.from(mask.data).every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('integer(low, high) returns every value in low..high−1 and never high', () => {
    const values = draws(new Generator(5), 5000, (g) => g.integer(-2, 3));
    expect(new Set(values)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(values.every((v) => Number.isInteger(v))).toBe(true);
    expect(draws(new Generator(5), 100, (g) => g.integer(7, 8)).every((v) => v === 7)).toBe(true);
  });

  it('integer(0, 6) shows no bias across its range (chi-square over 30,000 draws)', () => {
    const counts = new Array<number>(6).fill(0);
    for (const v of draws(new Generator(6), 30_000, (g) => g.integer(0, 6))) counts[v]++;
    // 20.5 is the 99.9% quantile of chi-square with 5 degrees of freedom.
    expect(chiSquare(counts)).toBeLessThan(20.5);
  });

  it('shuffle(items) permutes in place and reaches the 6 orderings of 3 items about equally', () => {
    const g = new Generator(7);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = g.shuffle(items);
    expect(shuffled).toBe(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...g.permutation(20)].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));

    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = g.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquare([...counts.values()])).toBeLessThan(20.5);
  });
});

describe('Generator.fork', () => {
  const stream = (g: Generator): string => draws(g, 8).join(',');

  it('fork() streams differ from the parent and from each other', () => {
    const parent = new Generator(11);
    const a = parent.fork();
    const b = parent.fork();
    const c = parent.fork('init');
    const streams = [stream(a), stream(b), stream(c), stream(parent)];
    expect(new Set(streams).size).toBe(4);
  });

  it("fork(label) gives the same stream for the same seed and label, and another for another label or seed", () => {
    expect(stream(new Generator(11).fork('dropout'))).toBe(stream(new Generator(11).fork('dropout')));
    expect(stream(new Generator(11).fork('dropout'))).not.toBe(stream(new Generator(11).fork('init')));
    expect(stream(new Generator(12).fork('dropout'))).not.toBe(stream(new Generator(11).fork('dropout')));
  });

  it('fork() does not depend on how many draws the parent made', () => {
    const fresh = new Generator(11);
    const used = new Generator(11);
    draws(used, 1000);
    expect(stream(used.fork())).toBe(stream(fresh.fork()));
    expect(stream(used.fork('data'))).toBe(stream(fresh.fork('data')));
  });

  it("a fork's values do not appear as a run in the parent's stream", () => {
    const parent = new Generator(11);
    const child = draws(parent.fork(), 4).join(',');
    expect(draws(parent, 5000).join(',')).not.toContain(child);
  });
});

describe('Generator arguments', () => {
  it('a non-integer or non-safe numeric seed, or a seed of another type, is rejected', () => {
    expect(messageOf(() => new Generator(1.5))).toBe('Generator: a numeric seed must be a safe integer, got 1.5');
    expect(messageOf(() => new Generator(Number.NaN))).toBe('Generator: a numeric seed must be a safe integer, got NaN');
    expect(messageOf(() => new Generator(2 ** 53))).toBe('Generator: a numeric seed must be a safe integer, got 9007199254740992');
    expect(messageOf(() => new Generator(null as unknown as Seed))).toBe('Generator: seed must be an integer or a string, got object');
  });

  it('bernoulli(p) outside [0, 1] is rejected', () => {
    const g = new Generator(0);
    expect(messageOf(() => g.bernoulli(1.5))).toBe('Generator.bernoulli: p must be in [0, 1], got 1.5');
    expect(messageOf(() => g.bernoulli(Number.NaN))).toBe('Generator.bernoulli: p must be in [0, 1], got NaN');
    expect(messageOf(() => randomBernoulli([2], g, -0.1))).toBe('randomBernoulli: p must be in [0, 1], got -0.1');
  });

  it('integer(low, high) needs integers with low < high', () => {
    const g = new Generator(0);
    expect(messageOf(() => g.integer(3, 3))).toBe('Generator.integer: needs integers low < high, got low 3 and high 3');
    expect(messageOf(() => g.integer(0, 2.5))).toBe('Generator.integer: needs integers low < high, got low 0 and high 2.5');
  });

  it('randomNormal(shape, rng, mean, std) needs std ≥ 0 and a valid shape', () => {
    const g = new Generator(0);
    expect(messageOf(() => randomNormal([2], g, 0, -1))).toBe('randomNormal: std must be non-negative, got -1');
    expect(messageOf(() => randomUniform([2, -1], g))).toBe('randomUniform: shape sizes must be non-negative integers, got [2, -1]');
  });
});

/** Line numbers where `source` reads Math.random (comments and strings do not count). */
function mathRandomUses(source: string, fileName: string): number[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const isMath = (e: ts.Expression): boolean =>
    (ts.isIdentifier(e) && e.text === 'Math') || (ts.isPropertyAccessExpression(e) && e.name.text === 'Math');
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    const uses =
      (ts.isPropertyAccessExpression(node) && node.name.text === 'random' && isMath(node.expression)) ||
      (ts.isElementAccessExpression(node) &&
        ts.isStringLiteralLike(node.argumentExpression) &&
        node.argumentExpression.text === 'random' &&
        isMath(node.expression)) ||
      (ts.isVariableDeclaration(node) &&
        node.initializer !== undefined &&
        isMath(node.initializer) &&
        ts.isObjectBindingPattern(node.name) &&
        node.name.elements.some((e) => (e.propertyName ?? e.name).getText(file) === 'random'));
    if (uses) lines.push(file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return lines;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.[cm]?[jt]sx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('no global randomness', () => {
  it('mathRandomUses finds Math.random calls, references and destructuring, but not comments or strings', () => {
    const snippet = [
      '// Math.random() in a comment',
      "const s = 'Math.random()';",
      'const a = Math.random();',
      'const f = Math.random;',
      "const b = globalThis.Math['random']();",
      'const { random } = Math;',
      '/* Math.random */ const c = 1;',
    ].join('\n');
    expect(mathRandomUses(snippet, 'snippet.ts')).toEqual([3, 4, 5, 6]);
  });

  it('src/ never reads Math.random outside *.test.ts files', () => {
    const root = fileURLToPath(new URL('../packages/nnlab/src/', import.meta.url));
    const files = sourceFiles(root);
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((path) =>
      mathRandomUses(readFileSync(path, 'utf8'), path).map((line) => `src/${relative(root, path)}:${line}`),
    );
    expect(found, `Math.random used in ${found.join(', ')}; draw from a Generator instead`).toEqual([]);
  });
});
