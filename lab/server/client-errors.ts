/**
 * The answers to requests that never became requests (Node only): a malformed request line
 * (400), headers past Node's size limit (431), a request head that did not arrive in time
 * (408). Node writes these itself, bare; the server writes them through here instead, so they
 * carry the security headers of every other response.
 */
import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from './headers.js';

const STATUS_OF_CODE: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};
const BAD_REQUEST = [400, 'Bad Request'] as const;

/**
 * clientErrorResponse(code) is the whole HTTP response, as text, for a client error of Node's
 * `code` (an HPE_* parser code, or ERR_HTTP_REQUEST_TIMEOUT); anything else is 400:
 *
 *     clientErrorResponse('HPE_HEADER_OVERFLOW') → 'HTTP/1.1 431 Request Header Fields Too Large\r\n…'
 */
export function clientErrorResponse(code: string | undefined): string {
  const [status, reason] = (code !== undefined && Object.hasOwn(STATUS_OF_CODE, code) ? STATUS_OF_CODE[code] : undefined) ?? BAD_REQUEST;
  const body = `${reason.toLowerCase()}\n`;
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** What Node's server holds on a socket while it answers a request (not in its types). */
interface HttpSocket extends Duplex {
  _httpMessage?: { headersSent: boolean } | null;
}

/**
 * The server's 'clientError' handler: answers as Node would (only when nothing of a response was
 * sent yet, so the peer never sees two responses mixed), with our headers, then closes.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as HttpSocket)._httpMessage;
  if (error.code !== 'ECONNRESET' && socket.writable && (inFlight == null || !inFlight.headersSent)) {
    // Closed once the answer is flushed; a peer that never reads it meets the idle timeout.
    socket.end(clientErrorResponse(error.code), () => socket.destroy());
  } else {
    socket.destroy();
  }
}
