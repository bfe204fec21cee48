/**
 * The API reference: TypeDoc over the library's public entry (packages/nnlab/typedoc.json, what
 * `npm run docs:api` runs) reports nothing, so every public export has a doc comment and every
 * {@link} resolves, and its pages are the library's own: one per export, namespaces as modules,
 * no comment borrowed from a file header or a base class.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, ArgumentsReader, Comment, Logger, LogLevel, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';
import type { DeclarationReflection, ProjectReflection, Reflection } from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nnlab from '../packages/nnlab/src/index.js';

const config = fileURLToPath(new URL('../packages/nnlab/typedoc.json', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'nnlab-docs-api-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Keeps every warning and error instead of printing it. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(message);
  }
}

interface Run {
  project: ProjectReflection | undefined;
  /** Every warning and error, from reading the options to writing the pages. */
  messages: string[];
}

/**
 * TypeDoc as `npm run docs:api` runs it, writing HTML to `out`: options from typedoc.json, then
 * `args` over them as on the command line (read before the tsconfig, as the CLI's first pass).
 */
async function typedoc(out: string, args: string[] = []): Promise<Run> {
  const app = await Application.bootstrapWithPlugins({ options: config }, [
    new TypeDocReader(),
    new ArgumentsReader(150, ['--out', out, ...args]),
    new TSConfigReader(),
  ]);
  const logger = new CollectingLogger();
  // Problems with the options themselves were counted before this logger could collect them.
  if (app.logger.hasErrors() || app.logger.hasWarnings()) logger.messages.push('typedoc.json: TypeDoc rejected an option (run `npm run docs:api` to see it)');
  app.logger = logger;
  const project = await app.convert();
  if (project !== undefined) {
    app.validate(project);
    await app.generateOutputs(project);
  }
  return { project, messages: logger.messages };
}

/** A reflection's summary; a function's lives on its signature. */
function summaryOf(reflection: Reflection): string {
  const declaration = reflection as DeclarationReflection;
  const comment = declaration.comment ?? declaration.signatures?.[0]?.comment;
  return Comment.combineDisplayParts(comment?.summary).trim();
}

/** The dotted path of every runtime export, namespaces opened: `Tensor`, `nn.Dense`, `nn.init.zeros`… */
function runtimeExports(namespace: object, prefix: string[] = []): string[][] {
  return Object.entries(namespace).flatMap(([name, value]) => {
    const path = [...prefix, name];
    // The package exports no object but its namespaces (arrays, such as nn.ACTIVATIONS, are values).
    const isNamespace = typeof value === 'object' && value !== null && !Array.isArray(value);
    return isNamespace ? runtimeExports(value as object, path) : [path];
  });
}

describe('API reference (TypeDoc over packages/nnlab/src/index.ts)', () => {
  const out = join(scratch, 'api');
  let run: Run;
  beforeAll(async () => {
    run = await typedoc(out);
  });
  const project = (): ProjectReflection => {
    if (run.project === undefined) throw new Error(`TypeDoc did not convert the project:\n${run.messages.join('\n')}`);
    return run.project;
  };

  it('builds with no warning: every public export documented, every {@link} resolved', () => {
    expect(run.messages).toEqual([]);
  });

  it('has a page per export group: Tensor, and the namespaces nn, optim, math with their members', () => {
    for (const page of [
      'index.html',
      'classes/Tensor.html',
      'functions/tensor.html',
      'modules/nn.html',
      'classes/nn.Dense.html',
      'modules/nn.init.html',
      'modules/optim.html',
      'classes/optim.Adam.html',
      'modules/optim.schedules.html',
      'modules/math.html',
      'functions/math.exp.html',
    ]) {
      expect(existsSync(join(out, page)), page).toBe(true);
    }
  });

  it('documents every runtime export of the package, namespaces included', () => {
    const exports = runtimeExports(nnlab);
    expect(exports.map((path) => path.join('.'))).toEqual(expect.arrayContaining(['Tensor', 'nn.Dense', 'nn.init.zeros', 'optim.Adam', 'optim.schedules.constant', 'math.exp']));
    const missing = exports.filter((path) => project().getChildByName(path) === undefined).map((path) => path.join('.'));
    expect(missing).toEqual([]);
  });

  it('gives the package and nn, optim, math their own comments (a file header without @packageDocumentation goes to the first export)', () => {
    const modules = [project(), ...['nn', 'optim', 'math', 'nn.init', 'optim.schedules'].map((name) => project().getChildByName(name.split('.')))];
    for (const module of modules) {
      const name = module?.getFullName() ?? 'a namespace';
      expect(module?.kind, name).toBe(module === project() ? ReflectionKind.Project : ReflectionKind.Namespace);
      const own = summaryOf(module!);
      expect(own, name).not.toBe('');
      const borrowed = ((module as DeclarationReflection).children ?? []).filter((child) => summaryOf(child) === own);
      expect(borrowed.map((child) => child.getFullName()), name).toEqual([]);
    }
  });

  it("no class shows its base class's comment (TypeDoc copies it when the class has none)", () => {
    const inherited = project()
      .getReflectionsByKind(ReflectionKind.Class)
      .map((reflection) => reflection as DeclarationReflection)
      .filter((cls) =>
        (cls.extendedTypes ?? []).some((base) => {
          const target = base.type === 'reference' ? base.reflection : undefined;
          return target !== undefined && summaryOf(target) === summaryOf(cls);
        }),
      )
      .map((cls) => cls.getFullName());
    expect(inherited).toEqual([]);
  });

  it('is what `npm run docs:api` builds, where the README says, and git ignores that folder', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts['docs:api']).toBe('typedoc --options packages/nnlab/typedoc.json');
    const outOption = /^\s*"out": "\.\/([^"]+)"/m.exec(readFileSync(config, 'utf8'))?.[1];
    const folder = `packages/nnlab/${outOption}/`;
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(`built by \`npm run docs:api\` into \`${folder}\``);
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain(folder);
  });

  it('the same options reject an undocumented export and a broken {@link}', async () => {
    const fixture = join(scratch, 'fixture');
    mkdirSync(fixture);
    writeFileSync(join(fixture, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022' }, include: ['index.ts'] }));
    writeFileSync(
      join(fixture, 'index.ts'),
      ['/** Module. @packageDocumentation */', 'export function undocumented(): number { return 1; }', '/** Points at {@link Nowhere}. */', 'export const linked = 2;', ''].join('\n'),
    );
    const { messages } = await typedoc(join(fixture, 'out'), ['--entryPoints', join(fixture, 'index.ts'), '--tsconfig', join(fixture, 'tsconfig.json')]);
    const report = messages.join('\n');
    expect(report).toMatch(/undocumented .*does not have any documentation/);
    expect(report).toMatch(/Failed to resolve link to "Nowhere"/);
  });
});
