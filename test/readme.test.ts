/** The README's example is examples/xor.ts verbatim, and it runs and learns XOR. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chapterExperiments, experiments, findExperiment, theoryExperiments } from '../lab/experiments/index.js';

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

  it('names every experiment, and every experiment it names in a table or command exists', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    for (const { name } of [...chapterExperiments, ...theoryExperiments]) expect(readme).toContain(`\`${name}\``);
    const named = [...readme.matchAll(/^\| `([a-z-]+)` \|/gm), ...readme.matchAll(/nnlab (?:run|sweep) ([a-z-]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    for (const name of named) expect(() => findExperiment(name)).not.toThrow();
  });

  it('lists exactly the experiments the registry declares sweepable, and the rest as refused', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const paragraph = /Only experiments whose runs end in predictions[\s\S]*?refuses them before it starts\./.exec(readme)?.[0] ?? '';
    const [canText, cannotText] = paragraph.split('The others');
    const names = (text: string | undefined) => [...(text ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort();
    expect(names(canText)).toEqual(experiments.filter((e) => e.sweepable).map((e) => e.name).sort());
    expect(names(cannotText)).toEqual(experiments.filter((e) => !e.sweepable).map((e) => e.name).sort());
  });

  it('examples/xor.ts runs through the public package name and prints XOR predictions', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'examples/xor.ts'], { cwd: root, encoding: 'utf8' });
    const values = [...output.matchAll(/\[\s*(\d\.\d+)\]/g)].map((m) => Number(m[1]));
    expect(values).toHaveLength(4);
    const [p00, p01, p10, p11] = values;
    expect(Math.max(p00, p11)).toBeLessThan(0.1);
    expect(Math.min(p01, p10)).toBeGreaterThan(0.9);
    // The output the README shows under "It prints" is this run's, verbatim (a kernel change that moves a digit fails here).
    expect(readFileSync(`${root}README.md`, 'utf8')).toContain('It prints (the same on every run: the seed fixes every random choice):\n\n```\n' + output + '```');
  });
});
