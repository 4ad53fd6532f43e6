/**
 * @module Exact pre-marshalling: iterative-deepening depth-first search (IDA*, Tierney, Pacino & Voß
 * 2017; the iterative-deepening branch and bound of Tanaka & Tierney 2018) over the lower bound of
 * `lower-bound.ts`, with an upper bound from the beam search.
 *
 * Dominance rules. Each keeps, of every set of optimal sequences, the lexicographically smallest
 * by (source, target) move by move, so together they never lose the optimum:
 * - transitive moves (Tanaka & Tierney 2018, as corrected by Jin & Yu 2021): an item moved from x
 *   to y at level L is not moved again while x is unchanged since L (moving it straight from x
 *   later is one move shorter), nor onto a stack z unchanged since L (it could have gone to z at
 *   once); these only cut sequences that a strictly shorter one dominates;
 * - nor is it moved again while some stack z < y with room is unchanged since L: putting it on z
 *   at level L instead gives a sequence as long and the same layouts from the next move on
 *   (Tanaka & Tierney's rule for an unchanged stack before the one it sits on);
 * - independent moves (Tanaka & Tierney 2018): a move from s to t is not made when some move since
 *   the last change of s and t came from a stack larger than s (it could have been made before
 *   that move; the sequence with the smaller source first is searched instead);
 * - equal ranks (Tanaka & Tierney 2018, for layouts with repeated priorities): an item is not
 *   taken from s while a stack after s was last changed by giving up an item of the same rank and s
 *   stayed unchanged since (taking from s then gives the same layouts), nor put onto t while a
 *   stack after t was last changed by receiving an item of the same rank and t stayed unchanged
 *   since (that item could have gone onto t, this one onto that stack);
 * - of several empty stacks with the same height limit only the first is a target.
 * Children are searched in the order of their moves, (source, target) lexicographically, so the
 * first path that reaches a layout at some depth in a round is the lexicographically smallest one
 * that survives the rules. With an incumbent, the stacks are first renumbered in the order its
 * moves first take from them (the rules and this order hold for any numbering), so that a round
 * that finds a shorter sequence starts with moves like the incumbent's. The bounded dive (a single
 * loose round meant to find any sequence fast) orders them by bound, then fewer badly placed
 * items, then a move into a final place, then the earlier leaver first (the tie-breaks of Tanaka &
 * Tierney's code).
 * A transposition table remembers, per layout (independent of the order of stacks with the same
 * height limit), the largest remaining budget that found nothing and the round (depth limit) it
 * was found in. The rules above depend on the path, so a failure does not say that no sequence
 * within that budget exists; it is used only where that follows anyway: when the layout is met
 * again with a smaller budget (a solution from there would have been found by a strictly shorter
 * path, which the previous round rules out), with the same budget in a later round, or with the
 * same budget later in the same round: that path is lexicographically larger than the first, so
 * the first path followed by the same moves (on the matching stacks) would be a sequence as short
 * and lexicographically smaller, and the smallest optimal sequence, which the rules keep, does not
 * pass here. Keys are 64-bit hashes: a collision could in principle prune a branch wrongly; with
 * the table capped at a few million entries and some 1e8 lookups that chance is below 1e-4.
 */
import { redundantEmpty, type Budget, type EncodedPath } from './heuristic.js';
import { Bay } from './layout.js';
import { boundAfterShift, BoundScratch, tally } from './lower-bound.js';

export interface ExactOutcome {
  /** The shortest sequence found (the incumbent when nothing shorter was found), if any. */
  readonly path: EncodedPath | undefined;
  /** True when `path` is proven optimal. */
  readonly proved: boolean;
  /** A proven lower bound on the optimum. */
  readonly lowerBound: number;
}

/** Table values are remaining budget · ROUND_SPAN + depth limit of the round (never 0). */
const ROUND_SPAN = 65_536;

/**
 * The failure table: open addressing with linear probing on the two 32-bit halves of the layout
 * hash (no number boxed per lookup, as a Map of 53-bit keys would); it doubles while at most half
 * full and is emptied once it holds `limit` entries.
 */
class FailureTable {
  private keysA = new Int32Array(1 << 12);
  private keysB = new Int32Array(1 << 12);
  private values = new Int32Array(1 << 12);
  private size = 0;

  constructor(private readonly limit: number) {}

  /** The value stored for the key, or 0. */
  get(a: number, b: number): number {
    const mask = this.values.length - 1;
    for (let i = slotOf(a, b) & mask; ; i = (i + 1) & mask) {
      const v = this.values[i]!;
      if (v === 0 || (this.keysA[i] === a && this.keysB[i] === b)) return v;
    }
  }

  set(a: number, b: number, value: number): void {
    if (this.size >= this.limit) this.clear();
    else if (2 * (this.size + 1) > this.values.length) this.grow();
    const mask = this.values.length - 1;
    let i = slotOf(a, b) & mask;
    while (this.values[i] !== 0 && (this.keysA[i] !== a || this.keysB[i] !== b)) i = (i + 1) & mask;
    if (this.values[i] === 0) this.size++;
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.values[i] = value;
  }

  private clear(): void {
    this.values.fill(0);
    this.size = 0;
  }

  private grow(): void {
    const { keysA, keysB, values } = this;
    this.keysA = new Int32Array(values.length * 2);
    this.keysB = new Int32Array(values.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.size = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) this.set(keysA[i]!, keysB[i]!, values[i]!);
  }
}

function slotOf(a: number, b: number): number {
  const h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca77);
  return h ^ (h >>> 15);
}

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
  if (incumbent === undefined) return depthFirst(root, budget, rootBound, rootBound, undefined, true);
  // Renumber the stacks in the order the incumbent first takes from them, so that a round that
  // finds a shorter sequence starts near the incumbent; the rules hold for any numbering.
  const S = root.stackCount;
  const order: number[] = [];
  for (const mv of incumbent) {
    const from = Math.floor(mv / S);
    if (!order.includes(from)) order.push(from);
  }
  for (let s = 0; s < S; s++) if (!order.includes(s)) order.push(s);
  const renumbered = new Int32Array(S);
  order.forEach((old, i) => (renumbered[old] = i));
  const ranked = root.toRanked();
  const bay = Bay.fromRanked(
    order.map((old) => ranked[old]!),
    order.map((old) => root.caps[old]!),
    root.groups,
  );
  const start = incumbent.map((mv) => renumbered[Math.floor(mv / S)]! * S + renumbered[mv % S]!);
  const outcome = depthFirst(bay, budget, rootBound, rootBound, start, true);
  const path = outcome.path?.map((mv) => order[Math.floor(mv / S)]! * S + order[mv % S]!);
  return { ...outcome, path };
}

/**
 * Depth-first search for any sequence of at most `maxMoves` moves (f = g + LB ≤ maxMoves, children
 * in order of their bound): with a loose limit it dives straight to a solution and backtracks out of
 * dead ends, so it serves as a fallback when the beams find nothing.
 */
export function boundedDive(root: Bay, budget: Budget, rootBound: number, maxMoves: number): EncodedPath | undefined {
  const outcome = depthFirst(root, budget, rootBound, maxMoves, undefined, false);
  return outcome.path;
}

function depthFirst(
  root: Bay,
  budget: Budget,
  rootBound: number,
  startBound: number,
  incumbent: EncodedPath | undefined,
  lexOrder: boolean,
): ExactOutcome {
  const bay = root.clone();
  const S = bay.stackCount;
  const table = new FailureTable(4_000_000);
  const path: number[] = [];
  let nodes = 0;
  let bound = Math.max(rootBound, startBound);
  const best = incumbent;
  const limit = (): number => (best === undefined ? Number.POSITIVE_INFINITY : best.length);
  const maxDepth = 4 * bay.itemCount + 4 * S + 16;
  // One tally per level, so that a node's tally outlives the search of its children.
  const tallies = Array.from({ length: maxDepth + 2 }, () => new BoundScratch(bay.groups, S));
  // Move history for the transitive rules: the level at which each stack last changed, and for
  // each position the level at which its item was put there and the stack it came from (0 and -1
  // for items that have not moved).
  const lastChange = new Int32Array(S);
  const placedAt = new Int32Array(S * bay.stride);
  const placedFrom = new Int32Array(S * bay.stride).fill(-1);

  // Source stack of the move made at each level, and (per node) the largest source since a level.
  const sourceAt = new Int32Array(maxDepth + 2);
  const targetAt = new Int32Array(maxDepth + 2);
  const largestSourceAfter = new Int32Array(maxDepth + 2);
  const stride = bay.stride;
  // Radix of the child order: above any count of items and any rank.
  const span = bay.itemCount + bay.groups + 2;

  // Rank moved at each level (the equal-rank rules, which cannot apply when every rank is distinct).
  const repeatedRanks = bay.groups < bay.itemCount;
  const rankAt = new Int32Array(maxDepth + 2);
  /**
   * True when a stack after `from` was last changed by giving up an item of the same rank while
   * `from` stayed unchanged: taking from `from` then instead leads to the same layouts.
   */
  const takenSooner = (from: number, rank: number, changedFrom: number): boolean => {
    for (let j = from + 1; j < S; j++) {
      const l = lastChange[j]!;
      if (l > changedFrom && sourceAt[l] === j && rankAt[l] === rank) return true;
    }
    return false;
  };
  /**
   * True when a stack after `to` was last changed by receiving an item of the same rank while `to`
   * stayed unchanged: that item could have gone onto `to`, and this one onto that stack.
   */
  const placedSooner = (to: number, rank: number, changedTo: number): boolean => {
    for (let k = to + 1; k < S; k++) {
      const l = lastChange[k]!;
      if (l > changedTo && targetAt[l] === k && rankAt[l] === rank) return true;
    }
    return false;
  };

  /** Largest source of the moves after each level up to g (the independent-moves rule). */
  const markLargestSources = (g: number): void => {
    let largest = -1;
    for (let l = g; l >= 0; l--) {
      largestSourceAfter[l] = largest;
      if (l > 0 && sourceAt[l]! > largest) largest = sourceAt[l]!;
    }
  };

  /**
   * Searches the child reached by the move from → to, already made on `bay` (`sortedFrom` is the
   * sorted length of `from` before it). On FAIL and TIMEOUT the move is undone; on FOUND the path
   * holds the sequence.
   */
  const descend = (g: number, from: number, to: number, sortedFrom: number, childLb: number): Verdict => {
    const changedFrom = lastChange[from]!;
    const changedTo = lastChange[to]!;
    const at = to * stride + bay.heights[to]! - 1;
    const placedAtBefore = placedAt[at]!;
    const placedFromBefore = placedFrom[at]!;
    lastChange[from] = g + 1;
    lastChange[to] = g + 1;
    placedAt[at] = g + 1;
    placedFrom[at] = from;
    sourceAt[g + 1] = from;
    targetAt[g + 1] = to;
    rankAt[g + 1] = bay.items[at]!;
    path.push(from * S + to);
    const verdict = dfs(g + 1, childLb);
    lastChange[from] = changedFrom;
    lastChange[to] = changedTo;
    placedAt[at] = placedAtBefore;
    placedFrom[at] = placedFromBefore;
    if (verdict !== FOUND) {
      path.pop();
      bay.unmove(from, to, sortedFrom);
    }
    return verdict;
  };

  const dfs = (g: number, lb: number): Verdict => {
    if (lb === 0) return FOUND;
    if ((++nodes & 511) === 0 && budget.clock() > budget.deadline) return TIMEOUT;
    const remaining = bound - g;
    const known = table.get(bay.sumA, bay.sumB);
    if (known !== 0) {
      const failedWith = Math.floor(known / ROUND_SPAN);
      const round = known % ROUND_SPAN;
      if (failedWith > remaining || (failedWith === remaining && (round < bound || (lexOrder && round === bound)))) {
        return FAIL;
      }
    }
    markLargestSources(g);
    const scratch = tallies[g]!;
    tally(bay, scratch);
    const childMoves: number[] = [];
    const childBounds: number[] = [];
    const childOrder: number[] = [];
    // Every badly placed item moves at least once: a child with too many is cut before it is built.
    const bad = bay.badCount();
    for (let from = 0; from < S; from++) {
      if (bay.heights[from] === 0) continue;
      const topAt = from * stride + bay.heights[from]! - 1;
      const movedAt = placedAt[topAt]!;
      if (movedAt > 0) {
        if (lastChange[placedFrom[topAt]!] === movedAt) continue;
        let z = 0;
        while (z < from && (lastChange[z]! >= movedAt || bay.heights[z]! >= bay.caps[z]!)) z++;
        if (z < from) continue;
      }
      const sortedFrom = bay.sortedLen[from]!;
      const changedFrom = lastChange[from]!;
      const rank = bay.items[topAt]!;
      if (repeatedRanks && takenSooner(from, rank, changedFrom)) continue;
      const badLeft = bay.heights[from]! > sortedFrom ? bad - 1 : bad;
      for (let to = 0; to < S; to++) {
        if (!bay.canMove(from, to)) continue;
        const h = bay.heights[to]!;
        const fits = bay.sortedLen[to] === h && (h === 0 || bay.items[to * stride + h - 1]! >= rank);
        if (g + 1 + badLeft + (fits ? 0 : 1) > bound) continue;
        const changedTo = lastChange[to]!;
        if (largestSourceAfter[changedFrom > changedTo ? changedFrom : changedTo]! > from) continue;
        if (movedAt > 0 && changedTo < movedAt) continue;
        if (repeatedRanks && placedSooner(to, rank, changedTo)) continue;
        if (redundantEmpty(bay, to)) continue;
        bay.shift(from, to);
        const childLb = boundAfterShift(bay, scratch, from, to, bound - g - 1);
        bay.unshift(from, to, sortedFrom);
        if (g + 1 + childLb > bound) continue;
        if (lexOrder) {
          bay.move(from, to);
          const verdict = descend(g, from, to, sortedFrom, childLb);
          if (verdict !== FAIL) return verdict;
          markLargestSources(g);
          continue;
        }
        // Children by bound, then fewer badly placed items, then a move into a final place, then
        // the earlier leaver moved first.
        const order = ((childLb * span + badLeft + (fits ? 0 : 1)) * 2 + (fits ? 0 : 1)) * span + rank;
        let j = childMoves.length;
        childMoves.push(0);
        childBounds.push(0);
        childOrder.push(0);
        while (j > 0 && childOrder[j - 1]! > order) {
          childMoves[j] = childMoves[j - 1]!;
          childBounds[j] = childBounds[j - 1]!;
          childOrder[j] = childOrder[j - 1]!;
          j--;
        }
        childMoves[j] = from * S + to;
        childBounds[j] = childLb;
        childOrder[j] = order;
      }
    }
    for (let i = 0; i < childMoves.length; i++) {
      const mv = childMoves[i]!;
      const from = Math.floor(mv / S);
      const to = mv % S;
      const sortedFrom = bay.sortedLen[from]!;
      bay.move(from, to);
      const verdict = descend(g, from, to, sortedFrom, childBounds[i]!);
      if (verdict !== FAIL) return verdict;
    }
    table.set(bay.sumA, bay.sumB, remaining * ROUND_SPAN + bound);
    return FAIL;
  };

  while (bound < limit() && bound <= maxDepth) {
    const verdict = dfs(0, rootBound);
    const proved = startBound <= rootBound;
    if (verdict === FOUND) return { path: [...path], proved, lowerBound: proved ? bound : rootBound };
    if (verdict === TIMEOUT) return { path: best, proved: false, lowerBound: proved ? bound : rootBound };
    if (startBound > rootBound) return { path: best, proved: false, lowerBound: rootBound };
    bound++;
  }
  return { path: best, proved: best !== undefined, lowerBound: Math.min(bound, limit()) };
}
