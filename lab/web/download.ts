/**
 * Files the page makes and hands to the browser as downloads: any blob, a canvas as PNG, and an
 * SVG figure rasterised to PNG (the browser's counterpart of the CLI's resvg).
 *
 *     saveBlob(await svgPng(figure.svg), 'two-layer-seed1-output.png');
 */

/** saveBlob(blob, name) downloads `blob` as a file called `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** canvasPng(canvas) is the canvas's pixels as a PNG file. */
export function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob === null ? reject(new Error('the browser could not encode the picture as PNG')) : resolve(blob)), 'image/png');
  });
}

/**
 * svgSize(svg) is the width and height of an SVG document in CSS pixels: its root's width and
 * height attributes, else its viewBox's.
 *
 *     svgSize('<svg width="352" height="305" viewBox="0 0 352 305">…') → { width: 352, height: 305 }
 */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (root === undefined) throw new Error('svgSize: the text has no <svg> element');
  const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(root)?.[1];
  const [width, height] = [Number.parseFloat(attribute('width') ?? ''), Number.parseFloat(attribute('height') ?? '')];
  if (width > 0 && height > 0) return { width, height };
  const box = (attribute('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
  if (box.length === 4 && box[2] > 0 && box[3] > 0) return { width: box[2], height: box[3] };
  throw new Error('svgSize: the <svg> element has neither a width and height nor a viewBox');
}

/**
 * svgPng(svg, scale = 2) is an SVG document drawn as a PNG `scale` times its size, on white: the
 * SVG is loaded as an image from a blob URL (which the page's Content-Security-Policy allows as
 * img-src), so its text takes the browser's fonts and its data-URI images are drawn with it.
 */
export async function svgPng(svg: string, scale = 2): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch {
      throw new Error('the browser could not draw the figure as an image');
    }
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('the browser has no 2-D canvas to draw the figure on');
    context.fillStyle = 'white';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await canvasPng(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}
