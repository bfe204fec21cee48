/** One experiment's thumbnail on the landing page: a figure of its default run, and its verdict. */
export interface Thumbnail {
  experiment: string;
  /** The figure's file-name stem ('output', 'gradient-norms', …) and its title. */
  figure: string;
  title: string;
  /** The seed of the run drawn (the lab's default). */
  seed: number;
  /**
   * The run's verdict (verdictOf): its line ('solved', 'stuck at 0.125: …') and whether each
   * variant solved the task; null for a run without training.
   */
  verdict: { text: string; solved: boolean; variants: { variant: string; solved: boolean }[] } | null;
  /** The SVG's own size in pixels (the page reserves the box before the image loads). */
  width: number;
  height: number;
  svg: string;
}

/** The landing page's view of a thumbnail: the SVG is a file beside the page. */
export type ThumbnailLink = Omit<Thumbnail, 'svg'> & { url: string };
