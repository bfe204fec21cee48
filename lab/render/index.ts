/**
 * Records → figures, for Node (the CLI and the tests): SVG strings, PNG bytes and terminal text.
 * Node has no DOM, so Observable Plot draws into a linkedom document installed here.
 */
import { parseHTML } from 'linkedom';
import { useDocument } from './document.js';

if ((globalThis as { document?: Document }).document === undefined) {
  useDocument(parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document);
}

export * from './browser.js';
export { svgToPng, type PngOptions } from './png.js';
