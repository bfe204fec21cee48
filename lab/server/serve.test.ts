/**
 * `nnlab serve`, spawned as `npm start` runs it: builds the page when needed, prints the address
 * it listens on (a free port for --port 0), serves the built page and stops cleanly on a signal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lanUrls } from './addresses.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'lab', 'bin', 'nnlab.js');

interface Serving {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `nnlab serve …` and waits for the address it prints. */
function serve(args: readonly string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, env: { ...process.env, NNLAB_DEBUG: '' } });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const look = (chunk: string) => {
      output += chunk;
      const match = /serving the lab at (http:\/\/\S+)/.exec(output);
      if (match !== null) resolve({ child, url: match[1], output: () => output, exited });
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    exited.then(({ code }) => reject(new Error(`nnlab serve exited (${code}) before serving:\n${output}`)));
  });
}

function run(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('nnlab serve', () => {
  it('nnlab serve --port 0 builds if needed, prints the real address, serves the page and stops on SIGTERM', async () => {
    const serving = await serve(['--port', '0']);
    try {
      expect(serving.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
      const page = await fetch(`${serving.url}?page=two-layer&hidden=3`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('<main id="app">');
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html);
      expect(script).not.toBeNull();
      const asset = await fetch(serving.url + script![1]);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await fetch(`${serving.url}..%2fpackage.json`)).status).toBe(404);
      expect((await fetch(`${serving.url}assets/`)).status).toBe(404);
    } finally {
      serving.child.kill('SIGTERM');
    }
    expect(await serving.exited).toEqual({ code: 0, signal: null });
    expect(serving.output()).toContain('nnlab: stopped');
  });

  it('nnlab serve stops cleanly on SIGINT (Ctrl+C)', async () => {
    const serving = await serve(['--port', '0', '--host', '127.0.0.1']);
    serving.child.kill('SIGINT');
    expect(await serving.exited).toEqual({ code: 0, signal: null });
  });

  it('nnlab serve --host 0.0.0.0 warns in one line that the network can open the lab and prints the LAN addresses, which serve the page', async () => {
    const serving = await serve(['--port', '0', '--host', '0.0.0.0']);
    try {
      const port = Number(new URL(serving.url).port);
      const lines = serving.output().split('\n');
      expect(lines.filter((line) => line.includes('warning'))).toEqual(['nnlab: warning: with --host 0.0.0.0 anyone on this network can open the lab']);
      const expected = lanUrls('0.0.0.0', port, networkInterfaces());
      if (expected.length === 0) {
        expect(serving.output()).toContain('nnlab: no network address of this machine found for --host 0.0.0.0');
      } else {
        const listed = lines.slice(lines.indexOf('nnlab: a class opens it at:') + 1).filter((line) => line.startsWith('  ')).map((line) => line.trim());
        expect(listed).toEqual(expected);
        expect((await fetch(expected[0])).status).toBe(200);
      }
    } finally {
      serving.child.kill('SIGTERM');
    }
    expect(await serving.exited).toEqual({ code: 0, signal: null });
  });

  it('nnlab serve on a port in use says so and exits 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { code, output } = await run(['serve', '--port', String(port)]);
      expect(code).toBe(1);
      expect(output).toContain(`nnlab: port ${port} on 127.0.0.1 is in use: choose another with --port, or --port 0 for any free one`);
    } finally {
      taken.close();
    }
  });

  it('nnlab serve --port 70000 is a usage error', async () => {
    const { code, output } = await run(['serve', '--port', '70000']);
    expect(code).toBe(2);
    expect(output).toContain('nnlab: option --port must be an integer in [0, 65535] (0: any free port), got "70000"');
  });
});
