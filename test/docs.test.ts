/**
 * Runs every `expression // → result` line of docs/api.md, so the reference stays true. A block
 * that imports from 'nnlab' and shows results is a program: it runs as a whole (its imports are nnlab's exports in
 * scope), and each of its `expression // → result` lines is checked where it stands.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as nnlab from '../packages/nnlab/src/index.js';

const text = readFileSync(fileURLToPath(new URL('../docs/api.md', import.meta.url)), 'utf8');
const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const isProgram = (block: string): boolean => /^import .* from 'nnlab';$/m.test(block) && / \/\/ → /.test(block);
const programs = blocks.filter(isProgram);
const examples = blocks.filter((block) => !isProgram(block)).flatMap((block) =>
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

  it.each(programs.map((program) => ({ program, first: program.split('\n').find((line) => line.trim() !== '' && !line.startsWith('import'))! })))(
    'the program starting $first runs, and its results are as shown',
    ({ program }) => {
      const checks: { line: string; got: unknown; expected: unknown }[] = [];
      const body = program
        .split('\n')
        .filter((line) => !line.startsWith('import '))
        .map((line) => {
          const m = line.match(/^(.*?);? \/\/ → (.*)$/);
          return m === null ? line : `__check(${JSON.stringify(line)}, (${m[1]}), ${JSON.stringify(m[2])});`;
        })
        .join('\n');
      const check = (line: string, got: unknown, expected: string): void => {
        checks.push({ line, got: rounded(got), expected: rounded(JSON.parse(expected)) });
      };
      (new Function(...names, '__check', body) as (...args: unknown[]) => void)(...scope, check);
      expect(checks.length).toBeGreaterThan(0);
      for (const { line, got, expected } of checks) expect(got, line).toEqual(expected);
    },
  );
});
