/**
 * A static file server for the built page, and nothing else: GET and HEAD of files inside the
 * build directory (no directory listings, no symlinks out of it), with their content types.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';
import { answerClientError } from './client-errors.js';
import { contentType, requestSegments } from './files.js';
import { SECURITY_HEADERS } from './headers.js';

function plain(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** The real path of the file a request names inside `root` (itself a real path), or undefined. */
async function fileFor(root: string, target: string): Promise<string | undefined> {
  const segments = requestSegments(target);
  if (segments === null) return undefined;
  try {
    const file = await realpath(join(root, ...segments));
    if (!file.startsWith(root + sep)) return undefined;
    const info = await stat(file);
    return info.isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

async function handle(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    plain(response, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  const file = await fileFor(root, request.url ?? '');
  if (file === undefined) {
    plain(response, 404, 'not found\n');
    return;
  }
  const { size } = await stat(file);
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType(file),
    'Content-Length': size,
    // Hashed asset names change with their content; the page itself is checked every time.
    'Cache-Control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

export interface StaticServer {
  /** The address the server listens on, e.g. 'http://127.0.0.1:5178/'. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** `host` as a URL's host: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** How long a connection may hold the server's attention, in milliseconds. */
export interface ServerTimeouts {
  /** From a request's first byte (or the connection's start) to the end of its headers: 408 past it. */
  headersMs: number;
  /** From a request's first byte to its end (GET and HEAD have no body: the same in practice). */
  requestMs: number;
  /** Between a response and the next request on a kept-alive connection. */
  keepAliveMs: number;
  /** With nothing sent either way (a client that stopped reading a response). */
  idleMs: number;
  /** How often the two request timeouts are checked: a timeout fires up to this much late. */
  checkEveryMs: number;
}

/**
 * The lab's page is a few small files from this machine or a classroom's network: a request head
 * that takes 10 s is not a browser's. Node's defaults (60 s, 300 s, checked every 30 s, no idle
 * limit) let a client that connects and sends nothing hold a socket for a minute or more.
 */
export const SERVER_TIMEOUTS: Readonly<ServerTimeouts> = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, idleMs: 60_000, checkEveryMs: 1_000 };

export interface DirectoryServerOptions {
  host: string;
  port: number;
  /** Smaller values for tests; SERVER_TIMEOUTS by default. */
  timeouts?: Partial<ServerTimeouts>;
}

/**
 * serveDirectory(root, { host, port }) serves the files under `root` on host:port (port 0: a
 * free port, as the returned url tells). Rejects if the port is taken or the host unknown.
 */
export async function serveDirectory(root: string, { host, port, timeouts = {} }: DirectoryServerOptions): Promise<StaticServer> {
  const realRoot = await realpath(root);
  const limits = { ...SERVER_TIMEOUTS, ...timeouts };
  const server = createServer(
    { headersTimeout: limits.headersMs, requestTimeout: limits.requestMs, keepAliveTimeout: limits.keepAliveMs, connectionsCheckingInterval: limits.checkEveryMs },
    (request, response) => {
      handle(realRoot, request, response).catch(() => {
        if (!response.headersSent) plain(response, 500, 'internal error\n');
        else response.destroy();
      });
    },
  );
  server.timeout = limits.idleMs;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(host)}:${address.port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
