/**
 * The one place in nnlab that asks "Node or browser?" (runs in both; imports nothing).
 *
 * Everything is found by feature detection on globalThis, synchronously and without a static
 * `import 'node:…'`, so one source file loads unchanged in Node, under tsx and vitest, in a
 * Vite bundle for a page, and inside a Web Worker. Node's built-in modules are reached with
 * `process.getBuiltinModule` (Node ≥ 20.16); where that is missing nnlab runs as it would in a
 * browser without cross-origin isolation: one thread, no relaxed-SIMD flag.
 */

/** The parts of Node's `process` that nnlab reads. */
export interface NodeProcess {
  readonly pid: number;
  readonly versions: { readonly node: string; readonly v8?: string };
  readonly env?: Record<string, string | undefined>;
  readonly getBuiltinModule?: (id: string) => unknown;
}

/** Node's `process`, or undefined outside Node (a page, a Web Worker, Deno without it). */
export function nodeProcess(): NodeProcess | undefined {
  const proc = (globalThis as { process?: Partial<NodeProcess> }).process;
  return typeof proc?.versions?.node === 'string' ? (proc as NodeProcess) : undefined;
}

/** Whether this code runs in Node. */
export function isNode(): boolean {
  return nodeProcess() !== undefined;
}

/** An environment variable in Node; always undefined in a browser. */
export function environmentVariable(name: string): string | undefined {
  return nodeProcess()?.env?.[name];
}

/**
 * A Node built-in module (`'node:os'`, `'node:worker_threads'`, …) loaded synchronously, or
 * undefined outside Node or where Node lacks `process.getBuiltinModule`.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const load = nodeProcess()?.getBuiltinModule;
  return typeof load === 'function' ? (load(id) as T | undefined) : undefined;
}

/** Whether threads can share memory: SharedArrayBuffer and Atomics exist in this realm. */
export function hasSharedMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

/**
 * A browser page or Web Worker that may share memory with Web Workers it starts from a blob
 * URL: cross-origin isolated (the server sent COOP `same-origin` and COEP `require-corp`), with
 * Worker, Blob and URL.createObjectURL. Never true in Node.
 */
export function isIsolatedBrowser(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  return !isNode() && g.crossOriginIsolated === true && hasSharedMemory() &&
    typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function';
}

/**
 * Whether this thread may block in Atomics.wait: every Node thread and every Web Worker, but
 * not a page's main thread (a realm with a `document`), where Atomics.wait throws.
 */
export function mayBlockThread(): boolean {
  return isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';
}

/** The available cores: Node's os.availableParallelism, a browser's hardwareConcurrency, else 1. */
export function availableCores(): number {
  const os = nodeBuiltin<typeof import('node:os')>('node:os');
  return os?.availableParallelism?.() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/**
 * Node's `process`, or an error naming `op`, what it needs and what to use instead when this is
 * not Node: for the file functions (a page would otherwise fail inside a dynamic
 * `import('node:fs/promises')` with a bundler's message).
 */
export function requireNode(op: string, needs: string, alternative: string): NodeProcess {
  const proc = nodeProcess();
  if (proc === undefined) throw new Error(`${op}: needs ${needs}, which only Node has, and this is not Node; ${alternative}`);
  return proc;
}
