import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory, urlHost, type StaticServer } from './server.js';

/** A raw request: the target goes out exactly as written (no URL normalisation). */
function get(server: StaticServer, target: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveDirectory', () => {
  let base: string;
  let server: StaticServer;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'nnlab-serve-'));
    const root = join(base, 'web');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>lab</title>');
    await writeFile(join(root, 'assets', 'main.js'), 'console.log(1);');
    await writeFile(join(root, 'assets', 'font.woff2'), 'w');
    await writeFile(join(base, 'secret.txt'), 'secret');
    await symlink(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
    server = await serveDirectory(root, { host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server.close();
    await rm(base, { recursive: true, force: true });
  });

  it('serveDirectory(root, { port: 0 }) listens on a free port and says which', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new URL(server.url).port).not.toBe('0');
  });

  it('GET / is index.html as HTML, whatever the query', async () => {
    const response = await get(server, '/?page=two-layer&hidden=3');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // Cross-origin isolation: what lets the page's matmul kernel share memory with its threads.
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(response.headers['content-security-policy']).toContain("worker-src 'self' blob:");
    expect(response.body).toContain('<title>lab</title>');
  });

  it('GET of a built file serves it with its content type', async () => {
    const script = await get(server, '/assets/main.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log(1);');
    expect((await get(server, '/assets/font.woff2')).headers['content-type']).toBe('font/woff2');
  });

  it('HEAD gives the headers without a body; other methods get 405', async () => {
    const head = await get(server, '/assets/main.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('15');
    expect(head.body).toBe('');
    const post = await get(server, '/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '//secret.txt',
    `/${'x'.repeat(10)}/../../secret.txt`,
    '/assets/link.txt',
    '/assets',
    '/assets/',
    '/missing.js',
    '/index.html%00.js',
  ])('GET %s is 404 (nothing outside the directory, no listings, no symlinks out)', async (target) => {
    const response = await get(server, target);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('secret');
  });

  it('urlHost(host) brackets IPv6 addresses', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
