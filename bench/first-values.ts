/**
 * How the bench compares first values (the first step's loss or checksum) across libraries,
 * batch sizes and trees before it times anything: no imports, so that versus.ts's child process
 * loads no copy of nnlab besides the two bundles it compares.
 */

/**
 * How far a first value is from the one it is compared with, relative to that one's magnitude
 * (at least 1e-12, so a reference of 0 does not divide by zero): what a workload's `tolerance`
 * bounds.
 */
export function relativeDifference(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
}
