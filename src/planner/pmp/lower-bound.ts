/**
 * @module Lower bound on the moves still needed to sort a bay.
 *
 * Bortfeldt & Forster (EJOR 217(3), 2012), as refined by Tanaka & Tierney (EJOR 264(1), 2018):
 * every badly placed item (one above the sorted bottom part of its stack) moves at least once; and
 * for every threshold g, the badly placed items of value ≥ g need slots above a well-placed top of
 * value ≥ g. When such slots are short, well-placed items of smaller value must be dug off other
 * stacks first, and each of those costs one more move. When no badly placed top item can go straight
 * to a sorted stack, the moves until the first such placement are all wasted once (see
 * `costToFirstFill`; in the spirit of the refinements of Tanaka & Tierney 2018).
 */
import type { Bay } from './layout.js';

/** Scratch buffers, reused so the bound allocates nothing per call. */
export class BoundScratch {
  readonly badCount: Int32Array;
  readonly k: Int32Array;
  readonly c: Int32Array;

  constructor(groups: number, stackCount: number) {
    this.badCount = new Int32Array(groups + 2);
    this.k = new Int32Array(stackCount);
    this.c = new Int32Array(stackCount);
  }
}

function sortAscending(a: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * The lower bound: badly placed items, plus the largest over thresholds g of the cheapest way to
 * create enough slots for the badly placed items of value ≥ g. The digging cost is bounded below by
 * the m smallest dig depths (m stacks opened) plus one move per slot still missing, minimised over m.
 */
export function lowerBound(bay: Bay, scratch: BoundScratch): number {
  const { stackCount, stride, items, heights, sortedLen, caps } = bay;
  const badCount = scratch.badCount;
  badCount.fill(0);
  let bad = 0;
  let maxBad = 0;
  for (let s = 0; s < stackCount; s++) {
    const base = s * stride;
    for (let i = sortedLen[s]!; i < heights[s]!; i++) {
      const v = items[base + i]!;
      badCount[v]!++;
      if (v > maxBad) maxBad = v;
    }
    bad += heights[s]! - sortedLen[s]!;
  }
  if (bad === 0) return 0;
  const k = scratch.k;
  const c = scratch.c;
  let bestExtra = 0;
  let demand = 0;
  for (let g = maxBad; g >= 1; g--) {
    const count = badCount[g]!;
    if (count === 0) continue;
    demand += count;
    if (demand <= bestExtra) continue;
    let supply = 0;
    for (let s = 0; s < stackCount; s++) {
      const w = sortedLen[s]!;
      if (w === 0 || items[s * stride + w - 1]! >= g) supply += caps[s]! - w;
    }
    const deficit = demand - supply;
    if (deficit <= bestExtra) continue;
    let m = 0;
    for (let s = 0; s < stackCount; s++) {
      const w = sortedLen[s]!;
      const base = s * stride;
      if (w === 0 || items[base + w - 1]! >= g) continue;
      let dig = 0;
      while (dig < w && items[base + w - 1 - dig]! < g) dig++;
      k[m] = dig;
      c[m] = -(caps[s]! - w + dig);
      m++;
    }
    sortAscending(k, m);
    sortAscending(c, m);
    let extra = deficit;
    let cost = 0;
    let cap = 0;
    for (let i = 0; i < m; i++) {
      cost += k[i]!;
      cap -= c[i]!;
      const total = cost + Math.max(0, deficit - cap);
      if (total < extra) extra = total;
    }
    if (extra > bestExtra) bestExtra = extra;
  }
  return bad + firstFillExtra(bay, bestExtra);
}

/**
 * Extra moves, given `dig` (the digging bound above), once the first final placement of a badly
 * placed item is accounted for. If no badly placed top item fits a sorted stack now, every move
 * until the first such placement is wasted once: a badly placed item parked on an unsorted stack
 * must move again, and a well-placed item moved was not counted. The first placement needs a sorted
 * destination with room and an uncovered item that fits it; the cheapest routes are
 * - uncover a badly placed item that fits a sorted stack with room (k badly placed items parked),
 * - empty the badly placed part of an unsorted stack (b badly placed items parked),
 * - dig j well-placed items off a sorted stack until a badly placed top fits (and there is room),
 * - any mix of uncovering and digging (at least one of each).
 * Parked badly placed items are moves the digging bound does not count, so they add to it; dug
 * well-placed items may be the very ones it counts, so those take the maximum.
 */
function firstFillExtra(bay: Bay, dig: number): number {
  const { stackCount, stride, items, heights, sortedLen, caps } = bay;
  let parked = Number.POSITIVE_INFINITY;
  let dug = Number.POSITIVE_INFINITY;
  let anySorted = false;
  for (let d = 0; d < stackCount; d++) {
    const h = heights[d]!;
    const w = sortedLen[d]!;
    if (h !== w) {
      if (h - w < parked) parked = h - w;
      continue;
    }
    anySorted = true;
    const top = bay.sortedTop(d);
    const base = d * stride;
    for (let s = 0; s < stackCount; s++) {
      if (s === d || heights[s] === sortedLen[s]) continue;
      const sBase = s * stride;
      const x = items[sBase + heights[s]! - 1]!;
      if (h < caps[d]!) {
        for (let i = heights[s]! - 1; i >= sortedLen[s]!; i--) {
          if (items[sBase + i]! <= top) {
            const depth = heights[s]! - 1 - i;
            if (depth === 0) return dig;
            if (depth < parked) parked = depth;
            break;
          }
        }
      }
      let j = 0;
      while (j < w && items[base + w - 1 - j]! < x) j++;
      if (j === 0 && h >= caps[d]!) j = 1;
      if (j > 0 && j < dug) dug = j;
    }
  }
  let extra = parked + dig;
  if (Math.max(dig, dug) < extra) extra = Math.max(dig, dug);
  if (anySorted && 1 + Math.max(dig, 1) < extra) extra = 1 + Math.max(dig, 1);
  return Number.isFinite(extra) ? extra : dig;
}
