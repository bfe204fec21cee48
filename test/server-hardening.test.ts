/**
 * The lab's server against clients that are not browsers, over raw sockets: malformed request
 * lines, oversized headers, sockets that send nothing or stop half-way, kept-alive sockets left
 * idle and a client that stops reading. Every answer Node would write bare carries the security
 * headers, and every such socket is closed by the server.
 *
 * Timeouts are made small through serveDirectory's option, and each test waits for the socket's
 * own 'close' event (the test's time limit is the only clock): no sleeping.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorResponse } from '../lab/server/client-errors.js';
import { SECURITY_HEADERS } from '../lab/server/headers.js';
import { SERVER_TIMEOUTS, serveDirectory, type ServerTimeouts, type StaticServer } from '../lab/server/server.js';

/**
 * Small enough to wait for, large enough that a loaded machine still sends a request in time;
 * idle well past headers (as in SERVER_TIMEOUTS), so a silent socket meets the 408 first.
 */
const SMALL: ServerTimeouts = { headersMs: 200, requestMs: 400, keepAliveMs: 200, idleMs: 2_000, checkEveryMs: 50 };
/** A file larger than what loopback sockets buffer, so a client that does not read stalls its response. */
const LARGE_FILE_BYTES = 32 * 1024 * 1024;

interface Exchange {
  /** Everything the server sent before it closed the connection. */
  received: string;
}

function portOf(server: StaticServer): number {
  return Number(new URL(server.url).port);
}

/** Connects, sends `bytes` (nothing if empty) and resolves with all it received once the server closed. */
function exchange(server: StaticServer, bytes: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(server), '127.0.0.1', () => {
      if (bytes !== '') socket.write(bytes);
    });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ received }));
  });
}

/** The status line and headers (names lower-cased) of the first response in `text`. */
function head(text: string): { status: string; headers: Record<string, string> } {
  const [status, ...lines] = text.slice(0, text.indexOf('\r\n\r\n')).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  return { status, headers };
}

function expectSecurityHeaders(headers: Record<string, string>): void {
  const expected = Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([name, value]) => [name.toLowerCase(), value]));
  expect(Object.fromEntries(Object.keys(expected).map((name) => [name, headers[name]]))).toEqual(expected);
}

let base: string;
let server: StaticServer;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'nnlab-hardening-'));
  await writeFile(join(base, 'index.html'), '<!doctype html><title>lab</title>');
  await writeFile(join(base, 'large.bin'), Buffer.alloc(LARGE_FILE_BYTES));
  server = await serveDirectory(base, { host: '127.0.0.1', port: 0, timeouts: SMALL });
});
afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

describe('serveDirectory: requests Node refuses before the handler sees them', () => {
  it.each([
    ['a request line that is not one', 'GARBAGE\r\n\r\n'],
    ['binary noise', '\x00\x01\x02\xff\r\n\r\n'],
    ['an unknown HTTP version', 'GET / HTTP/7.0\r\nHost: a\r\n\r\n'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n'],
    ['a Content-Length that is not a number', 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n'],
    ['a space inside the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n'],
  ])('%s: 400 with the security headers, then the server closes the connection', async (_, request) => {
    const { received } = await exchange(server, request);
    const { status, headers } = head(received);
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    expectSecurityHeaders(headers);
    expect(headers.connection).toBe('close');
  });

  it('headers past Node\'s 16 KiB limit: 431 with the security headers, then the server closes the connection', async () => {
    const { received } = await exchange(server, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const { status, headers } = head(received);
    expect(status).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expectSecurityHeaders(headers);
  });

  it('clientErrorResponse(code) is a whole response whose Content-Length is its body\'s', () => {
    const response = clientErrorResponse('ERR_HTTP_REQUEST_TIMEOUT');
    const body = response.slice(response.indexOf('\r\n\r\n') + 4);
    expect(body).toBe('request timeout\n');
    expect(head(response).headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });
});

describe('serveDirectory: sockets that hold on', () => {
  it('a socket that connects and sends nothing gets 408 with the security headers past headersMs, and is closed', async () => {
    const { received } = await exchange(server, '');
    const { status, headers } = head(received);
    expect(status).toBe('HTTP/1.1 408 Request Timeout');
    expectSecurityHeaders(headers);
  });

  it('a socket that stops half-way through its headers (slowloris) gets 408 and is closed', async () => {
    const { received } = await exchange(server, 'GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ');
    expect(head(received).status).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('a kept-alive socket left idle after its response is closed past keepAliveMs, having received that one response', async () => {
    const { received } = await exchange(server, 'GET /index.html HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n');
    expect(head(received).status).toBe('HTTP/1.1 200 OK');
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(received.endsWith('<!doctype html><title>lab</title>')).toBe(true);
  });

  it('a client that asks for a large file and never reads it is closed past idleMs (seen from the server side)', async () => {
    const closed = new Promise<void>((resolve) => server.server.once('connection', (socket: Socket) => socket.on('close', () => resolve())));
    const client = connect(portOf(server), '127.0.0.1', () => client.write('GET /large.bin HTTP/1.1\r\nHost: a\r\n\r\n'));
    client.pause();
    client.on('error', () => {});
    try {
      await closed;
    } finally {
      client.destroy();
    }
  });
});

describe('serveDirectory: its timeouts', () => {
  it('are SERVER_TIMEOUTS unless given: 10 s for the headers, 30 s for a request, 5 s kept alive, 60 s idle', async () => {
    const plain = await serveDirectory(base, { host: '127.0.0.1', port: 0 });
    try {
      expect(SERVER_TIMEOUTS).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, idleMs: 60_000, checkEveryMs: 1_000 });
      const { headersTimeout, requestTimeout, keepAliveTimeout, timeout } = plain.server;
      expect({ headersTimeout, requestTimeout, keepAliveTimeout, timeout }).toEqual({ headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, timeout: 60_000 });
    } finally {
      await plain.close();
    }
  });
});

describe('nnlab serve --host', () => {
  const BIN = fileURLToPath(new URL('../lab/bin/nnlab.js', import.meta.url));

  it.each(['', ' '])('--host %j (an unset variable: every interface) is a usage error, before anything is built or bound', async (host) => {
    const ended = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [BIN, 'serve', '--port', '0', '--host', host], { env: { ...process.env, NNLAB_DEBUG: '' } }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
      });
    });
    expect(ended).toEqual({
      code: 2,
      stdout: '',
      stderr: `nnlab: option --host must be an address or a host name (0.0.0.0 listens on every interface), got ${JSON.stringify(host)}\n`,
    });
  });
});
