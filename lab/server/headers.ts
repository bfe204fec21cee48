/**
 * The headers the lab is served with, defined once: `nnlab serve` sends them with every
 * response, and `npm run build:site` writes them as the static site's `_headers` file. Node only.
 */

/**
 * What every response says: no sniffing, no framing, no referrer, nothing loaded from elsewhere,
 * and cross-origin isolation (COOP + COEP), which is what gives a page SharedArrayBuffer: with
 * it, large products run on several cores in the browser too (src/kernels/threads/).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // WebAssembly (nnlab's matmul kernel) needs 'wasm-unsafe-eval'; Plot's SVG and KaTeX set inline
  // styles; the kernel's threads are Web Workers started from blob: URLs.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/**
 * headersFile(headers) is a `_headers` file, the format Netlify and Cloudflare Pages read,
 * sending `headers` with every file of the site:
 *
 *     headersFile({ 'Cross-Origin-Opener-Policy': 'same-origin' })
 *     → '# …\n/*\n  Cross-Origin-Opener-Policy: same-origin\n'
 */
export function headersFile(headers: Readonly<Record<string, string>> = SECURITY_HEADERS): string {
  const lines = Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`);
  return ['# Written by npm run build:site from lab/server/headers.ts: the headers nnlab serve sends.', '/*', ...lines, ''].join('\n');
}
