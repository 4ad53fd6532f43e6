/**
 * @module Shared types of the block relocation planner (morning retrieval).
 *
 * A **bay** is a row of lanes seen as stacks: each stack lists its blocks (cars) bottom → top, and
 * a block's number is its **priority** (1 leaves first). A **relocation** moves the top block of one
 * stack onto another stack that is below its height limit. A block is retrieved, at no cost, as
 * soon as it is on top of its stack and it is the next priority due.
 */

/** A bay as the rest of the product describes it. `maxHeights[i]`, when given, overrides `maxHeight` for stack i. */
export interface BrpBay {
  readonly stacks: readonly (readonly number[])[];
  readonly maxHeight: number;
  readonly maxHeights?: readonly number[];
}

/**
 * `restricted`: only the top block of the stack that holds the next target may be relocated.
 * `unrestricted`: any top block may be relocated at any time (pre-staging).
 */
export type BrpVariant = 'restricted' | 'unrestricted';

/** `heuristic`: fast, near-optimal. `exact`: iterative-deepening branch and bound until proved or timed out. */
export type BrpMode = 'heuristic' | 'exact';

/** One relocation: `[from, to]`, stacks indexed from 0 in the order of `BrpBay.stacks`. */
export type BrpMove = readonly [from: number, to: number];

export interface BrpOptions {
  readonly variant: BrpVariant;
  readonly mode: BrpMode;
  /** Milliseconds allowed; needs `clock`. Without a clock the search is bounded by work, not time. */
  readonly timeLimitMs?: number;
  /** A monotonic clock in milliseconds (the CLI passes `performance.now`). The planner reads no clock itself. */
  readonly clock?: () => number;
}

/**
 * `optimal`: `moves` is proved minimal (its length equals `lowerBound`).
 * `feasible`: `moves` retrieves every block, optimality not proved.
 * `infeasible`: no solution was found (none exists, or none was found in the time allowed); `moves` is empty.
 */
export type BrpStatus = 'optimal' | 'feasible' | 'infeasible';

export interface BrpResult {
  readonly status: BrpStatus;
  readonly moves: BrpMove[];
  /** A proved lower bound on the number of relocations (equals `moves.length` when optimal). */
  readonly lowerBound: number;
}
