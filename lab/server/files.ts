/**
 * Which file a request names: only files inside the build directory, by a path of plain
 * segments. Anything else ('..', '.', empty or encoded separators, NUL, a backslash, a drive
 * letter, a malformed escape) names nothing. Pure: the server checks the file system after.
 */
import { extname } from 'node:path';

/** Content types by extension; anything else is served as bytes. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * requestSegments(target) is the path segments a request target names inside the build
 * directory, or null when it names nothing there. The query and fragment are ignored, and '/'
 * is the page itself:
 *
 *     requestSegments('/?page=two-layer')        → ['index.html']
 *     requestSegments('/assets/main-1a2b.js')    → ['assets', 'main-1a2b.js']
 *     requestSegments('/assets/%2e%2e/secret')   → null
 */
export function requestSegments(target: string): string[] | null {
  const end = target.search(/[?#]/);
  const path = end === -1 ? target : target.slice(0, end);
  if (!path.startsWith('/')) return null; // absolute-form URLs, '*', relative paths
  if (path === '/') return ['index.html'];
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..') return null;
    if (/[/\\\0:]/.test(segment) || /[\u0000-\u001f]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}
