/** The README's example is examples/xor.ts verbatim, and it runs and learns XOR. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('README', () => {
  it('shows examples/xor.ts verbatim', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const example = readFileSync(`${root}examples/xor.ts`, 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
  });

  it('names the set-up and test commands', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    for (const command of ['npm install', 'npm start', 'npm test']) expect(readme).toContain(command);
  });

  it('examples/xor.ts runs through the public package name and prints XOR predictions', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'examples/xor.ts'], { cwd: root, encoding: 'utf8' });
    const values = [...output.matchAll(/\[\s*(\d\.\d+)\]/g)].map((m) => Number(m[1]));
    expect(values).toHaveLength(4);
    const [p00, p01, p10, p11] = values;
    expect(Math.max(p00, p11)).toBeLessThan(0.1);
    expect(Math.min(p01, p10)).toBeGreaterThan(0.9);
  });
});
