/**
 * A canvas sharp on any screen: its drawing buffer has one pixel per device pixel of its box as
 * displayed, that is its CSS size times the screen's devicePixelRatio times any CSS zoom on it
 * (projector mode zooms the charts). A buffer sized to the unzoomed box is stretched by the zoom
 * and looks soft; this one is drawn at the zoomed size instead. Browser only.
 */

/** The CSS zoom an element is displayed at (1 where the browser does not say). */
function zoomOf(element: Element): number {
  const zoom = (element as Element & { currentCSSZoom?: number }).currentCSSZoom;
  return typeof zoom === 'number' && zoom > 0 ? zoom : 1;
}

/**
 * pixelRatioOf(canvas) is how many buffer pixels a canvas has per CSS pixel of its layout box
 * once fitCanvas sized it: devicePixelRatio × its CSS zoom. Drawing code that works in CSS
 * pixels scales by it.
 */
export function pixelRatioOf(canvas: HTMLCanvasElement): number {
  return (window.devicePixelRatio || 1) * zoomOf(canvas);
}

/**
 * fitCanvas(canvas) sizes the canvas's drawing buffer to its content box as displayed, in device
 * pixels; true if that changed the buffer (which clears it: the caller redraws). A canvas not laid
 * out (hidden, detached) keeps its buffer.
 */
export function fitCanvas(canvas: HTMLCanvasElement): boolean {
  if (canvas.clientWidth === 0 || canvas.clientHeight === 0) return false;
  const ratio = pixelRatioOf(canvas);
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width === width && canvas.height === height) return false;
  canvas.width = width;
  canvas.height = height;
  return true;
}
