/**
 * platform.ts in Node, and in a realm made to look like a browser page or worker by replacing
 * the globals it reads (vi.stubGlobal, undone after each test): each answer is checked both ways.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  availableCores, environmentVariable, hasSharedMemory, isIsolatedBrowser, isNode, mayBlockThread, nodeBuiltin, nodeProcess, requireNode,
} from './platform.js';
import { loadModel, saveModel } from '../io/file.js';
import { Sequential, Dense } from '../nn/index.js';
import { Generator } from '../random/generator.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

/** Makes this realm look like a cross-origin isolated page (with a document) or worker. */
function pretendBrowser(kind: 'page' | 'worker', isolated: boolean): void {
  vi.stubGlobal('process', undefined);
  vi.stubGlobal('crossOriginIsolated', isolated);
  vi.stubGlobal('Worker', function Worker() {});
  vi.stubGlobal('navigator', { hardwareConcurrency: 6 });
  if (kind === 'page') vi.stubGlobal('document', {});
}

describe('platform in Node', () => {
  it('isNode() and nodeProcess() see Node, and nodeBuiltin loads node:os synchronously', () => {
    expect(isNode()).toBe(true);
    expect(nodeProcess()?.pid).toBe(process.pid);
    expect(typeof nodeBuiltin<typeof import('node:os')>('node:os')?.availableParallelism).toBe('function');
  });

  it('environmentVariable(name) reads process.env, undefined when unset', () => {
    vi.stubEnv('NNLAB_PLATFORM_TEST', 'seven');
    expect(environmentVariable('NNLAB_PLATFORM_TEST')).toBe('seven');
    expect(environmentVariable('NNLAB_PLATFORM_TEST_UNSET')).toBeUndefined();
  });

  it('Node is never an isolated browser, may always block, and has shared memory and its cores', () => {
    vi.stubGlobal('crossOriginIsolated', true);
    expect(isIsolatedBrowser()).toBe(false);
    expect(mayBlockThread()).toBe(true);
    expect(hasSharedMemory()).toBe(true);
    expect(availableCores()).toBe(nodeBuiltin<typeof import('node:os')>('node:os')!.availableParallelism());
  });
});

describe('platform in a (simulated) browser', () => {
  it('an isolated page is an isolated browser whose main thread may not block; its cores come from navigator', () => {
    pretendBrowser('page', true);
    expect([isNode(), isIsolatedBrowser(), mayBlockThread(), availableCores()]).toEqual([false, true, false, 6]);
    expect(environmentVariable('PATH')).toBeUndefined();
    expect(nodeBuiltin('node:os')).toBeUndefined();
  });

  it('a worker may block; a page that is not cross-origin isolated is no isolated browser', () => {
    pretendBrowser('worker', true);
    expect([isIsolatedBrowser(), mayBlockThread()]).toEqual([true, true]);
    vi.stubGlobal('crossOriginIsolated', false);
    expect(isIsolatedBrowser()).toBe(false);
  });

  it('requireNode(op, needs, alternative) names the op, what it needs and what to use instead', () => {
    pretendBrowser('page', false);
    expect(() => requireNode('save', 'a file system (node:fs)', 'use X'))
      .toThrow('save: needs a file system (node:fs), which only Node has, and this is not Node; use X');
  });

  it('saveModel and loadModel reject before touching node:fs, pointing to serializeModel and deserializeModel', async () => {
    const model = new Sequential([new Dense(2, 1, { rng: new Generator(1) })]);
    pretendBrowser('page', false);
    const saving = saveModel('never-written.json', model);
    const loading = loadModel('never-read.json');
    vi.unstubAllGlobals();
    await expect(saving).rejects.toThrow("save: needs a file system (node:fs), which only Node has, and this is not Node; serializeModel(model) gives the file's text");
    await expect(loading).rejects.toThrow("load: needs a file system (node:fs), which only Node has, and this is not Node; deserializeModel(text) reads");
  });
});
