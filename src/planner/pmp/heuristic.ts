/**
 * @module What the PMP searches share: the time `Budget`, the move encoding, and the symmetry rule
 * for empty stacks. (The layered beam that lived here as the exact mode's first upper bound gave way
 * to the beam with greedy completion of `completion-beam.ts`, which measured better per second on
 * the DLTS sets in both modes.)
 */
import type { Bay } from './layout.js';

/** A time budget: `clock()` in milliseconds, and the instant to stop at. */
export interface Budget {
  readonly clock: () => number;
  readonly deadline: number;
}

/** Moves encoded as from * stackCount + to. */
export type EncodedPath = number[];

/** Whether `to` is an empty stack with an earlier empty stack of the same height limit (a symmetric move). */
export function redundantEmpty(bay: Bay, to: number): boolean {
  if (bay.heights[to] !== 0) return false;
  for (let e = 0; e < to; e++) if (bay.heights[e] === 0 && bay.caps[e] === bay.caps[to]) return true;
  return false;
}
