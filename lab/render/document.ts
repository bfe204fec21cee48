/**
 * The DOM document Observable Plot builds its SVG in. A browser has one; Node gets one from
 * linkedom through `index.ts`, so this module (and the browser entry) never imports a DOM library.
 */
let installed: Document | undefined;

export function useDocument(document: Document): void {
  installed = document;
}

export function domDocument(): Document {
  const document = installed ?? (globalThis as { document?: Document }).document;
  if (document === undefined) {
    throw new Error("render: no DOM document; import from 'lab/render/index.ts' (Node, uses linkedom) or call useDocument(document)");
  }
  return document;
}
