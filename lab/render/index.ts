/**
 * Records → figures, Node's entry (the CLI and the tests): SVG strings, PNG bytes and terminal
 * text. Node has no DOM, so Observable Plot draws into a linkedom document installed here.
 *
 * The folder: pure functions from records to pictures. Every module runs in Node and in the
 * browser except this entry and png.ts (resvg, a native binary: Node only); the page imports
 * browser.ts, which draws in its own document.
 */
import { parseHTML } from 'linkedom';
import { useDocument } from './document.js';

if ((globalThis as { document?: Document }).document === undefined) {
  useDocument(parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document);
}

export * from './browser.js';
export { svgToPng, type PngOptions } from './png.js';
