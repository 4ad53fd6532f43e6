/**
 * @module A fast constructive re-sort, used to complete partial plans (rollouts) inside the beam
 * search and as its first upper bound.
 *
 * In the spirit of the feasibility-based heuristic of Wang, Jin, Zhang & Lim (EJOR 256, 2017) and
 * the move classes of Bortfeldt & Forster (2012): put a badly placed top item straight onto a sorted
 * stack whenever one fits it ("bad → good" move, tightest fit first); otherwise clean the stack that
 * is closest to sorted by moving its top badly placed item onto an unsorted stack (where it does no
 * new harm), so that the stack becomes a sorted destination.
 */
import type { Bay } from './layout.js';

/**
 * Plays the greedy on `bay` (mutated) for at most `maxSteps` moves. Returns the number of moves
 * until sorted, or -1 when it stalls or runs out of steps. Moves are appended to `out` as
 * from * stackCount + to when given.
 */
export function greedyComplete(bay: Bay, lastToIn: number, maxSteps: number, out?: number[]): number {
  const { stackCount: S, heights, sortedLen, caps } = bay;
  let lastTo = lastToIn;
  for (let step = 0; step <= maxSteps; step++) {
    let anyBad = false;
    // Bad → good: the tightest fit over all (bad top, sorted destination) pairs.
    let bestFrom = -1;
    let bestTo = -1;
    let bestFit = Number.POSITIVE_INFINITY;
    for (let s = 0; s < S; s++) {
      if (heights[s] === sortedLen[s]) continue;
      anyBad = true;
      const x = bay.top(s);
      for (let d = 0; d < S; d++) {
        if (d === s || heights[d] !== sortedLen[d] || heights[d]! >= caps[d]!) continue;
        const t = bay.sortedTop(d);
        if (t < x) continue;
        // Among equal fits prefer the larger item: it is the harder one to place later.
        const fit = (t - x) * 1024 - x;
        if (fit < bestFit) {
          bestFit = fit;
          bestFrom = s;
          bestTo = d;
        }
      }
    }
    if (!anyBad) return step;
    if (step === maxSteps) return -1;
    if (bestFrom < 0) {
      // Clean the stack with the fewest badly placed items (ties: the larger sorted top).
      let source = -1;
      let sourceKey = Number.POSITIVE_INFINITY;
      for (let s = 0; s < S; s++) {
        const bad = heights[s]! - sortedLen[s]!;
        if (bad === 0 || s === lastTo) continue;
        const key = bad * 4096 - bay.sortedTop(s);
        if (key < sourceKey) {
          let room = false;
          for (let d = 0; d < S && !room; d++) room = d !== s && heights[d]! < caps[d]!;
          if (room) {
            sourceKey = key;
            source = s;
          }
        }
      }
      if (source < 0) return -1;
      const x = bay.top(source);
      let dest = -1;
      let destKey = Number.POSITIVE_INFINITY;
      for (let d = 0; d < S; d++) {
        if (d === source || heights[d]! >= caps[d]!) continue;
        let key: number;
        if (heights[d] !== sortedLen[d]) {
          // Unsorted destination: no new harm; on a top ≥ x the item is not buried under a larger one.
          const t = bay.top(d);
          key = t >= x ? t - x : 4096 + (x - t);
        } else {
          // Sorted destination that cannot take x: it becomes unsorted; prefer few items above... none.
          key = 1 << 20;
          key += heights[d]! * 64;
        }
        if (key < destKey) {
          destKey = key;
          dest = d;
        }
      }
      if (dest < 0) return -1;
      bestFrom = source;
      bestTo = dest;
    }
    bay.move(bestFrom, bestTo);
    out?.push(bestFrom * S + bestTo);
    lastTo = bestTo;
  }
  return -1;
}
