/**
 * @module Exact search: iterative-deepening branch and bound (Tanaka & Takii 2016, IEEE TASE
 * 13(1)), a depth-first search that raises its bound one relocation at a time, pruning every node
 * whose cost so far plus the lower bound of `lower-bound.ts` exceeds it. The first bound at which a
 * solution exists is the optimum. Children are tried in order of their lower bound.
 *
 * Dominance rules kept (each provably keeps an optimal solution): a block is not moved to a stack
 * that has not changed since the block arrived where it is (moving it there directly would have
 * saved a relocation: the transitive rule of Tanaka & Mizuno 2018, rule TB of Jin & Tanaka 2023); in
 * the restricted variant empty stacks of equal capacity are interchangeable; in the unrestricted
 * variant a block is not moved straight back, and two consecutive independent moves (four
 * distinct stacks, neither retrieving) are only taken in one canonical order. In the unrestricted
 * variant rules TA and TC of Jin & Tanaka (2023, EJOR 304(2)) also apply (see
 * `isTransitiveDominated`); in the restricted one, the retrieval rule (`isRetrievalDominated`).
 * Restricted children's bounds are counted from their parent's dig by dig, recounting only the
 * digs a relocation can change (`LowerBound.restrictedAfterMove`).
 *
 * A failure table remembers states (with the history the rules above depend on) already shown to
 * need more than a given number of relocations, so transpositions are searched once per bound.
 */
import type { BayState } from './bay.js';
import { greedyRollout, jzwRollout } from './heuristic.js';
import { LowerBound } from './lower-bound.js';
import type { BrpVariant } from './types.js';

export interface ExactOutcome {
  /**
   * The best moves found below `upperBound` (optimal when `complete`), otherwise null: the
   * incumbent given stays the best known.
   */
  readonly moves: [number, number][] | null;
  /** Proved lower bound (equals the optimum when `complete`). */
  readonly lowerBound: number;
  /** True when the search finished: either `moves` is optimal, or the incumbent upper bound is. */
  readonly complete: boolean;
  /** Nodes searched (for profiling). */
  readonly nodes: number;
}

/**
 * States already shown to need more than some number of further relocations (a transposition
 * table): open addressing on two independent 32-bit hashes, so a false match is negligible.
 */
class FailTable {
  private readonly keyA: Int32Array;
  private readonly keyB: Int32Array;
  private readonly value: Int32Array;
  private readonly mask: number;

  constructor(bits: number) {
    const size = 1 << bits;
    this.mask = size - 1;
    this.keyA = new Int32Array(size);
    this.keyB = new Int32Array(size);
    this.value = new Int32Array(size).fill(-1);
  }

  /** The largest budget known to fail from this state, or -1. */
  get(a: number, b: number): number {
    for (let p = 0; p < 4; p++) {
      const i = (a + p) & this.mask;
      const v = this.value[i]!;
      if (v < 0) return -1;
      if (this.keyA[i] === (a | 0) && this.keyB[i] === (b | 0)) return v;
    }
    return -1;
  }

  put(a: number, b: number, budget: number): void {
    let slot = -1;
    let weakest = 0x7fffffff;
    for (let p = 0; p < 4; p++) {
      const i = (a + p) & this.mask;
      const v = this.value[i]!;
      if (v < 0 || (this.keyA[i] === (a | 0) && this.keyB[i] === (b | 0))) {
        slot = i;
        break;
      }
      if (v < weakest) {
        weakest = v;
        slot = i;
      }
    }
    if (this.keyA[slot] === (a | 0) && this.keyB[slot] === (b | 0) && this.value[slot]! >= budget) return;
    this.keyA[slot] = a;
    this.keyB[slot] = b;
    this.value[slot] = budget;
  }
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
  /**
   * Restricted only: the dig counts of the root and of each child (rows of
   * `LowerBound.restricted`), the root's first, then one per child generated at each depth, in
   * order of generation; `childRow` gives each sorted child's row and `row[g]` the row of the
   * node on the path at depth g (offsets into `rows`).
   */
  private readonly rows: Int32Array;
  private readonly rowSize: number;
  private readonly childRow: Int32Array[] = [];
  private readonly row: Int32Array;
  private readonly maxChildren: number;
  nodes = 0;
  /** Nodes between clock reads, adapted so that reads come about every millisecond. */
  private checkEvery = 16;
  private nextCheck = 16;
  private lastCheckAt = 0;
  private readonly clock: (() => number) | undefined;
  /** Move number (1-based) at which each stack last changed; 0 = not on this path. */
  private readonly touched: Int32Array;
  /** Move number at which each block arrived by relocation on this path; 0 = never. */
  private readonly arrived: Int32Array;
  /** Move number after which a block was last retrieved from each stack; 0 = not on this path. */
  private readonly retrievedAt: Int32Array;
  /** Move number of the last relocation out of / into each stack; 0 = none on this path. */
  private readonly movedOut: Int32Array;
  private readonly movedIn: Int32Array;
  /** Whether the block of relocation k (1-based) was the smallest of the stack it left. */
  private readonly wasMin: Int32Array;
  /** Per stack s, the latest relocation out of a stack right of s (rule IB); scratch of expand. */
  private readonly outRight: Int32Array;
  /** Backing store of touched, retrievedAt, movedOut, movedIn and arrived, in that order. */
  private readonly history: Int32Array;
  /**
   * Whether retrievedAt, movedOut, movedIn and wasMin are kept: only the unrestricted rules and
   * the failure table's key read them.
   */
  private readonly fullHistory: boolean;
  /** Undo trail of (index into `history`, old value) pairs. */
  private readonly trail: Int32Array;
  private trailTop = 0;
  private readonly table: FailTable | null;
  private readonly useTransitive: boolean;
  /**
   * Unrestricted rules IB, RA and RB, which look further back in the path than the failure
   * table's key records: used only when there is no table.
   */
  private readonly historyRules: boolean;
  aborted = false;
  solutionLength = -1;
  /** Length of the best plan known (the incumbent), lowered by probing. */
  upperBound: number;
  /** The plan found by probing, when it beat the incumbent given. */
  improved: [number, number][] | null = null;
  private readonly scratch: BayState;
  private readonly rollout: (bay: BayState, out?: [number, number][], limit?: number) => number;

  constructor(
    bay: BayState,
    variant: BrpVariant,
    bound: LowerBound,
    maxDepth: number,
    timeUp: () => boolean,
    tableBits: number,
    clock: (() => number) | undefined,
  ) {
    this.bay = bay;
    this.variant = variant;
    this.bound = bound;
    this.timeUp = timeUp;
    this.pathFrom = new Int32Array(maxDepth + 1);
    this.pathTo = new Int32Array(maxDepth + 1);
    const S = bay.stackCount;
    this.maxChildren = variant === 'restricted' ? S : S * S;
    this.clock = clock;
    this.upperBound = maxDepth;
    this.scratch = bay.clone();
    this.rollout = variant === 'restricted' ? greedyRollout : jzwRollout;
    this.lastCheckAt = clock?.() ?? 0;
    this.table = tableBits > 0 ? new FailTable(tableBits) : null;
    this.useTransitive = true;
    this.historyRules = variant === 'unrestricted' && this.table === null;
    // one buffer behind the five, so the undo trail holds plain indices into it
    this.history = new Int32Array(4 * S + bay.blockCount + 2);
    this.touched = this.history.subarray(0, S);
    this.retrievedAt = this.history.subarray(S, 2 * S);
    this.movedOut = this.history.subarray(2 * S, 3 * S);
    this.movedIn = this.history.subarray(3 * S, 4 * S);
    this.arrived = this.history.subarray(4 * S);
    this.fullHistory = variant === 'unrestricted' || this.table !== null;
    this.wasMin = new Int32Array(maxDepth + 2);
    this.outRight = new Int32Array(S);
    this.trail = new Int32Array((maxDepth + 1) * 2 * (bay.blockCount + 4));
    this.row = new Int32Array(maxDepth + 1);
    this.rowSize = LowerBound.rowLength(bay.blockCount);
    this.rows = new Int32Array(variant === 'restricted' ? (1 + (maxDepth + 1) * this.maxChildren) * this.rowSize : 0);
    if (variant === 'restricted' && !bay.isDone()) bound.restricted(bay, 0x3fffffff, this.rows, 0);
    for (let d = 0; d <= maxDepth; d++) {
      this.childFrom.push(new Int32Array(this.maxChildren));
      this.childTo.push(new Int32Array(this.maxChildren));
      this.childLb.push(new Int32Array(this.maxChildren));
      if (variant === 'restricted') this.childRow.push(new Int32Array(this.maxChildren));
    }
  }

  private lb(cap: number): number {
    return this.variant === 'restricted'
      ? this.bound.restricted(this.bay, cap)
      : this.bound.unrestricted(this.bay, cap);
  }

  /** Fills the child buffers of depth g; returns how many children have g + 1 + lb <= limit. */
  private expand(g: number, limit: number): number {
    const bay = this.bay;
    const S = bay.stackCount;
    const restricted = this.variant === 'restricted';
    const froms = this.childFrom[g]!;
    const tos = this.childTo[g]!;
    const lbs = this.childLb[g]!;
    const rows = restricted ? this.childRow[g]! : null;
    const parentAt = this.row[g]!;
    const firstAt = (1 + g * this.maxChildren) * this.rowSize;
    let generated = 0;
    let count = 0;
    const target = bay.next;
    const ts = bay.stackOf[target]!;
    const exposes = bay.posOf[target]!; // a move from ts retrieves iff height[ts] - 2 === this
    // restricted: the digs after the target's count at least what they did here whatever the
    // move (see `LowerBound.restrictedAfterMove`), and those of targets the move lets leave
    // counted nothing, so this node's sum from the next target on bounds a child's digs
    const ahead = rows === null ? 0 : this.rows[parentAt + target + 1]!;
    const prevFrom = g > 0 ? this.pathFrom[g - 1]! : -1;
    const prevTo = g > 0 ? this.pathTo[g - 1]! : -1;
    const prevRetrieved = g > 0 ? this.prevRetrieved : 1;
    const fromLo = restricted ? ts : 0;
    const fromHi = restricted ? ts + 1 : S;
    const outRight = this.outRight;
    if (this.historyRules) {
      let latest = 0;
      for (let u = S - 1; u >= 0; u--) {
        outRight[u] = latest;
        if (this.movedOut[u]! > latest) latest = this.movedOut[u]!;
      }
    }
    for (let from = fromLo; from < fromHi; from++) {
      if (bay.height[from] === 0) continue;
      if (prevRetrieved === 0 && from === prevTo) continue;
      const retrieves = from === ts && bay.height[from]! - 2 === exposes;
      const moving = bay.top(from);
      const movingBlocks = bay.topIsBlocking(from) ? 1 : 0;
      const arrival = this.arrived[moving]!;
      // transitive rule: if neither this stack nor a destination changed since the block arrived,
      // sending it there directly would have saved a move
      const still = this.useTransitive && arrival > 0 && this.touched[from] === arrival;
      if (still && !restricted && this.isTransitiveDominated(from, arrival)) continue;
      let empty = -1;
      for (let to = 0; to < S; to++) {
        if (to === from || bay.isFull(to)) continue;
        // rule TB: the block could have gone to an unchanged destination when it arrived
        if (arrival > 0 && this.touched[to]! < arrival) continue;
        // rule IB: a later relocation out of a stack right of `from` could have waited for this one
        if (this.historyRules && this.touched[from]! < outRight[from]! && this.touched[to]! < outRight[from]!) continue;
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
        // the blocking count and the digs ahead may rule the child out before the move is made
        const childBlocking = bay.blocking - movingBlocks + (moving > bay.stackMin(to) ? 1 : 0);
        if (g + 1 + childBlocking + ahead > limit) continue;
        const r = bay.relocate(from, to);
        if (
          r > 0 &&
          (restricted
            ? this.isRetrievalDominated(from, to, r)
            : this.historyRules && this.isRetrievalDominatedUnrestricted(from, to, r))
        ) {
          bay.undo(from, to, r);
          continue;
        }
        const cap = limit - g - 1;
        const childRow = firstAt + this.rowSize * generated++;
        // a restricted child is measured against this node's dig counts
        const lb = bay.isDone()
          ? 0
          : rows === null
            ? this.lb(cap)
            : this.bound.restrictedAfterMove(bay, to, moving, target, cap, this.rows, parentAt, childRow);
        bay.undo(from, to, r);
        if (g + 1 + lb > limit) continue;
        // insertion by lower bound (stable)
        let i = count;
        while (i > 0 && lbs[i - 1]! > lb) {
          froms[i] = froms[i - 1]!;
          tos[i] = tos[i - 1]!;
          lbs[i] = lbs[i - 1]!;
          if (rows !== null) rows[i] = rows[i - 1]!;
          i--;
        }
        froms[i] = from;
        tos[i] = to;
        lbs[i] = lb;
        if (rows !== null) rows[i] = childRow;
        count++;
      }
    }
    return count;
  }

  private prevRetrieved = 1;

  /**
   * Unrestricted rules TA and TC of Jin & Tanaka (2023) for the top block of `from`, which arrived
   * by the relocation numbered `arrival` and has sat there since. TA: its source stack has not
   * changed since (no block came or went, none was retrieved), so that relocation could wait and
   * go straight to wherever the block goes now. TC: a lane left of `from`, not full and untouched
   * since before the arrival, could have taken the block then instead; only the leftmost such
   * choice is searched. Neither holds in the restricted variant, where the later relocation would
   * not be from the target's stack.
   */
  private isTransitiveDominated(from: number, arrival: number): boolean {
    const src = this.pathFrom[arrival - 1]!;
    if (this.touched[src] === arrival && this.retrievedAt[src] !== arrival) return true;
    const bay = this.bay;
    for (let w = 0; w < from; w++) if (this.touched[w]! < arrival && !bay.isFull(w)) return true;
    return false;
  }

  /**
   * The retrieval rule of the restricted branch and bound (Tanaka & Takii 2016; Jin & Tanaka's
   * rcrp-idbb): the relocation just made (`from` → `to`) led to `r` retrievals. If a retrieved block
   * had been relocated earlier onto its stack, and a lane further left was neither touched since
   * nor higher than that stack below the block, the block could have gone there instead with the
   * same result; only the leftmost such choice is searched.
   */
  private isRetrievalDominated(from: number, to: number, r: number): boolean {
    const bay = this.bay;
    for (let k = r; k >= 1; k--) {
      const b = bay.next - k;
      const l = this.arrived[b]!;
      if (l === 0) continue;
      const s = bay.stackOf[b]!;
      const below = bay.posOf[b]!;
      for (let d = 0; d < s; d++) {
        if (d === from || d === to || this.touched[d]! >= l) continue;
        if (bay.height[d]! > below || bay.height[d]! >= bay.capacity[d]!) continue;
        // a lane a block of this chain left from has changed now, hence not untouched
        let changed = false;
        for (let j = r; j >= 1; j--) if (bay.stackOf[bay.next - j] === d) changed = true;
        if (!changed) return true;
      }
    }
    return false;
  }

  /**
   * Rules RA and RB of Jin & Tanaka (2023) for the relocation `from` → `to` that led to `r`
   * retrievals. RA: a retrieved block was relocated, as the smallest block of its stack, from a
   * stack nothing was moved into or out of since; it could have stayed and been retrieved there.
   * RB: a stack left of the one it was retrieved from, unchanged since before its last relocation,
   * not full, and holding only larger blocks, could have taken it instead (the leftmost such
   * choice is searched).
   */
  private isRetrievalDominatedUnrestricted(from: number, to: number, r: number): boolean {
    const bay = this.bay;
    for (let k = r; k >= 1; k--) {
      const b = bay.next - k;
      const l = this.arrived[b]!;
      if (l === 0) continue;
      const src = this.pathFrom[l - 1]!;
      if (src !== from && src !== to && this.movedOut[src] === l && this.movedIn[src]! < l && this.wasMin[l] === 1)
        return true;
      const s = bay.stackOf[b]!;
      for (let d = 0; d < s; d++) {
        if (d === from || d === to || this.touched[d]! >= l || bay.isFull(d)) continue;
        if (bay.stackMin(d) < b) continue;
        // a stack a block of this chain was retrieved from has changed now
        let changed = false;
        for (let j = r; j >= 1; j--) if (bay.stackOf[bay.next - j] === d) changed = true;
        if (!changed) return true;
      }
    }
    return false;
  }

  private set(index: number, value: number): void {
    const history = this.history;
    this.trail[this.trailTop++] = index;
    this.trail[this.trailTop++] = history[index]!;
    history[index] = value;
  }

  private restore(mark: number): void {
    const history = this.history;
    const trail = this.trail;
    let top = this.trailTop;
    while (top > mark) {
      const old = trail[--top]!;
      history[trail[--top]!] = old;
    }
    this.trailTop = top;
  }

  /** Depth-first search below `limit`; true when a solution of length <= limit was found. */
  dfs(g: number, limit: number): boolean {
    if (++this.nodes >= this.nextCheck) {
      if (this.timeUp()) {
        this.aborted = true;
        return false;
      }
      // reading the clock is a system call: read it about once a millisecond
      if (this.clock !== undefined) {
        const now = this.clock();
        const elapsed = now - this.lastCheckAt;
        if (elapsed < 0.5) this.checkEvery = Math.min(this.checkEvery * 2, 1 << 16);
        else if (elapsed > 2) this.checkEvery = Math.max(this.checkEvery >> 1, 1);
        this.lastCheckAt = now;
      }
      this.nextCheck = this.nodes + this.checkEvery;
    }
    const bay = this.bay;
    if (bay.isDone()) {
      this.solutionLength = g;
      return true;
    }
    const table = this.table;
    let keyA = 0;
    let keyB = 0;
    if (table !== null) {
      const context =
        this.variant === 'restricted' || this.prevRetrieved !== 0
          ? 0
          : 1 + this.pathFrom[g - 1]! * bay.stackCount + this.pathTo[g - 1]!;
      keyA = bay.hash() ^ Math.imul(context, 0x9e3779b1);
      keyB = bay.hash(0x2545f491) + context;
      if (this.useTransitive) {
        // the transitive rule depends on history: which stacks are untouched since each top
        // block arrived; fold that into the key so the table stays exact
        const S = bay.stackCount;
        for (let u = 0; u < S; u++) {
          const h = bay.height[u]!;
          if (h === 0) continue;
          const t = this.arrived[bay.cells[u * bay.width + h - 1]!]!;
          if (t === 0) continue;
          let mask = 0;
          for (let w = 0; w < S; w++) if (this.touched[w]! < t) mask |= 1 << w;
          if (this.touched[u] === t) {
            mask |= 1 << 30;
            // rule TA also depends on whether the block's source is unchanged since
            const src = this.pathFrom[t - 1]!;
            if (this.touched[src] === t && this.retrievedAt[src] !== t) mask = ~mask;
          }
          keyA = Math.imul(keyA ^ (mask + (u << 20)), 0x01000193);
          keyB = Math.imul(keyB + mask + 0x7f4a7c15 * (u + 1), 0x5bd1e995);
        }
      }
      if (table.get(keyA, keyB) >= limit - g) return false;
    }
    const n = this.expand(g, limit);
    const froms = this.childFrom[g]!;
    const tos = this.childTo[g]!;
    for (let i = 0; i < n; i++) {
      const from = froms[i]!;
      const to = tos[i]!;
      const block = bay.top(from);
      const wasMin = bay.stackMin(from) === block;
      const r = bay.relocate(from, to);
      const mark = this.trailTop;
      const stamp = g + 1;
      const S = bay.stackCount;
      this.set(from, stamp);
      this.set(to, stamp);
      this.set(4 * S + block, stamp);
      for (let k = 1; k <= r; k++) this.set(bay.stackOf[bay.next - k]!, stamp);
      if (this.fullHistory) {
        for (let k = 1; k <= r; k++) this.set(S + bay.stackOf[bay.next - k]!, stamp);
        this.set(2 * S + from, stamp);
        this.set(3 * S + to, stamp);
        this.wasMin[stamp] = wasMin ? 1 : 0;
      }
      this.pathFrom[g] = from;
      this.pathTo[g] = to;
      if (this.childRow.length > 0) this.row[g + 1] = this.childRow[g]![i]!;
      // a probe can only pay while the incumbent is longer than the round's limit + 1: otherwise
      // any shorter plan is one this round finds itself
      if (this.upperBound > limit + 1 && g + 1 + this.childLb[g]![i]! === limit - 1 && !bay.isDone()) this.probe(g + 1);
      const saved = this.prevRetrieved;
      this.prevRetrieved = r;
      const found = this.dfs(g + 1, limit);
      this.prevRetrieved = saved;
      this.restore(mark);
      bay.undo(from, to, r);
      if (found || this.aborted) return found;
    }
    if (table !== null) table.put(keyA, keyB, limit - g);
    return false;
  }

  /**
   * Probing (Jin & Tanaka 2023): from a node one relocation short of the current limit, a greedy
   * roll-out often completes a plan shorter than the incumbent; then the last iteration, which
   * would only find such a plan, need not be searched.
   */
  private probe(g: number): void {
    this.scratch.copyFrom(this.bay);
    const rest = this.rollout(this.scratch, undefined, this.upperBound - g - 1);
    if (rest < 0 || g + rest >= this.upperBound) return;
    this.scratch.copyFrom(this.bay);
    const tail: [number, number][] = [];
    this.rollout(this.scratch, tail);
    const moves: [number, number][] = [];
    for (let d = 0; d < g; d++) moves.push([this.pathFrom[d]!, this.pathTo[d]!]);
    this.upperBound = g + rest;
    this.improved = moves.concat(tail);
  }

  path(): [number, number][] {
    const moves: [number, number][] = [];
    for (let d = 0; d < this.solutionLength; d++) moves.push([this.pathFrom[d]!, this.pathTo[d]!]);
    return moves;
  }
}

/**
 * Iterative deepening from the root lower bound (or `provenBound`, a bound an earlier search
 * already proved, when larger) up to `upperBound - 1`. `bay` is left as given. When no solution
 * shorter than `upperBound` exists the incumbent is optimal (`complete`, null moves). `clock`, when
 * given, only paces how often `timeUp` is asked.
 */
export function idaStar(
  bay: BayState,
  variant: BrpVariant,
  bound: LowerBound,
  upperBound: number,
  timeUp: () => boolean,
  tableBits = 20,
  clock?: () => number,
  provenBound = 0,
): ExactOutcome {
  const rootBound = bay.isDone() ? 0 : variant === 'restricted' ? bound.restricted(bay) : bound.unrestricted(bay);
  let limit = Math.max(rootBound, provenBound);
  if (limit >= upperBound) return { moves: null, lowerBound: upperBound, complete: true, nodes: 0 };
  const search = new IdaSearch(bay, variant, bound, upperBound, timeUp, tableBits, clock);
  while (limit < search.upperBound) {
    if (search.dfs(0, limit))
      return {
        moves: search.path(),
        lowerBound: limit,
        complete: true,
        nodes: search.nodes,
      };
    if (search.aborted)
      return {
        moves: search.improved,
        lowerBound: limit,
        complete: false,
        nodes: search.nodes,
      };
    limit++;
  }
  return {
    moves: search.improved,
    lowerBound: search.upperBound,
    complete: true,
    nodes: search.nodes,
  };
}
