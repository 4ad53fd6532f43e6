/**
 * @module `solveBrp`: the block relocation planner's entry point for morning retrieval.
 *
 * Heuristic mode runs the greedy rules (in the unrestricted variant also JZW and SM-2), then beam
 * searches of growing width (after the first ones, the widest that fits the time left), then (with
 * time left) the exact search, stopping as soon as the incumbent meets the lower bound. Exact mode
 * alternates short slices of iterative-deepening branch and bound with short beams (for a good
 * incumbent), then searches until it proves the optimum or runs out of time.
 */
import { BayState } from './bay.js';
import {
  beamSearch,
  greedyRollout,
  greedyRolloutUnrestricted,
  jzwRollout,
  sm2Rollout,
  type Incumbent,
} from './heuristic.js';
import { idaStar } from './exact.js';
import { LowerBound } from './lower-bound.js';
import type { BrpBay, BrpMove, BrpOptions, BrpResult } from './types.js';

/** Default per-bay budget of heuristic mode when a clock is given and no limit is set. */
export const DEFAULT_HEURISTIC_MS = 40;
/** Unrestricted heuristic mode tries to prove optimality only when the incumbent is this close to the bound. */
const PROVABLE_GAP = 2;
/** Widest beam tried when there is no clock (work-bounded, deterministic). */
const MAX_WIDTH_WITHOUT_CLOCK = 16;

/** Checks the shape of a bay; returns a message naming the rule broken, or null when valid. */
export function checkBay(bay: BrpBay): string | null {
  if (!Array.isArray(bay.stacks)) return 'stacks must be an array of stacks';
  const S = bay.stacks.length;
  if (!Number.isInteger(bay.maxHeight) || bay.maxHeight < 0) return 'maxHeight must be a non-negative integer';
  if (bay.maxHeights !== undefined) {
    if (bay.maxHeights.length !== S) return `maxHeights must have one entry per stack (${S})`;
    for (const [i, h] of bay.maxHeights.entries()) {
      if (!Number.isInteger(h) || h < 0) return `maxHeights[${i}] must be a non-negative integer`;
    }
  }
  for (let s = 0; s < S; s++) {
    const stack = bay.stacks[s]!;
    const cap = bay.maxHeights?.[s] ?? bay.maxHeight;
    if (stack.length > cap) return `stack ${s} holds ${stack.length} blocks, over its height limit ${cap}`;
    for (const p of stack) {
      if (!Number.isInteger(p) || p < 1) return `stack ${s} holds ${String(p)}; priorities must be positive integers`;
    }
  }
  return null;
}

/** Ranks 1..n in retrieval order; equal priorities leave top block first. */
function toRanks(stacks: readonly (readonly number[])[]): {
  ranks: number[][];
  distinct: boolean;
} {
  const all: { p: number; s: number; i: number }[] = [];
  stacks.forEach((stack, s) => stack.forEach((p, i) => all.push({ p, s, i })));
  all.sort((a, b) => a.p - b.p || b.i - a.i || a.s - b.s);
  const ranks = stacks.map((stack) => new Array<number>(stack.length).fill(0));
  let distinct = true;
  all.forEach((e, k) => {
    ranks[e.s]![e.i] = k + 1;
    if (k > 0 && all[k - 1]!.p === e.p) distinct = false;
  });
  return { ranks, distinct };
}

/** Blocks with a strictly smaller priority below them: a lower bound whatever the ties. */
function blockingCount(stacks: readonly (readonly number[])[]): number {
  let count = 0;
  for (const stack of stacks) {
    let min = Infinity;
    for (const p of stack) {
      if (p > min) count++;
      else min = p;
    }
  }
  return count;
}

/**
 * Plans the relocations that retrieve every block of `bay` in priority order with as few
 * relocations as it can. Throws a RangeError only for a malformed bay (see `checkBay`); a bay
 * that cannot be emptied is an outcome (`status: 'infeasible'`).
 */
export function solveBrp(bay: BrpBay, opts: BrpOptions): BrpResult {
  const problem = checkBay(bay);
  if (problem !== null) throw new RangeError(`invalid bay: ${problem}`);
  const S = bay.stacks.length;
  const capacities = Array.from({ length: S }, (_, s) => bay.maxHeights?.[s] ?? bay.maxHeight);
  const { ranks, distinct } = toRanks(bay.stacks);
  const root = BayState.fromRanks(ranks, capacities);
  const bound = new LowerBound(S);
  const restricted = opts.variant === 'restricted';
  const rootLb = root.isDone() ? 0 : restricted ? bound.restricted(root) : bound.unrestricted(root);

  const clock = opts.clock;
  const limit = opts.timeLimitMs ?? (opts.mode === 'heuristic' ? DEFAULT_HEURISTIC_MS : Infinity);
  const start = clock?.() ?? 0;
  const timeUpAt = (ms: number) => (clock === undefined ? () => false : () => clock() - start >= ms);
  const timeUp = timeUpAt(limit);

  const best: Incumbent = { cost: Number.MAX_SAFE_INTEGER, moves: [] };
  for (const rollout of restricted
    ? [greedyRollout]
    : [greedyRollout, greedyRolloutUnrestricted, jzwRollout, sm2Rollout]) {
    const greedyMoves: [number, number][] = [];
    const greedy = rollout(root.clone(), greedyMoves);
    if (greedy >= 0 && greedy < best.cost) {
      best.cost = greedy;
      best.moves = greedyMoves;
    }
  }

  let lowerBound = rootLb;
  const runExact = opts.mode === 'exact' || clock !== undefined;
  // The failure table pays off in unrestricted heuristic mode (many transpositions, costly nodes),
  // kept small since clearing a large one would eat the budget; in the restricted variant its
  // lookups cost more than they save. Unrestricted exact mode goes without it and applies the
  // history rules IB, RA and RB instead (see exact.ts), which prune more.
  const tableBits = restricted || opts.mode === 'exact' ? 0 : 14;
  const search = (until: () => boolean): void => {
    if (!runExact || best.cost <= lowerBound || until()) return;
    const cap = best.cost === Number.MAX_SAFE_INTEGER ? root.blockCount * S + 1 : best.cost;
    const outcome = idaStar(root, opts.variant, bound, cap, until, tableBits, clock, lowerBound);
    lowerBound = Math.max(lowerBound, outcome.lowerBound);
    if (outcome.moves !== null) {
      best.cost = outcome.moves.length;
      best.moves = outcome.moves;
    }
  };
  // Beam searches of growing width, resumed where the last call stopped: each call jumps to the
  // widest beam that fits its budget (the beam's cost grows about linearly with its width) rather
  // than spending half the budget on the narrower ones before it.
  const maxWidth = clock === undefined ? MAX_WIDTH_WITHOUT_CLOCK : 1 << 16;
  let width = 1;
  const beam = (budget: number, until: () => boolean): void => {
    const beamStart = clock?.() ?? 0;
    while (width <= maxWidth && best.cost > lowerBound && !until()) {
      const began = clock?.() ?? 0;
      beamSearch(root, opts.variant, width, bound, best, until);
      let next = width * 2;
      if (clock !== undefined) {
        const now = clock();
        const spent = Math.max(now - began, 0.05);
        const left = budget - (now - beamStart);
        while (next * 2 <= maxWidth && (next * 2 * spent) / width <= left * 0.8) next *= 2;
      }
      width = next;
    }
  };
  const elapsed = (): number => (clock?.() ?? 0) - start;

  if (opts.mode === 'exact' && clock !== undefined) {
    // Exact mode gives the search alone a first short slice: many bays are proved within it, where
    // a beam would only delay the proof. Where the search has to find the optimal plan as well as
    // prove it, a short beam usually finds it at once; then the search again, from the bound it
    // proved, until the longer slice ends; then the rest of the beam's share, for the bays the
    // short beam left an incumbent above the optimum.
    const firstSlice = Math.min(limit / 1000, 10);
    const exactSlice = Math.min(limit / 50, 200);
    const exactBeam = Math.min(limit / 200, 50);
    search(timeUpAt(firstSlice));
    beam(firstSlice, timeUpAt(elapsed() + firstSlice));
    search(timeUpAt(exactSlice));
    beam(exactBeam - firstSlice, timeUpAt(elapsed() + exactBeam - firstSlice));
  } else {
    // Heuristic mode leaves half its time to the exact search; in the unrestricted variant, whose
    // bound is weaker, only while the incumbent is close enough to it for a proof to be likely.
    const shareUp = timeUpAt(limit / 2);
    const until =
      clock === undefined
        ? timeUp
        : () => (restricted || best.cost - lowerBound <= PROVABLE_GAP ? shareUp() : timeUp());
    beam(restricted || best.cost - lowerBound <= PROVABLE_GAP ? limit / 2 : limit, until);
  }
  search(timeUp);

  const found = best.cost !== Number.MAX_SAFE_INTEGER;
  const moves: BrpMove[] = found ? best.moves : [];
  if (!distinct) {
    return {
      status: found ? 'feasible' : 'infeasible',
      moves,
      lowerBound: blockingCount(bay.stacks),
    };
  }
  if (!found) return { status: 'infeasible', moves, lowerBound };
  return {
    status: best.cost <= lowerBound ? 'optimal' : 'feasible',
    moves,
    lowerBound: Math.min(lowerBound, best.cost),
  };
}
