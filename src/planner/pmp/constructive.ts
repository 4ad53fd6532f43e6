/**
 * @module Constructive pre-marshalling: a fast, always-terminating heuristic that fills one stack at
 * a time, used as the fallback and as the first upper bound of the beam and exact searches.
 *
 * The scheme is the "pick the stack to fill next, clear it and fill it from the others" idea behind
 * the feasibility-based heuristic of Wang, Jin, Zhang & Lim (EJOR 256, 2017) and the LPFH of
 * Expósito-Izquierdo, Melián-Batista & Moreno-Vega (ESWA 39(9), 2012):
 * 1. pick a target stack t that is not yet final (fewest badly placed items, then largest sorted top);
 * 2. clear t down to its sorted bottom part, parking each item where it lands well placed if possible;
 * 3. repeatedly take the largest item that fits on t (value ≤ t's top), dig it free by parking the
 *    items above it on stacks other than t and its own, and put it on t, until t is full (less a
 *    reserve) or nothing fits;
 * 4. declare t final.
 * A final stack is sorted and never loses an item; items are parked on it only when they keep it
 * sorted. So it stays sorted to the end, and when every stack is final the layout is sorted.
 *
 * Termination (of `fillStacks`): there are at most S phases (each declares one more stack final, and a final stack is
 * never chosen again); a phase makes at most cap(t) moves clearing and at most cap(t) placements,
 * each preceded by fewer than maxCap digging moves. Progress: each phase permanently fixes at least
 * one item — t keeps its sorted part, and if that was empty, t is empty and the top item of any other
 * non-final stack fits on it (depth 0, no digging). When parking finds no room the attempt stops and
 * reports failure (undefined), so the search never loops; `bestConstructive` tries a few reserves and
 * returns the shortest success.
 */
import type { EncodedPath } from './heuristic.js';
import type { Bay } from './layout.js';

/** One run of the stack-filling scheme; `reserve` slots of each target are left free for the endgame. */
export function fillStacks(root: Bay, reserve: number, largestFirst: boolean): EncodedPath | undefined {
  const bay = root.clone();
  const S = bay.stackCount;
  const { heights, sortedLen, caps, items, stride } = bay;
  const path: number[] = [];
  const final = new Uint8Array(S);

  const fitsSorted = (d: number, x: number): boolean => heights[d] === sortedLen[d] && bay.sortedTop(d) >= x;

  /** Moves the top of `from` to the best stack other than `avoid1`/`avoid2`; false when none has room. */
  const park = (from: number, avoid1: number, avoid2: number): boolean => {
    const x = bay.top(from);
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let d = 0; d < S; d++) {
      if (d === from || d === avoid1 || d === avoid2 || heights[d]! >= caps[d]!) continue;
      let score: number;
      if (fitsSorted(d, x)) score = bay.sortedTop(d) - x;
      else if (final[d]) continue;
      else score = 1_000_000 - 1000 * (caps[d]! - heights[d]!) + (heights[d]! - sortedLen[d]!);
      if (score < bestScore) {
        bestScore = score;
        best = d;
      }
    }
    if (best < 0) return false;
    bay.move(from, best);
    path.push(from * S + best);
    return true;
  };

  /** Free slots a digging from `src` towards `t` may use (final stacks counted only if sorted top fits). */
  const roomFor = (src: number, t: number, lowest: number): number => {
    let room = 0;
    for (let d = 0; d < S; d++) {
      if (d === src || d === t) continue;
      if (final[d] && bay.sortedTop(d) < lowest) continue;
      room += caps[d]! - heights[d]!;
    }
    return room;
  };

  for (let phase = 0; phase < S; phase++) {
    if (bay.isSorted()) return path;
    let t = -1;
    let tCost = Number.POSITIVE_INFINITY;
    let tTop = -1;
    for (let s = 0; s < S; s++) {
      if (final[s]) continue;
      const cost = heights[s]! - sortedLen[s]!;
      const top = bay.sortedTop(s);
      if (cost < tCost || (cost === tCost && top > tTop)) {
        t = s;
        tCost = cost;
        tTop = top;
      }
    }
    if (t < 0) return undefined;
    while (heights[t]! > sortedLen[t]!) if (!park(t, -1, -1)) return undefined;
    const limit = Math.max(1, caps[t]! - reserve);
    while (heights[t]! < limit) {
      const top = bay.sortedTop(t);
      let src = -1;
      let depth = 0;
      let value = -1;
      for (let s = 0; s < S; s++) {
        if (s === t || final[s] || heights[s] === 0) continue;
        const base = s * stride;
        let lowest = Number.POSITIVE_INFINITY;
        for (let i = heights[s]! - 1; i >= 0; i--) {
          const x = items[base + i]!;
          const d = heights[s]! - 1 - i;
          if (x <= top && d <= roomFor(s, t, lowest)) {
            const better = largestFirst
              ? x > value || (x === value && d < depth)
              : d < depth || src < 0 || (d === depth && x > value);
            if (better) {
              src = s;
              depth = d;
              value = x;
            }
          }
          if (x < lowest) lowest = x;
        }
      }
      if (src < 0) break;
      for (let k = 0; k < depth; k++) if (!park(src, t, -1)) return undefined;
      bay.move(src, t);
      path.push(src * S + t);
    }
    final[t] = 1;
  }
  return bay.isSorted() ? path : undefined;
}

/**
 * Fixes items one at a time in order of decreasing value. Invariant: each stack is a fixed bottom
 * part (sorted) under a loose part, and every fixed item is at least every loose item, so a stack's
 * fixed part takes any loose item on top (the remaining problem is a PMP with smaller height limits).
 * A phase takes a loose item of the largest loose value v, clears the loose part of a target stack t,
 * digs the item free and puts it on t's fixed part (or digs it free where it already sits right on
 * its stack's fixed part). Each phase fixes at least one item and makes fewer than 2·maxCap + 1 moves,
 * so at most N phases run. A phase whose every choice lacks room reports failure (undefined).
 */
export function fixLargest(root: Bay, reserve = 0): EncodedPath | undefined {
  const bay = root.clone();
  const S = bay.stackCount;
  const { heights, caps, items, stride } = bay;
  const fixed = new Int32Array(S);
  const path: number[] = [];
  let free = 0;
  for (let s = 0; s < S; s++) free += caps[s]! - heights[s]!;
  let loose = bay.itemCount;

  /** Extends fixed parts with loose items of value v that already sit right on them. */
  const absorb = (v: number): void => {
    for (let s = 0; s < S; s++) {
      while (fixed[s]! < heights[s]! && items[s * stride + fixed[s]!] === v) {
        fixed[s]!++;
        loose--;
      }
    }
  };

  /**
   * Moves the loose top of `from` to a stack other than `avoid`, preferring one where it sorts and
   * avoiding `spare` (a stack to be cleared next) where another has room.
   */
  const park = (from: number, avoid: number, spare = -1): boolean => {
    const x = bay.top(from);
    let best = -1;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let d = 0; d < S; d++) {
      if (d === from || d === avoid || heights[d]! >= caps[d]!) continue;
      const sorted = heights[d] === bay.sortedLen[d];
      let score = sorted && bay.sortedTop(d) >= x ? bay.sortedTop(d) - x : 100_000 - 100 * (caps[d]! - heights[d]!);
      if (d === spare) score += 1_000_000;
      if (score < bestScore) {
        bestScore = score;
        best = d;
      }
    }
    if (best < 0) return false;
    bay.move(from, best);
    path.push(from * S + best);
    return true;
  };

  for (let phase = 0; loose > 0 && phase <= bay.itemCount; phase++) {
    let v = 0;
    for (let s = 0; s < S; s++) for (let i = fixed[s]!; i < heights[s]!; i++) v = Math.max(v, items[s * stride + i]!);
    absorb(v);
    if (loose === 0) break;
    let still = false;
    for (let s = 0; s < S && !still; s++)
      for (let i = fixed[s]!; i < heights[s]!; i++) if (items[s * stride + i] === v) still = true;
    if (!still) continue;
    let bestCost = Number.POSITIVE_INFINITY;
    let bestT = -1;
    let bestSrc = -1;
    let bestDepth = 0;
    let bestVia = -1;
    // Targets are first filled only to `reserve` below their limit, so that free slots stay spread
    // over the fixed stacks (loose items may park there); without a choice, the reserve is dropped.
    for (const keep of reserve > 0 ? [reserve, 0] : [0]) {
      for (let src = 0; src < S; src++) {
        const base = src * stride;
        for (let i = heights[src]! - 1; i >= fixed[src]!; i--) {
          if (items[base + i] !== v) continue;
          const d = heights[src]! - 1 - i;
          if (i === fixed[src] && free - (caps[src]! - heights[src]!) >= d && d < bestCost) {
            bestCost = d;
            bestT = src;
            bestSrc = src;
            bestDepth = d;
          }
          for (let t = 0; t < S; t++) {
            if (t === src || fixed[t]! >= caps[t]! - keep) continue;
            const clear = heights[t]! - fixed[t]!;
            const cost = clear + d + 1;
            if (cost < bestCost && free - (caps[t]! - fixed[t]!) - (caps[src]! - heights[src]!) >= d) {
              bestCost = cost;
              bestT = t;
              bestSrc = src;
              bestDepth = d;
              bestVia = -1;
            }
            // Via a stack r: dig v out (blockers first top r up to one below its limit), park v on r,
            // clear t and move v over; it needs only that everything but t's fixed part fits outside t.
            if (free - (caps[src]! - heights[src]!) - 1 < d) continue;
            for (let r = 0; r < S; r++) {
              if (r === src || r === t || heights[r]! >= caps[r]!) continue;
              const toR = Math.min(d, caps[r]! - 1 - heights[r]!);
              // Loose items of t may top r up too (they must leave t anyway, so this costs nothing).
              const fromT = Math.min(clear, caps[r]! - 1 - heights[r]! - toR);
              const freeR = caps[r]! - heights[r]! - toR - fromT - 1;
              const viaCost = d + clear + 2;
              if (viaCost < bestCost && free - (caps[t]! - fixed[t]!) - freeR >= 0) {
                bestCost = viaCost;
                bestT = t;
                bestSrc = src;
                bestDepth = d;
                bestVia = r;
              }
            }
          }
          break;
        }
      }
      if (bestT >= 0) break;
    }
    if (bestT < 0) return undefined;
    if (bestVia >= 0) {
      const r = bestVia;
      for (let k = 0; k < bestDepth; k++) {
        if (heights[r]! < caps[r]! - 1) {
          bay.move(bestSrc, r);
          path.push(bestSrc * S + r);
        } else if (!park(bestSrc, r, bestT)) return undefined;
      }
      while (heights[r]! < caps[r]! - 1 && heights[bestT]! > fixed[bestT]!) {
        bay.move(bestT, r);
        path.push(bestT * S + r);
      }
      bay.move(bestSrc, r);
      path.push(bestSrc * S + r);
      while (heights[bestT]! > fixed[bestT]!) if (!park(bestT, r)) return undefined;
      bay.move(r, bestT);
      path.push(r * S + bestT);
      absorb(v);
      continue;
    }
    if (bestT !== bestSrc) while (heights[bestT]! > fixed[bestT]!) if (!park(bestT, bestSrc)) return undefined;
    for (let k = 0; k < bestDepth; k++) if (!park(bestSrc, bestT)) return undefined;
    if (bestT !== bestSrc) {
      bay.move(bestSrc, bestT);
      path.push(bestSrc * S + bestT);
    }
    absorb(v);
  }
  return loose === 0 && bay.isSorted() ? path : undefined;
}

/** The shortest of a few constructive runs (different reserves and item choices), if any succeeds. */
export function bestConstructive(root: Bay): EncodedPath | undefined {
  let best: EncodedPath | undefined;
  for (const reserve of [0, 1, 2, 3, 4]) {
    const path = fixLargest(root, reserve);
    if (path !== undefined && (best === undefined || path.length < best.length)) best = path;
  }
  for (const reserve of [0, 1, 2]) {
    for (const largestFirst of [true, false]) {
      const path = fillStacks(root, reserve, largestFirst);
      if (path !== undefined && (best === undefined || path.length < best.length)) best = path;
    }
  }
  return best;
}
