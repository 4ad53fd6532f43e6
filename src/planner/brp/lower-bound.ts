/**
 * @module Lower bounds on the number of relocations still needed from a state.
 *
 * Both bounds start from the blocking count (every block with a smaller block below must move at
 * least once; Kim & Hong 2006) and add the relocations that must be **bad**, i.e. land on a stack
 * whose minimum is smaller than the block, so the block must move again. The bay is processed
 * target by target as in the bound of Tanaka & Takii (2016, IEEE TASE 13(1)): the blocks above
 * each target are placed in their forced top-down order, each either good on the stack whose
 * minimum is the smallest one above it (best fit) or bad, choosing so as to maximise the good
 * placements (cf. the LB-LIS bound of Jin 2020, C&OR 124), and then removed from the bay — a relaxation, since removing blocks never makes the rest harder.
 *
 * Restricted: only the current target's stack ever loses blocks, so a stack full now stays full
 * until its own dig and is excluded from every dig before it. Unrestricted: a stack's minimum can also rise when its minimum block is
 * relocated, a move the blocking count does not pay for; so the bound is the least, over K such
 * extra moves, of K plus the bad placements when K extra empty stacks are available in every dig
 * (the role of "pre-staging" moves in Jin & Tanaka 2023, EJOR 304(2)). Capacity is ignored there.
 * The unrestricted bound is the larger of that and LB-TS (`tanakaUnrestricted`), the bound of Jin &
 * Tanaka (2023) after Tanaka & Mizuno (2018, C&OR 95).
 */
import type { BayState } from './bay.js';

export class LowerBound {
  private readonly len: Int32Array;
  private readonly mins: Int32Array;
  private readonly maxExtra: number;
  private blocks: Int32Array;
  private slots = 0;
  private bestGood = 0;
  /** Blocks deleted by the LB-TS relaxation are marked with the current epoch. */
  private gone = new Int32Array(0);
  private epoch = 0;

  constructor(stackCount: number) {
    this.maxExtra = stackCount;
    this.len = new Int32Array(stackCount);
    this.mins = new Int32Array(stackCount * 2 + 1);
    this.blocks = new Int32Array(16);
  }

  /**
   * Most good placements of `blocks[i..k)` in order (i < k): each block either lands good on the stack
   * with the smallest minimum above it (best fit dominates every other good choice) or lands bad,
   * leaving minimums unchanged. Greedy good-first is not optimal (a good placement can spoil two
   * later ones), hence this small branch and bound; digs are short.
   */
  private search(i: number, k: number, good: number): void {
    if (good + (k - i) <= this.bestGood) return;
    const mins = this.mins;
    const slots = this.slots;
    const b = this.blocks[i]!;
    if (i === k - 1) {
      // the last block is good wherever it fits, with nothing after it to spoil
      let fits = 0;
      for (let u = 0; u < slots; u++)
        if (mins[u]! > b) {
          fits = 1;
          break;
        }
      this.bestGood = good + fits;
      return;
    }
    let best = -1;
    let bestMin = 0x7fffffff;
    for (let u = 0; u < slots; u++) {
      const m = mins[u]!;
      if (m > b && m < bestMin) {
        bestMin = m;
        best = u;
      }
    }
    if (i === k - 2) {
      // two blocks left: placing the first where it fits best loses at most the second, which
      // leaving the first out could not gain more than
      const c = this.blocks[i + 1]!;
      let fits = 0;
      if (best >= 0 && b > c) fits = 1;
      else
        for (let u = 0; u < slots; u++)
          if (u !== best && mins[u]! > c) {
            fits = 1;
            break;
          }
      const most = good + (best >= 0 ? 1 : 0) + fits;
      if (most > this.bestGood) this.bestGood = most;
      return;
    }
    if (best >= 0) {
      mins[best] = b;
      this.search(i + 1, k, good + 1);
      mins[best] = bestMin;
    }
    this.search(i + 1, k, good);
  }

  /**
   * Lower bound for the restricted variant. With `cap`, the count may stop early once it exceeds
   * `cap` (the result is then some value above `cap`, still a valid bound). With `record`, a
   * row for `restrictedAfterMove` (`rowLength` entries) is written at `at`: at `record[at + t]`
   * the sum of the dig counts of targets t on (a dig's own count is the difference of two
   * neighbours; 0 where t has no dig).
   */
  restricted(bay: BayState, cap = 0x3fffffff, record: Int32Array | null = null, at = 0): number {
    const budget = cap - bay.blocking;
    if (budget < 0) return bay.blocking;
    return bay.blocking + this.badPlacements(bay, 0, true, budget, record, at);
  }

  /** Length of a row of `restricted` for a bay of `blockCount` blocks. */
  static rowLength(blockCount: number): number {
    return blockCount + 2;
  }

  /** Lower bound for the unrestricted variant (valid also for restricted, but weaker); `cap` as above. */
  unrestricted(bay: BayState, cap = 0x3fffffff): number {
    const ts = this.tanakaUnrestricted(bay, cap);
    if (ts > cap) return ts;
    return Math.max(ts, this.digUnrestricted(bay, cap));
  }

  private digUnrestricted(bay: BayState, cap: number): number {
    const budget = cap - bay.blocking;
    if (budget < 0) return bay.blocking;
    // every k must be tried (a partial minimum would overstate the bound); each count stops as
    // soon as it can no longer improve on the best, or once it is over the budget. Counts that
    // stopped early are over the budget and below the true ones, so the best stays at least the
    // true minimum; k itself over the budget costs too much, hence once the best is over the
    // budget the minimum is too, and budget + 1 bounds it
    let best = this.badPlacements(bay, 0, false, budget);
    for (let k = 1; k <= this.maxExtra; k++) {
      const worth = best <= budget ? best : budget + 1;
      if (k >= worth) break;
      const cost = k + this.badPlacements(bay, k, false, worth - k - 1);
      if (cost < best) best = cost;
    }
    return bay.blocking + (best <= budget ? best : budget + 1);
  }

  /**
   * LB-TS (Jin & Tanaka 2023, after Tanaka & Mizuno 2018), unrestricted: a relaxation that only
   * deletes blocks, which never makes a bay harder. The block due next is deleted when on top
   * (free); a blocking top block that fits somewhere good is deleted at the one relocation the
   * blocking count already charges it. When neither applies, every top block is stuck: the next
   * relocation, whichever block it moves, is one the blocking count does not pay for (a good block
   * moved, or a blocking one landing where it blocks again), so one extra is charged and every top
   * block is deleted. The bound stops growing once a lane is empty or nothing blocks any more.
   * With `cap`, it may stop early once above `cap`.
   */
  tanakaUnrestricted(bay: BayState, cap = 0x3fffffff): number {
    const { cells, minBelow, height, capacity, width, stackCount, blockCount } = bay;
    const base = bay.blocking;
    if (base === 0 || base > cap) return base;
    for (let u = 0; u < stackCount; u++) if (height[u] === 0) return base;
    if (this.gone.length < blockCount + 2) this.gone = new Int32Array(blockCount + 2);
    const gone = this.gone;
    const epoch = ++this.epoch;
    const len = this.len;
    len.set(height);
    let remain = base;
    let extra = 0;
    const maxExtra = cap - base;
    // the smallest block left: blocks only ever leave, so it only grows
    let qMin = bay.next;
    for (;;) {
      let qMax = -1;
      for (let u = 0; u < stackCount; u++) {
        const m = minBelow[u * width + len[u]! - 1]!;
        if (len[u]! < capacity[u]! && m > qMax) qMax = m;
      }
      // one pass over the lanes, restarted only when a deletion may have freed a lane passed over
      let pMin = 0x7fffffff;
      let pMinBad = 0x7fffffff;
      for (let v = 0; v < stackCount;) {
        const i = v * width + len[v]! - 1;
        const top = cells[i]!;
        if (top === qMin) {
          gone[top] = epoch;
          len[v] = len[v]! - 1;
          if (len[v] === 0) return base + extra;
          while (gone[qMin] === epoch) qMin++;
          const m = minBelow[i - 1]!;
          if (m > qMax) qMax = m;
          if (pMin <= qMin || pMinBad < qMax) {
            v = 0;
            pMin = 0x7fffffff;
            pMinBad = 0x7fffffff;
          }
        } else if (minBelow[i]! !== top && top < qMax) {
          gone[top] = epoch;
          len[v] = len[v]! - 1;
          if (--remain === 0 || len[v] === 0) return base + extra;
        } else {
          if (top < pMin) pMin = top;
          if (minBelow[i]! !== top && top < pMinBad) pMinBad = top;
          v++;
        }
      }
      if (++extra > maxExtra) return base + extra;
      for (let u = 0; u < stackCount; u++) {
        const i = u * width + len[u]! - 1;
        if (minBelow[i]! !== cells[i]! && --remain === 0) return base + extra;
        gone[cells[i]!] = epoch;
        len[u] = len[u]! - 1;
        if (len[u] === 0) return base + extra;
      }
      while (gone[qMin] === epoch) qMin++;
    }
  }

  /**
   * Counts the forced bad placements over all remaining digs, with `extra` additional empty stacks
   * in each dig. With `fullStaysFull` (restricted variant) a stack full now takes nothing in any
   * dig before its own: until then only the target's stack loses blocks, so its height never drops
   * (the rule of Jin & Tanaka's rcrp-idbb bound). `record` as in `restricted`.
   */
  private badPlacements(
    bay: BayState,
    extra: number,
    fullStaysFull: boolean,
    stopAbove: number,
    record: Int32Array | null = null,
    at = 0,
  ): number {
    const { stackOf, posOf, height, blockCount } = bay;
    const len = this.len;
    if (this.blocks.length < bay.width) this.blocks = new Int32Array(bay.width);
    len.set(height);
    let bad = 0;
    if (record !== null) record.fill(0, at + bay.next, at + blockCount + 1);
    for (let t = bay.next; t <= blockCount; t++) {
      const s = stackOf[t]!;
      const p = posOf[t]!;
      const top = len[s]! - 1;
      if (p > top) continue; // already relocated in an earlier dig of the relaxation
      if (p < top) {
        const here = this.dig(bay, s, p, extra, fullStaysFull, stopAbove - bad);
        if (record !== null) record[at + t] = here;
        bad += here;
        if (bad > stopAbove) return bad;
      }
      len[s] = p;
    }
    if (record !== null) {
      record[at + blockCount + 1] = 0;
      suffixSums(record, at, bay.next, blockCount + 1);
    }
    return bad;
  }

  /**
   * Restricted bound of a state one relocation after a state whose row (see `restricted`) is at
   * `rows[from]`: block `moved`, from above target `dug`, went onto stack `to`, and whatever came
   * free was retrieved. The retrievals leave the bay as the relaxation of the earlier state left
   * it, so only the digs the move can change are counted again: the dig of `dug` when it goes on,
   * the dig of `to` (where `moved` now sits on top), and, while `moved` still sits there in the
   * relaxation, every dig that sees a different minimum or fullness of `to` (when it landed good,
   * or filled `to`) and has a block that could tell: one between the two minimums, or below the
   * old one when `to` filled up (a lower minimum elsewhere changes no count otherwise: every good
   * placement stays good). The others keep their counts, and once `moved` is gone from `to` the
   * rest of the row is the earlier one. Every dig other than `dug`'s counts at least what it did
   * (a lower minimum or a full stack spoils good placements, an extra block adds no good one), so
   * the earlier counts still ahead bound the rest from below and the count stops as soon as they
   * exceed `cap`. This state's row goes to `rows[at]` (incomplete when it stopped early).
   */
  restrictedAfterMove(
    bay: BayState,
    to: number,
    moved: number,
    dug: number,
    cap: number,
    rows: Int32Array,
    from: number,
    at: number,
  ): number {
    const budget = cap - bay.blocking;
    if (budget < 0) return bay.blocking;
    const { stackOf, posOf, height, capacity, minBelow, width, blockCount, stackCount } = bay;
    const len = this.len;
    const mins = this.mins;
    const inf = blockCount + 1;
    // the minimums of the relaxed stacks, kept up to date as digs cut them; a full stack stays
    // full until its own dig. A dig only raises its stack's minimum, so the largest minimum
    // (stack `maxAt`) and the largest of the others are kept as they go: a dig needs the largest
    // minimum of the stacks other than its own
    let max1 = -1;
    let max2 = -1;
    let maxAt = -1;
    for (let u = 0; u < stackCount; u++) {
      const l = height[u]!;
      len[u] = l;
      const m = l === 0 ? inf : l >= capacity[u]! ? -1 : minBelow[u * width + l - 1]!;
      mins[u] = m;
      if (m > max1) {
        max2 = max1;
        max1 = m;
        maxAt = u;
      } else if (m > max2) max2 = m;
    }
    let dugBad = 0;
    if (bay.next === dug) {
      const after = rows[from + dug + 1]!;
      const ts = stackOf[dug]!;
      dugBad = this.digBelow(bay, ts, posOf[dug]!, stackCount, ts === maxAt ? max2 : max1, budget - after);
      if (after + dugBad > budget) return bay.blocking + after + dugBad;
    }
    const h = height[to]!;
    const minBefore = h >= 2 ? minBelow[to * width + h - 2]! : inf;
    // blocks in (lo, minBefore) may count differently while `moved` sits on `to`
    const lo = h >= capacity[to]! ? 0 : moved < minBefore ? moved : minBefore;
    const cells = bay.cells;
    let onTo = moved >= bay.next; // `moved` is still on `to` in the relaxation
    let bad = 0;
    let t = bay.next;
    for (; t <= blockCount; t++) {
      const s = stackOf[t]!;
      const p = posOf[t]!;
      const top = len[s]! - 1;
      let here = 0;
      if (p < top) {
        let again = onTo && s === to;
        if (!again && onTo && lo < minBefore) {
          for (let i = s * width + top; i > s * width + p; i--) {
            const b = cells[i]!;
            if (b > lo && b < minBefore) {
              again = true;
              break;
            }
          }
        }
        here =
          t === dug
            ? dugBad
            : again
              ? this.digBelow(bay, s, p, stackCount, s === maxAt ? max2 : max1, budget - bad - rows[from + t + 1]!)
              : rows[from + t]! - rows[from + t + 1]!;
        bad += here;
      }
      // the dig's own count for now; the sums are filled in below
      rows[at + t] = here;
      if (p <= top) {
        len[s] = p;
        const m = p === 0 ? inf : minBelow[s * width + p - 1]!;
        mins[s] = m;
        if (s === maxAt) max1 = m;
        else if (m > max1) {
          max2 = max1;
          max1 = m;
          maxAt = s;
        } else if (m > max2) max2 = m;
        if (s === to) onTo = false;
      }
      if (bad + rows[from + t + 1]! > budget) return bay.blocking + bad + rows[from + t + 1]!;
      if (!onTo && t >= dug) {
        // from here on the digs are the earlier ones
        t++;
        rows.copyWithin(at + t, from + t, from + blockCount + 2);
        break;
      }
    }
    if (t > blockCount) rows[at + blockCount + 1] = 0;
    suffixSums(rows, at, bay.next, t);
    return bay.blocking + rows[at + bay.next]!;
  }

  /**
   * Bad placements forced in the dig of the target at position `p` of stack `s`, given the
   * relaxed heights in `len`; `extra` and `fullStaysFull` as in `badPlacements`. Exact when at most
   * `allowed`, otherwise some value over `allowed` (still a lower bound).
   */
  private dig(bay: BayState, s: number, p: number, extra: number, fullStaysFull: boolean, allowed: number): number {
    const { minBelow, capacity, width, stackCount, blockCount } = bay;
    const len = this.len;
    const mins = this.mins;
    const inf = blockCount + 1;
    const slots = stackCount + extra;
    for (let u = 0; u < stackCount; u++) {
      const l = len[u]!;
      mins[u] = l === 0 ? inf : minBelow[u * width + l - 1]!;
      if (fullStaysFull && l >= capacity[u]!) mins[u] = -1;
    }
    for (let u = stackCount; u < slots; u++) mins[u] = inf;
    return this.digPrepared(bay, s, p, slots, allowed);
  }

  /**
   * `dig` once `mins` holds the minimum of each of the first `slots` stacks (-1 where a stack
   * takes nothing); that of `s` is ignored and left as it was.
   */
  private digPrepared(bay: BayState, s: number, p: number, slots: number, allowed: number): number {
    const mins = this.mins;
    const keep = mins[s]!;
    mins[s] = -1;
    let maxMin = -1;
    for (let u = 0; u < slots; u++) if (mins[u]! > maxMin) maxMin = mins[u]!;
    mins[s] = keep;
    return this.digBelow(bay, s, p, slots, maxMin, allowed);
  }

  /** `digPrepared` given `maxMin`, the largest minimum of the stacks other than `s`. */
  private digBelow(bay: BayState, s: number, p: number, slots: number, maxMin: number, allowed: number): number {
    const cells = bay.cells;
    const mins = this.mins;
    const keep = mins[s]!;
    // blocks above every minimum are bad wherever they go and change nothing: count them
    // and leave them out of the search
    const row = s * bay.width;
    let bad = 0;
    let k = 0;
    for (let i = this.len[s]! - 1; i > p; i--) {
      const b = cells[row + i]!;
      if (b > maxMin) bad++;
      else this.blocks[k++] = b;
    }
    if (k > 1) {
      mins[s] = -1;
      this.slots = slots;
      // only placements good enough to keep the count within `allowed` are looked for: when
      // there are none, the count is some value over `allowed`, below the true one
      this.bestGood = Math.min(k, Math.max(0, k - (allowed - bad) - 1));
      this.search(0, k, 0);
      bad += k - this.bestGood;
    }
    mins[s] = keep;
    return bad;
  }
}

/**
 * Turns the dig counts of a row (see `LowerBound.restricted`) for targets `lo` to `hi - 1` into
 * sums, given the sum from `hi` on.
 */
function suffixSums(row: Int32Array, at: number, lo: number, hi: number): void {
  for (let t = hi - 1; t >= lo; t--) row[at + t] = row[at + t]! + row[at + t + 1]!;
}
