/** SVG → PNG with resvg (Node only: it loads a native binary, so the browser entry leaves it out). */

export interface PngOptions {
  /** Pixels per SVG unit (default 2, for a sharp image on high-density screens). */
  scale?: number;
}

/**
 * svgToPng(svg, { scale = 2 }?) is the PNG bytes of `svg`, `scale` × its size, on white. Text
 * uses the system's fonts (DejaVu Sans when present); with none, text is left out and shapes
 * still render.
 */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return new Uint8Array(renderer.render().asPng());
}
