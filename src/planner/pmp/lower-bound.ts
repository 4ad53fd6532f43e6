/**
 * @module Lower bound on the moves still needed to sort a bay: the improved Bortfeldt–Forster
 * bound of Tanaka & Tierney ("Solving real-world sized container pre-marshalling problems with an
 * iterative deepening branch-and-bound algorithm", EJOR 264(1), 2018, Section 4), built on
 * Bortfeldt & Forster (EJOR 217(3), 2012). It is the sum of
 * - nBX: every badly placed item (one above the sorted bottom part of its stack) moves at least once;
 *   when no stack with room is clean, the first final placement must wait until the badly placed
 *   part of some stack is parked elsewhere, so the smallest such part moves twice;
 * - nGX: at the threshold g where the badly placed items of rank ≥ g exceed the good slots (slots
 *   above a well-placed top of rank ≥ g) the most, the surplus needs at least ⌈surplus / H⌉ more
 *   stacks opened, each by digging off its well-placed items of rank < g (`rootLowerBound` takes
 *   every threshold and counts the stacks to open from the slots each gives, `openingMoves`);
 * - one more move in the cases of Tanaka & Tierney's "IMPROVED_BF_LOWER_BOUND2" (see
 *   `wastedMoveAhead`): with at most two clean stacks, no badly placed part can be handed to them
 *   without a further wasted move.
 * Checked against exact distances of every layout reachable from small random layouts
 * (lower-bound.test.ts); on the DLTS 5×5 instances it equals the root bound of their code.
 * The search reads each child's bound from a tally of its parent adjusted for the two stacks the
 * move changes (`tally`, `boundAfterShift`).
 */
import type { Bay } from './layout.js';

/** Scratch buffers, reused so the bound allocates nothing per call. */
export class BoundScratch {
  /** Badly placed items per rank (the demand of good slots). */
  readonly badCount: Int32Array;
  /** Good slots per clean-top rank. */
  readonly supply: Int32Array;
  /** Per stack, at one threshold g: its well-placed items of rank < g (the part to dig off). */
  readonly k: Int32Array;
  /** Candidate stacks by the number of items to dig off, and by the slots that opens (1..stride). */
  digStacks = new Int32Array(0);
  gainStacks = new Int32Array(0);
  /** Well-placed positions by rank: the first per rank, and the next of the same rank. */
  readonly rankHead: Int32Array;
  rankNext = new Int32Array(0);
  /** Per stack: largest badly placed rank (0 when clean), and whether that part rises bottom → top. */
  readonly badMax: Int32Array;
  readonly rising: Uint8Array;
  /** Per stack: badly placed items. */
  readonly badHeight: Int32Array;
  /** Largest height limit. */
  maxCap = 0;

  constructor(groups: number, stackCount: number) {
    this.badCount = new Int32Array(groups + 2);
    this.supply = new Int32Array(groups + 2);
    this.k = new Int32Array(stackCount);
    this.rankHead = new Int32Array(groups + 2);
    this.badMax = new Int32Array(stackCount);
    this.rising = new Uint8Array(stackCount);
    this.badHeight = new Int32Array(stackCount);
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

/** Rank of the top well-placed item of s; the largest rank for a stack with none (it takes anything). */
function cleanTop(bay: Bay, s: number): number {
  const w = bay.sortedLen[s]!;
  return w === 0 ? bay.groups : bay.items[s * bay.stride + w - 1]!;
}

/**
 * The lower bound (see the module comment); 0 exactly when the bay is sorted. Once a partial sum
 * exceeds `cutoff` it is returned as it stands (still a lower bound: a search that prunes above
 * the cutoff needs no more).
 */
export function lowerBound(bay: Bay, scratch: BoundScratch, cutoff = Number.POSITIVE_INFINITY): number {
  tally(bay, scratch);
  return boundFromTally(bay, scratch, cutoff);
}

/**
 * The bound with nGX taken at every rank threshold (`openingMoves`): never below `lowerBound`, a
 * few times dearer. It raised the root bound of about 2% of the DLTS layouts and slowed the search
 * when used at every node (more time per node than the rare extra cut saved), so the solvers use it
 * once, at the root.
 */
export function rootLowerBound(bay: Bay, scratch: BoundScratch): number {
  tally(bay, scratch);
  return boundFromTally(bay, scratch, Number.POSITIVE_INFINITY, true);
}

/**
 * Counts the per-rank demand and supply and the badly placed part of every stack into `scratch`,
 * so that `boundAfterShift` can give the bound of each child from the two stacks its move changes.
 */
export function tally(bay: Bay, scratch: BoundScratch): void {
  const { stackCount, stride, items, heights, sortedLen, caps } = bay;
  const { badCount, supply, badMax, rising, badHeight } = scratch;
  badCount.fill(0);
  supply.fill(0);
  let maxCap = 0;
  for (let s = 0; s < stackCount; s++) {
    const h = heights[s]!;
    const w = sortedLen[s]!;
    const cap = caps[s]!;
    if (cap > maxCap) maxCap = cap;
    supply[cleanTop(bay, s)]! += cap - w;
    badHeight[s] = h - w;
    if (w === h) {
      badMax[s] = 0;
      continue;
    }
    const base = s * stride;
    let max = 0;
    let up = 1;
    for (let i = w; i < h; i++) {
      const v = items[base + i]!;
      badCount[v]!++;
      if (v >= max) max = v;
      else up = 0;
    }
    badMax[s] = max;
    rising[s] = up;
  }
  scratch.maxCap = maxCap;
}

/**
 * The bound (as `lowerBound`) of `bay` just after `bay.shift(from, to)`, while `scratch` holds the
 * tally of the layout before it; the tally is left as it was.
 */
export function boundAfterShift(bay: Bay, scratch: BoundScratch, from: number, to: number, cutoff: number): number {
  const { stride, items, heights, sortedLen, caps, groups } = bay;
  const { badCount, supply, badMax, rising, badHeight } = scratch;
  const hTo = heights[to]! - 1;
  const v = items[to * stride + hTo]!;
  const fromBad = badHeight[from]!;
  const toBad = badHeight[to]!;
  const fromMax = badMax[from]!;
  const fromRising = rising[from]!;
  const toMax = badMax[to]!;
  const toRising = rising[to]!;
  // The source: a badly placed item leaves its part, or a clean stack's top run shrinks by one.
  const capFrom = caps[from]!;
  const newFromTop = cleanTop(bay, from);
  if (fromBad > 0) {
    badCount[v]!--;
    badHeight[from] = fromBad - 1;
    if (fromBad > 1) {
      const base = from * stride;
      let max = 0;
      let up = 1;
      for (let i = sortedLen[from]!; i < heights[from]!; i++) {
        const r = items[base + i]!;
        if (r >= max) max = r;
        else up = 0;
      }
      badMax[from] = max;
      rising[from] = up;
    } else badMax[from] = 0;
  } else {
    supply[v]! -= capFrom - heights[from]! - 1;
    supply[newFromTop]! += capFrom - heights[from]!;
  }
  // The target: the item lands in a final place, or on (or starts) the badly placed part.
  const capTo = caps[to]!;
  const oldToTop = hTo === 0 ? groups : items[to * stride + hTo - 1]!;
  const fits = sortedLen[to] === hTo + 1;
  if (fits) {
    supply[oldToTop]! -= capTo - hTo;
    supply[v]! += capTo - hTo - 1;
  } else {
    badCount[v]!++;
    badHeight[to] = toBad + 1;
    badMax[to] = toBad > 0 && toMax > v ? toMax : v;
    rising[to] = toBad > 0 ? (toRising === 1 && v >= toMax ? 1 : 0) : 1;
  }
  const lb = boundFromTally(bay, scratch, cutoff);
  if (fits) {
    supply[v]! -= capTo - hTo - 1;
    supply[oldToTop]! += capTo - hTo;
  } else badCount[v]!--;
  if (fromBad > 0) badCount[v]!++;
  else {
    supply[newFromTop]! -= capFrom - heights[from]!;
    supply[v]! += capFrom - heights[from]! - 1;
  }
  badHeight[from] = fromBad;
  badHeight[to] = toBad;
  badMax[from] = fromMax;
  rising[from] = fromRising;
  badMax[to] = toMax;
  rising[to] = toRising;
  return lb;
}

/** nGX of Tanaka & Tierney (2018): at the threshold of the largest surplus, ⌈surplus / H⌉ stacks opened. */
function largestSurplusOpening(bay: Bay, scratch: BoundScratch): number {
  const { stackCount, stride, items, sortedLen, groups } = bay;
  const { badCount, supply, maxCap } = scratch;
  let surplus = 0;
  let maxSurplus = 0;
  let at = 0;
  for (let g = groups; g >= 1; g--) {
    surplus += badCount[g]! - supply[g]!;
    if (surplus > maxSurplus) {
      maxSurplus = surplus;
      at = g;
    }
  }
  let gx = 0;
  if (maxSurplus > 0) {
    const k = scratch.k;
    let m = 0;
    for (let s = 0; s < stackCount; s++) {
      if (cleanTop(bay, s) >= at) continue;
      const base = s * stride;
      const w = sortedLen[s]!;
      let dig = 1;
      while (dig < w && items[base + w - 1 - dig]! < at) dig++;
      k[m++] = dig;
    }
    sortAscending(k, m);
    const need = Math.ceil(maxSurplus / maxCap);
    for (let i = 0; i < need && i < m; i++) gx += k[i]!;
  }
  return gx;
}

/**
 * nGX over every rank threshold g (Tanaka & Tierney's code has this as an unused option,
 * IMPROVED_BF_LOWER_BOUND_BY_ALL; the 2018 bound reads only the g of the largest surplus), with
 * the stacks to open counted from the slots each one gives rather than from the height limit.
 *
 * Why it is admissible, for one g. At the end every badly placed item of rank ≥ g, and every
 * well-placed item of rank ≥ g that was moved, sits in a stack whose unmoved bottom part holds
 * only ranks ≥ g. The unmoved part of a stack is a bottom prefix of its well-placed part (an item
 * cannot leave from under one that stays, and an unmoved badly placed item would stay above a
 * smaller one). So a stack t can take those items only if its well-placed items of rank < g
 * (the top d_t of its well-placed part) have all moved, and then it holds at most
 * cap_t − c_t of them, c_t being its well-placed items of rank ≥ g that stay: moving one of those
 * frees a slot but adds an item to place, which gains nothing. Hence the stacks U that take them
 * satisfy Σ_U (cap_t − w_t + d_t) ≥ demand(≥ g), where stacks with a clean top ≥ g have d_t = 0 and
 * give `supply`; the others must be opened at a cost of d_t moves of well-placed items, which nBX
 * (moves of badly placed items) does not count. With m* the fewest stacks whose largest gains
 * cover the surplus, any such U opens at least m* stacks and costs at least the m* smallest d_t.
 * Each g gives a lower bound on the same moves, so the largest is one too.
 */
function openingMoves(bay: Bay, scratch: BoundScratch): number {
  const { stackCount, stride, items, sortedLen, caps, groups } = bay;
  const { badCount, supply, k: dig } = scratch;
  if (scratch.digStacks.length <= stride) {
    scratch.digStacks = new Int32Array(stride + 1);
    scratch.gainStacks = new Int32Array(stride + 1);
    scratch.rankNext = new Int32Array(stackCount * stride);
  }
  // Candidates (stacks with a clean top below g) counted by their d_t and by their gain, kept up
  // to date as g falls: at g the well-placed items of rank ≥ g leave the part to dig off.
  const { digStacks, gainStacks, rankHead, rankNext } = scratch;
  // The last g with a positive surplus; below it nothing is left to count.
  let surplus = 0;
  let lowest = 0;
  for (let g = groups; g >= 1; g--) {
    surplus += badCount[g]! - supply[g]!;
    if (surplus > 0) lowest = g;
  }
  if (lowest === 0) return 0;
  digStacks.fill(0);
  gainStacks.fill(0);
  rankHead.fill(-1);
  let totalDig = 0;
  for (let s = 0; s < stackCount; s++) {
    const w = sortedLen[s]!;
    dig[s] = w;
    if (w === 0) continue;
    digStacks[w]!++;
    gainStacks[caps[s]!]!++;
    totalDig += w;
    const base = s * stride;
    for (let i = 0; i < w; i++) {
      const r = items[base + i]!;
      if (r < lowest) break;
      rankNext[base + i] = rankHead[r]!;
      rankHead[r] = base + i;
    }
  }
  surplus = 0;
  let best = 0;
  for (let g = groups; g >= lowest; g--) {
    for (let at = rankHead[g]!; at >= 0; at = rankNext[at]!) {
      const s = Math.floor(at / stride);
      const w = sortedLen[s]!;
      const d = dig[s]!;
      const e = w - 1 - (at - s * stride);
      if (e >= d) continue;
      const free = caps[s]! - w;
      digStacks[d]!--;
      gainStacks[free + d]!--;
      totalDig -= d - e;
      dig[s] = e;
      if (e > 0) {
        digStacks[e]!++;
        gainStacks[free + e]!++;
      }
    }
    surplus += badCount[g]! - supply[g]!;
    if (surplus <= 0 || totalDig <= best) continue;
    let open = 0;
    let covered = 0;
    for (let v = stride; v >= 1 && covered < surplus; v--) {
      for (let c = gainStacks[v]!; c > 0 && covered < surplus; c--) {
        covered += v;
        open++;
      }
    }
    let cost = 0;
    for (let v = 1; v <= stride && open > 0; v++) {
      const take = Math.min(open, digStacks[v]!);
      cost += take * v;
      open -= take;
    }
    if (cost > best) best = cost;
  }
  return best;
}

/** The bound from a tally of the layout `bay` holds (nGX at every threshold with `allThresholds`). */
function boundFromTally(bay: Bay, scratch: BoundScratch, cutoff: number, allThresholds = false): number {
  const { stackCount, heights, caps } = bay;
  const { badHeight } = scratch;
  let bad = 0;
  let dirty = 0;
  let fullClean = 0;
  let minBadHeight = 0x7fffffff;
  for (let s = 0; s < stackCount; s++) {
    const b = badHeight[s]!;
    if (b === 0) {
      if (heights[s] === caps[s]) fullClean++;
      continue;
    }
    dirty++;
    bad += b;
    if (b < minBadHeight) minBadHeight = b;
  }
  if (dirty === 0) return 0;
  let lb = bad;
  if (dirty + fullClean === stackCount) lb += minBadHeight;
  if (lb > cutoff) return lb;

  const gx = allThresholds ? openingMoves(bay, scratch) : largestSurplusOpening(bay, scratch);
  if (lb + gx > cutoff) return lb + gx;
  return lb + gx + wastedMoveAhead(bay, scratch, dirty, fullClean, minBadHeight, gx);
}

/**
 * True when some unsorted stack can hand its whole badly placed part to a clean stack of top rank
 * `limit` one item at a time (the part rises bottom → top, so its items arrive largest first), or,
 * with `anyOrder`, when just its largest badly placed item fits.
 */
function someStackFeeds(scratch: BoundScratch, stackCount: number, limit: number, anyOrder: boolean): boolean {
  const { badMax, rising } = scratch;
  for (let s = 0; s < stackCount; s++) {
    const max = badMax[s]!;
    if (max > 0 && max <= limit && (anyOrder || rising[s] === 1)) return true;
  }
  return false;
}

/** Largest clean-top rank among the stacks whose badly placed part is smallest (the first to clean). */
function firstCleanedTop(bay: Bay, minBadHeight: number): number {
  let best = -1;
  for (let s = 0; s < bay.stackCount; s++) {
    if (bay.heights[s]! - bay.sortedLen[s]! === minBadHeight) {
      const top = cleanTop(bay, s);
      if (top > best) best = top;
    }
  }
  return best;
}

/**
 * Rank exposed in clean stack `from` once the run of its top rank is moved onto clean stack `onto`
 * (as far as `onto` has room), or -1 when `from` would be emptied.
 */
function exposedBelowRun(bay: Bay, from: number, onto: number): number {
  const base = from * bay.stride;
  const h = bay.heights[from]!;
  const lowest = Math.max(0, h + bay.heights[onto]! - bay.caps[onto]!);
  const top = bay.items[base + h - 1]!;
  let i = h - 2;
  while (i >= lowest && bay.items[base + i] === top) i--;
  return i >= 0 ? bay.items[base + i]! : -1;
}

/**
 * The "+1" cases of Tanaka & Tierney (2018). Without a wasted move, every move after the parking of
 * nBX puts a badly placed item into its final slot; until a second clean stack appears those slots
 * are on the few clean stacks, and a second one appears only when some stack's whole badly placed
 * part goes onto them in one go, which needs a part that rises bottom → top with its largest rank
 * at most the clean top. The cases: no clean stack (the first one cleaned is a cheapest one); one
 * clean stack, full or not; one clean stack with room beside full ones and no digging; two clean
 * stacks, whose tops may be raised by shifting the top run of one onto the other.
 */
function wastedMoveAhead(
  bay: Bay,
  scratch: BoundScratch,
  dirty: number,
  fullClean: number,
  minBadHeight: number,
  gx: number,
): number {
  const { stackCount, stride, items, heights, sortedLen, caps, groups } = bay;
  if (dirty === stackCount) {
    return someStackFeeds(scratch, stackCount, firstCleanedTop(bay, minBadHeight), false) ? 0 : 1;
  }
  if (dirty === stackCount - 1) {
    let c = 0;
    while (sortedLen[c] !== heights[c]) c++;
    if (fullClean === 0) return someStackFeeds(scratch, stackCount, cleanTop(bay, c), false) ? 0 : 1;
    let limit = firstCleanedTop(bay, minBadHeight);
    if (limit < cleanTop(bay, c)) return someStackFeeds(scratch, stackCount, limit, false) ? 0 : 1;
    const base = c * stride;
    const top = items[base + heights[c]! - 1]!;
    let i = heights[c]! - 2;
    while (i >= 0 && items[base + i] === top) i--;
    if (i < 0) return 0;
    if (items[base + i]! > limit) limit = items[base + i]!;
    if (limit >= groups) return 0;
    return someStackFeeds(scratch, stackCount, limit, true) ? 0 : 1;
  }
  if (gx === 0 && dirty + fullClean === stackCount - 1) {
    let c = 0;
    while (sortedLen[c] !== heights[c] || heights[c] === caps[c]) c++;
    return someStackFeeds(scratch, stackCount, cleanTop(bay, c), false) ? 0 : 1;
  }
  if (dirty === stackCount - 2 && fullClean < 2) {
    let s1 = 0;
    while (sortedLen[s1] !== heights[s1]) s1++;
    let s2 = s1 + 1;
    while (sortedLen[s2] !== heights[s2]) s2++;
    const c1 = cleanTop(bay, s1);
    const c2 = cleanTop(bay, s2);
    let limit = groups;
    let only = false;
    if (c1 < c2) {
      if (heights[s2] === caps[s2]) {
        limit = c1;
        only = true;
      } else if (heights[s1]! > 1) {
        const e = exposedBelowRun(bay, s1, s2);
        if (e >= 0) limit = Math.max(e, c2);
      }
    } else if (c1 > c2) {
      if (heights[s1] === caps[s1]) {
        limit = c2;
        only = true;
      } else if (heights[s2]! > 1) {
        const e = exposedBelowRun(bay, s2, s1);
        if (e >= 0) limit = Math.max(e, c1);
      }
    } else if (heights[s1]! > 1 && heights[s2]! > 1) {
      const e1 = exposedBelowRun(bay, s1, s2);
      if (e1 >= 0) {
        const e2 = exposedBelowRun(bay, s2, s1);
        limit = e2 < 0 ? groups : Math.max(e1, e2);
      }
    }
    if (only) return someStackFeeds(scratch, stackCount, limit, false) ? 0 : 1;
    if (limit < groups) return someStackFeeds(scratch, stackCount, limit, true) ? 0 : 1;
  }
  return 0;
}
