/**
 * @module Tail descent: exact re-optimisation of the tails of a sorting sequence, from its end
 * towards its start.
 *
 * For a sequence m_0 … m_{L−1} and the layout s_i reached after its first i moves, the tail from s_i
 * is replaced by the shortest sequence that sorts s_i, found by the exact search of `exact.ts` with
 * the old tail as its incumbent (skipped when the bound of s_i already equals the tail's length).
 * Going from i = L − 1 down to 0 makes each tail optimal in turn: short tails cost the exact search
 * next to nothing, and each proof leaves a longer optimal tail for the next, harder one. It stops at
 * the deadline; when it reaches i = 0 the whole sequence is proven optimal. Measured on the first
 * DLTS 7×5 instances (half a second of beam, half of descent), the beam's sequences were made
 * optimal from move 1 to 16 on, which says that what the beam gets wrong is mostly in its first
 * moves. The exact search needs no target layout, since the window always runs to the end.
 */
import { exactSearch } from './exact.js';
import type { Budget, EncodedPath } from './heuristic.js';
import type { Bay } from './layout.js';
import { BoundScratch, rootLowerBound } from './lower-bound.js';
import { polishSequence } from './sequence-polish.js';

export interface TailDescentOutcome {
  /** The sequence, never longer than the one given; it still sorts the root layout. */
  readonly path: EncodedPath;
  /** True when the whole sequence was proven optimal (the descent reached the root in time). */
  readonly proved: boolean;
}

/** Replaces the tails of `path` (a sorting sequence of `root`) by optimal ones, last first, until the deadline. */
export function tailDescent(root: Bay, budget: Budget, path: EncodedPath): TailDescentOutcome {
  const S = root.stackCount;
  const scratch = new BoundScratch(root.groups, S);
  let best = path.slice();
  for (let i = best.length - 1; i >= 0; i--) {
    if (budget.clock() > budget.deadline) return { path: best, proved: false };
    const state = root.clone();
    for (let k = 0; k < i; k++) state.move(Math.floor(best[k]! / S), best[k]! % S);
    const rest = best.length - i;
    const bound = rootLowerBound(state, scratch);
    if (bound >= rest) continue;
    const outcome = exactSearch(state, budget, bound, best.slice(i));
    if (outcome.path !== undefined && outcome.path.length < rest) {
      best = polishSequence(root, [...best.slice(0, i), ...outcome.path]);
      // A merge may shorten the prefix too; the tail from the same layout onward stays optimal,
      // but its index moved, so the descent goes on from the new length of the prefix.
      i = Math.min(i, best.length);
    }
    if (!outcome.proved) return { path: best, proved: false };
  }
  return { path: best, proved: true };
}
