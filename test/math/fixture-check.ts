/** Checks a src/math function against its recorded fixture, bit for bit (so −0 and NaN count too). */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fromHex, toHex, type FixtureFile } from './record-fixtures.js';

export function readFixture(name: string): FixtureFile {
  return JSON.parse(readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), 'utf8')) as FixtureFile;
}

/** The cases where `f` differs from the fixture, as [input, expected, got] in hex (empty when all match). */
export function mismatches(name: string, f: (...args: number[]) => number): [string, string, string][] {
  const bad: [string, string, string][] = [];
  for (const [input, expected] of readFixture(name).cases) {
    const args = typeof input === 'string' ? [fromHex(input)] : input.map(fromHex);
    const got = toHex(f(...args));
    if (got !== expected) bad.push([String(input), expected, got]);
  }
  return bad;
}

export function expectFixture(name: string, f: (...args: number[]) => number): void {
  const cases = readFixture(name).cases.length;
  expect(cases).toBeGreaterThan(1000);
  expect(mismatches(name, f).slice(0, 5)).toEqual([]);
}
