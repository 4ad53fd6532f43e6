/**
 * @module Exact pre-marshalling: iterative-deepening depth-first search (IDA*, Tierney, Pacino & Voß
 * 2017; the iterative-deepening branch and bound of Tanaka & Tierney 2018) over the lower bound of
 * `lower-bound.ts`, with an upper bound from the beam search.
 *
 * Dominance rules (they keep at least one optimal sequence, so they are safe together):
 * - transitive moves (Tanaka & Tierney 2018, as corrected by Jin & Yu 2021): an item moved from x
 *   to y at level L is not moved again while x is unchanged since L (moving it straight from x
 *   later is one move shorter), nor onto a stack z unchanged since L (it could have gone to z at
 *   once). Both rules only cut sequences that a strictly shorter one dominates, so no optimal
 *   sequence is lost, whatever path led to the state; the first one includes "the item just moved
 *   is not moved again at once";
 * - two consecutive moves on four distinct stacks commute; only the order with the smaller source
 *   stack first is searched (adjacent swaps keep length and legality, so a sorted optimum exists).
 * A transposition table remembers, per state and last move, the largest depth budget that was
 * proven insufficient. The key depends on the order of stacks and on the last move, because the
 * commuting rule makes the search below a state depend on both; the transitive rules depend on
 * older history too, but as they never cut an optimal sequence, a failure recorded under one
 * history also holds under another (an optimal continuation found below the state would be one
 * under either). Keys are 53-bit hashes: a collision could in principle prune a
 * branch wrongly; with the table capped at a few million entries that chance is below 1e-3.
 */
import type { Budget, EncodedPath } from './heuristic.js';
import type { Bay } from './layout.js';
import { BoundScratch, lowerBound } from './lower-bound.js';

export interface ExactOutcome {
  /** The shortest sequence found (the incumbent when nothing shorter was found), if any. */
  readonly path: EncodedPath | undefined;
  /** True when `path` is proven optimal. */
  readonly proved: boolean;
  /** A proven lower bound on the optimum. */
  readonly lowerBound: number;
}

const TABLE_LIMIT = 4_000_000;

type Verdict = 0 | 1 | 2;
const FAIL: Verdict = 0;
const FOUND: Verdict = 1;
const TIMEOUT: Verdict = 2;

/** Proves the optimum (or improves `incumbent`) within the budget. */
export function exactSearch(
  root: Bay,
  budget: Budget,
  rootBound: number,
  incumbent: EncodedPath | undefined,
): ExactOutcome {
  return depthFirst(root, budget, rootBound, rootBound, incumbent);
}

/**
 * Depth-first search for any sequence of at most `maxMoves` moves (f = g + LB ≤ maxMoves, children
 * in order of their bound): with a loose limit it dives straight to a solution and backtracks out of
 * dead ends, so it serves as a fallback when the beams find nothing.
 */
export function boundedDive(root: Bay, budget: Budget, rootBound: number, maxMoves: number): EncodedPath | undefined {
  const outcome = depthFirst(root, budget, rootBound, maxMoves, undefined);
  return outcome.path;
}

function depthFirst(
  root: Bay,
  budget: Budget,
  rootBound: number,
  startBound: number,
  incumbent: EncodedPath | undefined,
): ExactOutcome {
  const bay = root.clone();
  const S = bay.stackCount;
  const scratch = new BoundScratch(bay.groups, S);
  const table = new Map<number, number>();
  const path: number[] = [];
  let nodes = 0;
  let bound = Math.max(rootBound, startBound);
  const best = incumbent;
  const limit = (): number => (best === undefined ? Number.POSITIVE_INFINITY : best.length);
  const maxDepth = 4 * bay.itemCount + 4 * S + 16;
  // Move history for the transitive rules: the level at which each stack last changed, and for
  // each position the level at which its item was put there and the stack it came from (0 and -1
  // for items that have not moved).
  const lastChange = new Int32Array(S);
  const placedAt = new Int32Array(S * bay.stride);
  const placedFrom = new Int32Array(S * bay.stride).fill(-1);

  const dfs = (g: number, lastFrom: number, lastTo: number, lb: number): Verdict => {
    if (lb === 0) return FOUND;
    if ((++nodes & 511) === 0 && budget.clock() > budget.deadline) return TIMEOUT;
    const remaining = bound - g;
    const tkey = bay.orderedKey((lastFrom + 1) * 1024 + lastTo + 1);
    const known = table.get(tkey);
    if (known !== undefined && known >= remaining) return FAIL;
    const childMoves: number[] = [];
    const childBounds: number[] = [];
    for (let from = 0; from < S; from++) {
      if (bay.heights[from] === 0) continue;
      const topAt = from * bay.stride + bay.heights[from]! - 1;
      const movedAt = placedAt[topAt]!;
      if (movedAt > 0 && lastChange[placedFrom[topAt]!] === movedAt) continue;
      const sortedFrom = bay.sortedLen[from]!;
      for (let to = 0; to < S; to++) {
        if (!bay.canMove(from, to)) continue;
        if (from < lastFrom && to !== lastFrom && to !== lastTo) continue;
        if (movedAt > 0 && lastChange[to]! < movedAt) continue;
        bay.move(from, to);
        const childLb = lowerBound(bay, scratch);
        bay.unmove(from, to, sortedFrom);
        if (g + 1 + childLb > bound) continue;
        let j = childMoves.length;
        childMoves.push(0);
        childBounds.push(0);
        while (j > 0 && childBounds[j - 1]! > childLb) {
          childMoves[j] = childMoves[j - 1]!;
          childBounds[j] = childBounds[j - 1]!;
          j--;
        }
        childMoves[j] = from * S + to;
        childBounds[j] = childLb;
      }
    }
    for (let i = 0; i < childMoves.length; i++) {
      const mv = childMoves[i]!;
      const from = Math.floor(mv / S);
      const to = mv % S;
      const sortedFrom = bay.sortedLen[from]!;
      const changedFrom = lastChange[from]!;
      const changedTo = lastChange[to]!;
      const at = to * bay.stride + bay.heights[to]!;
      const placedAtBefore = placedAt[at]!;
      const placedFromBefore = placedFrom[at]!;
      bay.move(from, to);
      lastChange[from] = g + 1;
      lastChange[to] = g + 1;
      placedAt[at] = g + 1;
      placedFrom[at] = from;
      path.push(mv);
      const verdict = dfs(g + 1, from, to, childBounds[i]!);
      lastChange[from] = changedFrom;
      lastChange[to] = changedTo;
      placedAt[at] = placedAtBefore;
      placedFrom[at] = placedFromBefore;
      if (verdict !== FAIL) {
        if (verdict === TIMEOUT) {
          path.pop();
          bay.unmove(from, to, sortedFrom);
        }
        return verdict;
      }
      path.pop();
      bay.unmove(from, to, sortedFrom);
    }
    if (table.size >= TABLE_LIMIT) table.clear();
    table.set(tkey, remaining);
    return FAIL;
  };

  while (bound < limit() && bound <= maxDepth) {
    const verdict = dfs(0, -1, -1, rootBound);
    const proved = startBound <= rootBound;
    if (verdict === FOUND) return { path: [...path], proved, lowerBound: proved ? bound : rootBound };
    if (verdict === TIMEOUT) return { path: best, proved: false, lowerBound: proved ? bound : rootBound };
    if (startBound > rootBound) return { path: best, proved: false, lowerBound: rootBound };
    bound++;
  }
  return { path: best, proved: best !== undefined, lowerBound: Math.min(bound, limit()) };
}
