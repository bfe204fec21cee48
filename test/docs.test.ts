/** Runs every `expression // → result` line of docs/api.md, so the reference stays true. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as nnlab from '../src/index.js';

const text = readFileSync(fileURLToPath(new URL('../docs/api.md', import.meta.url)), 'utf8');
const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const examples = blocks.flatMap((block) =>
  block
    .split('\n')
    .map((line) => line.match(/^(.*) \/\/ → (.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ expression: m[1], expected: m[2] })),
);

/** Numbers rounded to 4 decimals, so documented results can be written readably. */
function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1e4) / 1e4;
  if (Array.isArray(value)) return value.map(rounded);
  return value;
}

const names = Object.keys(nnlab);
const scope = names.map((name) => (nnlab as Record<string, unknown>)[name]);

describe('docs/api.md', () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThan(30);
  });

  it.each(examples)('$expression', ({ expression, expected }) => {
    const evaluate = new Function(...names, `return (${expression});`) as (...args: unknown[]) => unknown;
    expect(rounded(evaluate(...scope))).toEqual(rounded(JSON.parse(expected)));
  });
});
