/** The chapter's data sets: two-input logic gates, the 16-point square exercise, the binary decoder. */

export interface Dataset {
  inputs: number[][];
  /** One row per input: [t] for binary targets, [class] for class indices. */
  targets: number[][];
}

const CORNERS = [[0, 0], [0, 1], [1, 0], [1, 1]];

/** Truth tables, in the corner order 00, 01, 10, 11. */
export const GATES = {
  or: [0, 1, 1, 1],
  and: [0, 0, 0, 1],
  nand: [1, 1, 1, 0],
  nor: [1, 0, 0, 0],
  xor: [0, 1, 1, 0],
} as const;
export type Gate = keyof typeof GATES;

export function gate(name: Gate): Dataset {
  return { inputs: CORNERS.map((c) => [...c]), targets: GATES[name].map((t) => [t]) };
}

/**
 * The chapter's exercise for three hidden units: the 4×4 grid {0, 0.3, 0.7, 1}², listed with x0
 * as the outer loop, with target 1 only at the four interior points. An enclosed square needs at
 * least three lines to cut it out.
 */
export function square(): Dataset {
  const levels = [0, 0.3, 0.7, 1];
  const inputs: number[][] = [];
  const targets: number[][] = [];
  for (const x0 of levels) {
    for (const x1 of levels) {
      inputs.push([x0, x1]);
      const interior = x0 > 0 && x0 < 1 && x1 > 0 && x1 < 1;
      targets.push([interior ? 1 : 0]);
    }
  }
  return { inputs, targets };
}

/** The binary decoder: input bits x0 x1 → class 2·x0 + x1 (00 → 0, 01 → 1, 10 → 2, 11 → 3). */
export function decoder(): Dataset {
  return { inputs: CORNERS.map((c) => [...c]), targets: CORNERS.map(([x0, x1]) => [2 * x0 + x1]) };
}
