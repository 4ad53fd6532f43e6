/**
 * @module Upper bounds: a greedy rule and a beam search guided by greedy roll-outs.
 *
 * The greedy rule is the min-max rule of Caserta, Schwarze & Voß (2012, EJOR 219(1)): a block
 * dug out of the target's stack goes where it blocks nothing (the stack with the smallest minimum
 * above it, best fit), or if there is no such stack, onto the stack with the largest minimum, so
 * that its next relocation comes as late as possible.
 *
 * The beam search follows Bacci, Mattia & Ventura (2019, EJOR 275(3)) in spirit and the pilot
 * method of Tricoire, Scagnetti & Beham (2018, C&OR 89): each child is scored by its cost so far
 * plus a greedy roll-out to the end, children whose lower bound (unrestricted: LB-TS alone, the
 * cheaper part) reaches the incumbent are pruned, and the best `width` survive to the next level.
 * Widths grow 1, 2, 4, … while time remains. A roll-out stops as soon as its moves so far plus the
 * blocking count (a lower bound on the rest) show that it cannot score among the `width` best
 * children of its level seen so far: the beam only needs to know that it is worse.
 *
 * Unrestricted variant: roll-outs play the look-ahead greedy of Jin, Zhu & Lim (2015, EJOR
 * 240(3), "JZW", `jzwRollout`), far closer to the optimum there than the min-max rule. Children
 * also include moves of any other top block to a stack where it blocks nothing (the "bad-good" and
 * "good-good" relocations of JZW) and to the best stack where it blocks (needed to lift a stack's
 * minimum); and half of the beam is kept by lower bound rather than roll-out, since greedy
 * roll-outs undervalue states that are ripe for pre-staging.
 */
import type { BayState } from './bay.js';
import type { LowerBound } from './lower-bound.js';
import type { BrpVariant } from './types.js';

/** Destination of block `b` leaving stack `s` by the min-max rule, or -1 when every other stack is full. */
export function greedyDestination(bay: BayState, s: number, b: number): number {
  let good = -1;
  let goodMin = 0;
  let bad = -1;
  let badMin = -1;
  for (let u = 0; u < bay.stackCount; u++) {
    if (u === s || bay.isFull(u)) continue;
    const m = bay.stackMin(u);
    if (m > b) {
      if (good < 0 || m < goodMin || (m === goodMin && bay.height[u]! < bay.height[good]!)) {
        good = u;
        goodMin = m;
      }
    } else if (m > badMin || (m === badMin && bay.height[u]! < bay.height[bad]!)) {
      bad = u;
      badMin = m;
    }
  }
  return good >= 0 ? good : bad;
}

/**
 * Plays the greedy rule (restricted moves, legal in both variants) to the end on `bay`, which it
 * consumes. Returns the relocations made, or -1 on a dead end. Appends moves to `out` when given.
 * With `limit`, gives up as soon as the blocking count shows it cannot finish within `limit`
 * relocations, and returns a lower bound on its full count (above `limit`).
 */
export function greedyRollout(bay: BayState, out?: [number, number][], limit = Number.MAX_SAFE_INTEGER): number {
  let count = 0;
  while (!bay.isDone()) {
    if (count + bay.blocking > limit) return count + bay.blocking;
    const s = bay.stackOf[bay.next]!;
    const to = greedyDestination(bay, s, bay.top(s));
    if (to < 0) return -1;
    bay.relocate(s, to);
    out?.push([s, to]);
    count++;
  }
  return count;
}

/**
 * A stack u that becomes good for block `b` once its top block (its minimum) moves to a stack
 * where that block is good too; returns u * stackCount + v for the move u → v, or -1.
 */
function clearingMove(bay: BayState, s: number, b: number): number {
  const S = bay.stackCount;
  const w = bay.width;
  let bestU = -1;
  let bestV = -1;
  let bestKey = 0;
  for (let u = 0; u < S; u++) {
    const h = bay.height[u]!;
    if (u === s || h === 0 || bay.isFull(u)) continue;
    const x = bay.cells[u * w + h - 1]!;
    if (x > b || bay.topIsBlocking(u)) continue;
    const rest = h === 1 ? bay.blockCount + 1 : bay.minBelow[u * w + h - 2]!;
    if (rest <= b) continue;
    const v = greedyDestination(bay, u, x);
    if (v < 0 || v === s || bay.stackMin(v) <= x) continue;
    // prefer the tightest new minimum for b (best fit), as the min-max rule does
    if (bestU < 0 || rest < bestKey) {
      bestU = u;
      bestV = v;
      bestKey = rest;
    }
  }
  return bestU < 0 ? -1 : bestU * S + bestV;
}

/**
 * The unrestricted roll-out: the min-max rule, except that a block with nowhere good to go first
 * makes room by moving the minimum off the top of a stack (where that block is good too), the
 * pre-staging pattern of unrestricted solutions. Same contract as `greedyRollout`, without `limit`.
 */
export function greedyRolloutUnrestricted(bay: BayState, out?: [number, number][]): number {
  let count = 0;
  const S = bay.stackCount;
  while (!bay.isDone()) {
    const s = bay.stackOf[bay.next]!;
    const b = bay.top(s);
    let to = greedyDestination(bay, s, b);
    if (to < 0) return -1;
    if (bay.stackMin(to) < b) {
      const clear = clearingMove(bay, s, b);
      if (clear >= 0) {
        const u = (clear / S) | 0;
        const v = clear - u * S;
        bay.relocate(u, v);
        out?.push([u, v]);
        count++;
        to = u;
        if (bay.isDone() || bay.stackOf[bay.next]! !== s) continue;
      }
    }
    bay.relocate(s, to);
    out?.push([s, to]);
    count++;
  }
  return count;
}

/** The stack other than `s` with room and the largest minimum, that minimum, and how many stacks share it. */
interface LargestMin {
  stack: number;
  min: number;
  count: number;
}

/** Reused by every call of `stepLargestMin` (roll-outs are hot loops): read it before the next call. */
const largestMin: LargestMin = { stack: -1, min: -1, count: 0 };

/**
 * The roll-outs' view of the bay (a roll-out asks the same questions of every stack several times
 * per step): each stack's minimum, top block, whether it has room and whether its top is blocking.
 * Read in full when a roll-out starts, then only for the stacks each relocation changes.
 * Module-level and reused: roll-outs are hot loops and never nest.
 */
let stepMin = new Int32Array(16);
let stepTop = new Int32Array(16);
let stepRoom = new Uint8Array(16);
let stepBlocking = new Uint8Array(16);

function readStep(bay: BayState): void {
  const S = bay.stackCount;
  if (stepMin.length < S) {
    stepMin = new Int32Array(S);
    stepTop = new Int32Array(S);
    stepRoom = new Uint8Array(S);
    stepBlocking = new Uint8Array(S);
  }
  for (let u = 0; u < S; u++) readStack(bay, u);
}

function readStack(bay: BayState, u: number): void {
  const h = bay.height[u]!;
  stepRoom[u] = h < bay.capacity[u]! ? 1 : 0;
  if (h === 0) {
    stepMin[u] = bay.blockCount + 1;
    stepTop[u] = 0;
    stepBlocking[u] = 0;
  } else {
    const i = u * bay.width + h - 1;
    const m = bay.minBelow[i]!;
    const t = bay.cells[i]!;
    stepMin[u] = m;
    stepTop[u] = t;
    stepBlocking[u] = m !== t ? 1 : 0;
  }
}

/**
 * Relocates `from` → `to` and updates the step view for the stacks that changed: those two and
 * the stacks of the blocks the relocation let leave.
 */
function relocateAndRead(bay: BayState, from: number, to: number): void {
  const retrieved = bay.relocate(from, to);
  readStack(bay, from);
  readStack(bay, to);
  for (let k = 1; k <= retrieved; k++) readStack(bay, bay.stackOf[bay.next - k]!);
}

/** Best-fit good destination of block `b` from stack `s`: the smallest minimum above b on a stack with room; -1 if none. */
function stepBestFit(S: number, s: number, b: number): number {
  let good = -1;
  let goodMin = 0x7fffffff;
  for (let u = 0; u < S; u++) {
    if (u === s || stepRoom[u] === 0) continue;
    const m = stepMin[u]!;
    if (m > b && m < goodMin) {
      good = u;
      goodMin = m;
    }
  }
  return good;
}

/** The stack other than `s` with room and the largest minimum (stack -1 when none has room). */
function stepLargestMin(S: number, s: number): Readonly<LargestMin> {
  largestMin.stack = -1;
  largestMin.min = -1;
  largestMin.count = 0;
  for (let u = 0; u < S; u++) {
    if (u === s || stepRoom[u] === 0) continue;
    const m = stepMin[u]!;
    if (m > largestMin.min) {
      largestMin.min = m;
      largestMin.stack = u;
      largestMin.count = 1;
    } else if (m === largestMin.min) largestMin.count++;
  }
  return largestMin;
}

/**
 * A blocking top block y (not on `s` or `dst`) with `lo < y < stackMin(dst)`, the largest such:
 * it fits on `dst` below the block about to go there (the look-ahead of Jin, Zhu & Lim 2015).
 * Returns its stack or -1.
 */
function stepLookAhead(bay: BayState, s: number, dst: number, lo: number): number {
  if (bay.height[dst]! >= bay.capacity[dst]! - 1) return -1;
  const ceiling = stepMin[dst]!;
  let best = -1;
  let bestTop = lo;
  for (let u = 0; u < bay.stackCount; u++) {
    if (u === s || u === dst || stepBlocking[u] === 0) continue;
    const y = stepTop[u]!;
    if (y > bestTop && y < ceiling) {
      best = u;
      bestTop = y;
    }
  }
  return best;
}

/**
 * The look-ahead greedy of Jin, Zhu & Lim (2015, EJOR 240(3), "JZW") for the unrestricted
 * variant, as restated by Jin & Tanaka (2023): the block x on top of the target's stack goes to its
 * best-fit good stack, but first another blocking top that fits between x and that stack's
 * minimum goes there; when x has nowhere good to go, a stack whose good top block can move to a
 * good place is cleared for x first; otherwise x goes to the stack with the largest minimum, or to
 * the next one when that stack has a single free slot and a smaller blocker will follow x.
 * Same contract as `greedyRollout` (including `limit`).
 */
export function jzwRollout(bay: BayState, out?: [number, number][], limit = Number.MAX_SAFE_INTEGER): number {
  let count = 0;
  const S = bay.stackCount;
  const w = bay.width;
  const guard = 4 * bay.blockCount * (S + 1);
  readStep(bay);
  while (!bay.isDone()) {
    if (count > guard) return -1;
    if (count + bay.blocking > limit) return count + bay.blocking;
    const s = bay.stackOf[bay.next]!;
    const x = stepTop[s]!;
    const { stack: qMaxStack, min: qMax, count: qMaxCount } = stepLargestMin(S, s);
    if (qMaxStack < 0) return -1;
    let from = s;
    let to: number;
    if (x < qMax) {
      to = stepBestFit(S, s, x);
      const pre = stepLookAhead(bay, s, to, x);
      if (pre >= 0) from = pre;
    } else {
      // clear a stack for x: its top t is good and everything under t is above x; prefer the
      // stack with the largest minimum, never the only stack with the largest minimum
      let clear = -1;
      let clearMin = -1;
      for (let u = 0; u < S; u++) {
        const h = bay.height[u]!;
        if (u === s || h === 0 || stepBlocking[u] === 1) continue;
        if (u === qMaxStack && qMaxCount === 1) continue;
        const rest = h === 1 ? bay.blockCount + 1 : bay.minBelow[u * w + h - 2]!;
        if (rest <= x) continue;
        const t = stepTop[u]!;
        if (t > clearMin && stepBestFit(S, u, t) >= 0) {
          clear = u;
          clearMin = t;
        }
      }
      if (clear >= 0) {
        const t = stepTop[clear]!;
        to = stepBestFit(S, clear, t);
        from = clear;
        const pre = stepLookAhead(bay, clear, to, t);
        if (pre >= 0 && pre !== s) from = pre;
      } else {
        to = qMaxStack;
        if (bay.height[to]! === bay.capacity[to]! - 1) {
          // a smaller blocker still above the target would use the last slot better
          const row = s * w;
          let smaller = false;
          for (let i = bay.height[s]! - 2; i > bay.posOf[bay.next]!; i--) if (bay.cells[row + i]! < x) smaller = true;
          if (smaller) {
            let alt = -1;
            let altMin = -1;
            for (let u = 0; u < S; u++) {
              if (u === s || u === to || stepRoom[u] === 0) continue;
              const m = stepMin[u]!;
              if (m > altMin) {
                alt = u;
                altMin = m;
              }
            }
            if (alt >= 0) to = alt;
          }
        }
      }
    }
    relocateAndRead(bay, from, to);
    out?.push([from, to]);
    count++;
  }
  return count;
}

/**
 * The SM-2 greedy for the unrestricted variant (as used for upper bounds by Jin & Tanaka 2023):
 * first any blocking top block that fits somewhere good goes to its tightest fit (a relocation it
 * needs anyway); failing that, a good top block moves to its best fit when that lets the largest
 * blocking top that fits follow it ("good-good" then "bad-good"); failing that, the block on top of
 * the target's stack goes to the stack with the largest minimum. Same contract as `greedyRollout`
 * (including `limit`).
 */
export function sm2Rollout(bay: BayState, out?: [number, number][], limit = Number.MAX_SAFE_INTEGER): number {
  let count = 0;
  const S = bay.stackCount;
  const w = bay.width;
  const guard = 4 * bay.blockCount * (S + 1);
  readStep(bay);
  while (!bay.isDone()) {
    if (count > guard) return -1;
    if (count + bay.blocking > limit) return count + bay.blocking;
    const s = bay.stackOf[bay.next]!;
    let from = -1;
    let to = -1;
    let bestDiff = 0x7fffffff;
    for (let u = 0; u < S; u++) {
      if (stepBlocking[u] === 0) continue;
      const y = stepTop[u]!;
      const v = stepBestFit(S, u, y);
      if (v >= 0 && stepMin[v]! - y < bestDiff) {
        bestDiff = stepMin[v]! - y;
        from = u;
        to = v;
      }
    }
    if (from < 0) {
      const { stack: qMaxStack, count: qMaxCount } = stepLargestMin(S, s);
      if (qMaxStack < 0) return -1;
      for (let f = 0; f < S; f++) {
        const h = bay.height[f]!;
        if (h === 0 || stepBlocking[f] === 1 || stepRoom[f] === 0) continue;
        if (f === qMaxStack && qMaxCount === 1) continue;
        const t = stepTop[f]!;
        const below = h === 1 ? bay.blockCount + 1 : bay.minBelow[f * w + h - 2]!;
        // the blocking top that would follow onto f: the largest one below `below`
        let y = -1;
        let yStack = -1;
        for (let u = 0; u < S; u++) {
          if (u === f || stepBlocking[u] === 0) continue;
          const b = stepTop[u]!;
          if (b < below && b > y) {
            y = b;
            yStack = u;
          }
        }
        if (yStack < 0) continue;
        let v = -1;
        let vMin = 0x7fffffff;
        for (let u = 0; u < S; u++) {
          if (u === f || u === yStack || stepRoom[u] === 0) continue;
          const m = stepMin[u]!;
          if (m > t && m < vMin) {
            v = u;
            vMin = m;
          }
        }
        if (v < 0) continue;
        const diff = below - y + (vMin - t);
        if (diff < bestDiff) {
          bestDiff = diff;
          from = f;
          to = v;
        }
      }
      if (from < 0) {
        from = s;
        to = qMaxStack;
      }
    }
    relocateAndRead(bay, from, to);
    out?.push([from, to]);
    count++;
  }
  return count;
}

interface BeamNode {
  /** Overwritten once the next level is built: only `parent`, `from` and `to` are read then. */
  readonly state: BayState;
  readonly g: number;
  readonly parent: BeamNode | null;
  readonly from: number;
  readonly to: number;
}

interface Candidate {
  readonly node: BeamNode;
  readonly from: number;
  readonly to: number;
  readonly score: number;
  readonly lb: number;
}

export interface Incumbent {
  cost: number;
  moves: [number, number][];
}

function pathOf(node: BeamNode | null): [number, number][] {
  const moves: [number, number][] = [];
  for (let n = node; n !== null && n.parent !== null; n = n.parent) moves.push([n.from, n.to]);
  return moves.reverse();
}

/**
 * Levels of the beam whose unrestricted children also put other top blocks onto the bad stack with
 * the second-largest minimum: optimal plans of 6×6 bays often make such a pre-staging move in their
 * first few relocations (found by replaying exact solutions against the move set), and without it
 * no width finds them; later, the extra children would only cost time.
 */
const SPREAD_LEVELS = 6;

/**
 * Candidate relocations of the beam: the target stack's top block to any stack, plus (unrestricted)
 * each other top block to every stack where it blocks nothing and to the one bad stack with the
 * largest minimum, and with `spread` also to the bad stack with the next smaller minimum. Moves
 * onto the target's stack are left out.
 */
export function forEachBeamMove(
  bay: BayState,
  variant: BrpVariant,
  spread: boolean,
  visit: (from: number, to: number) => void,
): void {
  const s = bay.stackOf[bay.next]!;
  const S = bay.stackCount;
  let emptySeen = -1;
  for (let u = 0; u < S; u++) {
    if (u === s || bay.isFull(u)) continue;
    if (bay.height[u] === 0) {
      if (emptySeen >= 0 && bay.capacity[emptySeen] === bay.capacity[u]) continue;
      emptySeen = u;
    }
    visit(s, u);
  }
  if (variant === 'restricted') return;
  for (let u = 0; u < S; u++) {
    if (u === s || bay.height[u] === 0) continue;
    const x = bay.top(u);
    let empty = -1;
    for (let v = 0; v < S; v++) {
      if (v === u || v === s || bay.isFull(v) || bay.stackMin(v) <= x) continue;
      if (bay.height[v] === 0) {
        if (empty >= 0 && bay.capacity[empty] === bay.capacity[v]) continue;
        empty = v;
      }
      visit(u, v);
    }
    // and one move where it blocks (onto the stack with the largest minimum): digging a stack
    // early, or lifting its minimum, opens good places for later moves
    let bad = -1;
    let badMin = -1;
    let second = -1;
    let secondMin = -1;
    for (let v = 0; v < S; v++) {
      if (v === u || v === s || bay.isFull(v)) continue;
      const m = bay.stackMin(v);
      if (m >= x) continue;
      if (m > badMin) {
        second = bad;
        secondMin = badMin;
        badMin = m;
        bad = v;
      } else if (m < badMin && m > secondMin) {
        secondMin = m;
        second = v;
      }
    }
    if (bad >= 0) visit(u, bad);
    if (spread && second >= 0) visit(u, second);
  }
}

/**
 * Beam search from `root`, improving `best` in place. `lowerBound(state)` prunes; `timeUp()` stops
 * the search early. Returns false when interrupted by `timeUp`.
 */
export function beamSearch(
  root: BayState,
  variant: BrpVariant,
  width: number,
  bound: LowerBound,
  best: Incumbent,
  timeUp: () => boolean,
): boolean {
  const scratch = root.clone();
  const rollout = variant === 'restricted' ? greedyRollout : jzwRollout;
  const lbOf =
    variant === 'restricted'
      ? (b: BayState, cap: number) => bound.restricted(b, cap)
      : (b: BayState, cap: number) => bound.tanakaUnrestricted(b, cap);
  let level: BeamNode[] = [{ state: root.clone(), g: 0, parent: null, from: -1, to: -1 }];
  // states of spent levels, reused for the next ones instead of allocating a bay per node
  const spare: BayState[] = [];
  // the beam by roll-out value; in the unrestricted variant half of it by lower bound instead,
  // since greedy roll-outs undervalue states that are ripe for pre-staging
  const byRollout = variant === 'restricted' || width < 4 ? width : width - (width >> 1);
  // scoreCount[v]: candidates of this level scored v. Once `byRollout` candidates score at most
  // `cut`, a roll-out that cannot finish by `cut` only needs to know that (it stops early).
  let scoreCount = new Int32Array(64);
  while (level.length > 0) {
    if (timeUp()) return false;
    const candidates: Candidate[] = [];
    scoreCount.fill(0);
    let cut = Number.MAX_SAFE_INTEGER;
    let counted = 0;
    const tally = (score: number): void => {
      if (score > cut) return;
      if (score >= scoreCount.length) {
        const grown = new Int32Array(Math.max(score + 1, scoreCount.length * 2));
        grown.set(scoreCount);
        scoreCount = grown;
      }
      scoreCount[score]!++;
      counted++;
      if (counted < byRollout) return;
      // lower the cut to the smallest v with byRollout scores at most v
      let sum = 0;
      let v = 0;
      while (sum + scoreCount[v]! < byRollout) sum += scoreCount[v++]!;
      cut = v;
      counted = sum + scoreCount[v]!;
      for (let u = v + 1; u < scoreCount.length; u++) scoreCount[u] = 0;
    };
    for (const node of level) {
      if (timeUp()) return false;
      const state = node.state;
      const g = node.g + 1;
      forEachBeamMove(state, variant, node.g < SPREAD_LEVELS, (from, to) => {
        const retrieved = state.relocate(from, to);
        if (state.isDone()) {
          if (g < best.cost) {
            best.cost = g;
            best.moves = [...pathOf(node), [from, to]];
          }
        } else {
          const lb = g + lbOf(state, best.cost - g - 1);
          if (lb < best.cost) {
            scratch.copyFrom(state);
            const limit = cut - g;
            const rest = rollout(scratch, undefined, limit);
            const score = rest < 0 ? Number.MAX_SAFE_INTEGER : g + rest;
            if (rest >= 0 && rest <= limit && score < best.cost) {
              scratch.copyFrom(state);
              const tail: [number, number][] = [];
              rollout(scratch, tail);
              best.cost = score;
              best.moves = [...pathOf(node), [from, to], ...tail];
            }
            if (rest >= 0) tally(score);
            candidates.push({ node, from, to, score, lb });
          }
        }
        state.undo(from, to, retrieved);
      });
    }
    candidates.sort((a, b) => a.score - b.score || a.lb - b.lb);
    const next: BeamNode[] = [];
    const seen = new Set<number>();
    const admit = (c: Candidate, quota: number): void => {
      if (next.length >= quota || c.lb >= best.cost) return;
      const state = spare.pop() ?? root.clone();
      state.copyFrom(c.node.state);
      state.relocate(c.from, c.to);
      const h = state.hash();
      if (seen.has(h)) {
        spare.push(state);
        return;
      }
      seen.add(h);
      next.push({
        state,
        g: c.node.g + 1,
        parent: c.node,
        from: c.from,
        to: c.to,
      });
    };
    for (const c of candidates) {
      if (next.length >= byRollout) break;
      admit(c, byRollout);
    }
    if (next.length < width) {
      candidates.sort((a, b) => a.lb - b.lb || a.score - b.score);
      for (const c of candidates) {
        if (next.length >= width) break;
        admit(c, width);
      }
    }
    // the level's states are spent (its nodes live on only as parents, for their moves)
    for (const node of level) spare.push(node.state);
    level = next;
  }
  return true;
}
