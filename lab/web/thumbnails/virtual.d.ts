/** The landing page's thumbnails, made when the page is built (vite-plugin.ts). */
declare module 'virtual:nnlab-thumbnails' {
  const thumbnails: readonly import('./types.js').ThumbnailLink[];
  export default thumbnails;
}
