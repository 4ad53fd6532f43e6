/**
 * @module Exact search: iterative-deepening branch and bound (Tanaka & Takii 2016, IEEE TASE
 * 13(1)), a depth-first search that raises its bound one relocation at a time, pruning every node
 * whose cost so far plus the lower bound of `lower-bound.ts` exceeds it. The first bound at which a
 * solution exists is the optimum. Children are tried in order of their lower bound.
 *
 * Dominance rules kept (each provably keeps an optimal solution): in the restricted variant empty
 * stacks of equal capacity are interchangeable; in the unrestricted variant a block is not moved twice in a row without a
 * retrieval in between (one move would do), and two consecutive independent moves (four distinct
 * stacks, neither retrieving) are only taken in one canonical order (cf. the transitive and
 * commutation rules of Tanaka & Mizuno 2018, C&OR 95).
 */
import type { BayState } from './bay.js';
import type { LowerBound } from './lower-bound.js';
import type { BrpVariant } from './types.js';

export interface ExactOutcome {
  /** The optimal moves when found below `upperBound`, otherwise null. */
  readonly moves: [number, number][] | null;
  /** Proved lower bound (equals the optimum when `complete`). */
  readonly lowerBound: number;
  /** True when the search finished: either `moves` is optimal, or the incumbent upper bound is. */
  readonly complete: boolean;
}


class IdaSearch {
  private readonly bay: BayState;
  private readonly variant: BrpVariant;
  private readonly bound: LowerBound;
  private readonly timeUp: () => boolean;
  private readonly pathFrom: Int32Array;
  private readonly pathTo: Int32Array;
  private readonly childFrom: Int32Array[] = [];
  private readonly childTo: Int32Array[] = [];
  private readonly childLb: Int32Array[] = [];
  private readonly maxChildren: number;
  private nodes = 0;
  private readonly checkMask: number;
  aborted = false;
  solutionLength = -1;

  constructor(bay: BayState, variant: BrpVariant, bound: LowerBound, maxDepth: number, timeUp: () => boolean) {
    this.bay = bay;
    this.variant = variant;
    this.bound = bound;
    this.timeUp = timeUp;
    this.pathFrom = new Int32Array(maxDepth + 1);
    this.pathTo = new Int32Array(maxDepth + 1);
    const S = bay.stackCount;
    this.maxChildren = variant === 'restricted' ? S : S * S;
    this.checkMask = variant === 'restricted' ? 255 : 15;
    for (let d = 0; d <= maxDepth; d++) {
      this.childFrom.push(new Int32Array(this.maxChildren));
      this.childTo.push(new Int32Array(this.maxChildren));
      this.childLb.push(new Int32Array(this.maxChildren));
    }
  }

  private lb(): number {
    return this.variant === 'restricted' ? this.bound.restricted(this.bay) : this.bound.unrestricted(this.bay);
  }

  /** Fills the child buffers of depth g; returns how many children have g + 1 + lb <= limit. */
  private expand(g: number, limit: number): number {
    const bay = this.bay;
    const S = bay.stackCount;
    const froms = this.childFrom[g]!;
    const tos = this.childTo[g]!;
    const lbs = this.childLb[g]!;
    let count = 0;
    const target = bay.next;
    const ts = bay.stackOf[target]!;
    const exposes = bay.posOf[target]!; // a move from ts retrieves iff height[ts] - 2 === this
    const prevFrom = g > 0 ? this.pathFrom[g - 1]! : -1;
    const prevTo = g > 0 ? this.pathTo[g - 1]! : -1;
    const prevRetrieved = g > 0 ? this.prevRetrieved : 1;
    const restricted = this.variant === 'restricted';
    const fromLo = restricted ? ts : 0;
    const fromHi = restricted ? ts + 1 : S;
    for (let from = fromLo; from < fromHi; from++) {
      if (bay.height[from] === 0) continue;
      if (prevRetrieved === 0 && from === prevTo) continue;
      const retrieves = from === ts && bay.height[from]! - 2 === exposes;
      let empty = -1;
      for (let to = 0; to < S; to++) {
        if (to === from || bay.isFull(to)) continue;
        if (restricted && bay.height[to] === 0) {
          if (empty >= 0 && bay.capacity[empty] === bay.capacity[to]) continue;
          empty = to;
        }
        if (
          prevRetrieved === 0 &&
          !retrieves &&
          from !== prevFrom &&
          from !== prevTo &&
          to !== prevFrom &&
          to !== prevTo &&
          from * S + to < prevFrom * S + prevTo
        ) {
          continue;
        }
        const r = bay.relocate(from, to);
        const lb = bay.isDone() ? 0 : this.lb();
        bay.undo(from, to, r);
        if (g + 1 + lb > limit) continue;
        // insertion by lower bound (stable)
        let i = count;
        while (i > 0 && lbs[i - 1]! > lb) {
          froms[i] = froms[i - 1]!;
          tos[i] = tos[i - 1]!;
          lbs[i] = lbs[i - 1]!;
          i--;
        }
        froms[i] = from;
        tos[i] = to;
        lbs[i] = lb;
        count++;
      }
    }
    return count;
  }

  private prevRetrieved = 1;

  /** Depth-first search below `limit`; true when a solution of length <= limit was found. */
  dfs(g: number, limit: number): boolean {
    if ((++this.nodes & this.checkMask) === 0 && this.timeUp()) {
      this.aborted = true;
      return false;
    }
    const bay = this.bay;
    if (bay.isDone()) {
      this.solutionLength = g;
      return true;
    }
    const n = this.expand(g, limit);
    const froms = this.childFrom[g]!;
    const tos = this.childTo[g]!;
    for (let i = 0; i < n; i++) {
      const from = froms[i]!;
      const to = tos[i]!;
      const r = bay.relocate(from, to);
      this.pathFrom[g] = from;
      this.pathTo[g] = to;
      const saved = this.prevRetrieved;
      this.prevRetrieved = r;
      const found = this.dfs(g + 1, limit);
      this.prevRetrieved = saved;
      bay.undo(from, to, r);
      if (found || this.aborted) return found;
    }
    return false;
  }

  path(): [number, number][] {
    const moves: [number, number][] = [];
    for (let d = 0; d < this.solutionLength; d++) moves.push([this.pathFrom[d]!, this.pathTo[d]!]);
    return moves;
  }
}

/**
 * Iterative deepening from the root lower bound up to `upperBound - 1`. `bay` is left as given.
 * When no solution shorter than `upperBound` exists the incumbent is optimal (`complete`, null moves).
 */
export function idaStar(
  bay: BayState,
  variant: BrpVariant,
  bound: LowerBound,
  upperBound: number,
  timeUp: () => boolean,
): ExactOutcome {
  let limit = bay.isDone() ? 0 : variant === 'restricted' ? bound.restricted(bay) : bound.unrestricted(bay);
  if (limit >= upperBound) return { moves: null, lowerBound: upperBound, complete: true };
  const search = new IdaSearch(bay, variant, bound, upperBound, timeUp);
  while (limit < upperBound) {
    if (search.dfs(0, limit)) return { moves: search.path(), lowerBound: limit, complete: true };
    if (search.aborted) return { moves: null, lowerBound: limit, complete: false };
    limit++;
  }
  return { moves: null, lowerBound: upperBound, complete: true };
}
