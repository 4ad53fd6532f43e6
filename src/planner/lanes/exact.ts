/**
 * @module Exact relocation and re-sort on the compound's lanes as they are (IDA*, Korf 1985), for
 * small nights. Two problems share one search:
 *
 * - **retrieve**: the morning. Cars leave in departure order (cars leaving at the same minute in
 *   any order); a car leaves when one open end of its lane is clear, at no cost. The guards may
 *   move any car they hold a key for whose way out is clear to any free place open tonight that it
 *   fits and can reach (the unrestricted relocation problem). Fewest relocations until all are gone.
 * - **resort**: the night. Fewest relocations until no car stands in the way of an earlier leaver,
 *   i.e. until the morning needs none (pre-marshalling on lanes).
 *
 * The bound (`laneBound`) counts, per lane, the cars that must still move: in a one-end lane every
 * car in front of an earlier leaver (LB1 of the block relocation problem), in a through lane the cars
 * outside the longest subsequence whose departures rise and then fall (the cars never moved again
 * keep their order and each leaves by a clear side, so they rise then fall). Keyless cars never move.
 * Searches are bounded by a count of nodes, not by time, so results repeat on any machine.
 */
import { longestRiseThenFall } from '../placement/blocking.js';
import type { Geometry, Night } from './night.js';
import { exitsOf, geometryOf, mayStand } from './night.js';

export type LaneProblem = 'retrieve' | 'resort';

/** One relocation: car `car` from flat place `from` to `to`. */
export interface LaneMove {
  car: number;
  from: number;
  to: number;
}

export interface LaneSolveResult {
  /** The moves of the best plan found (optimal when `proved`), or null when none was found. */
  moves: LaneMove[] | null;
  proved: boolean;
  /** The largest proved lower bound. */
  lowerBound: number;
  nodes: number;
}

export interface LaneSolveOptions {
  /** Node budget (default 2,000,000). */
  maxNodes?: number;
}

/** `leaves` of car c, for bounds and retrieval. */
type Leaves = readonly number[];

/**
 * The cars of lane `l` that must still be relocated (see the module comment); Infinity when a
 * keyless car in a one-end lane stands in front of an earlier leaver (no plan exists).
 */
export function laneBound(g: Geometry, leaves: Leaves, state: ArrayLike<number>, l: number): number {
  const start = g.laneStart[l] as number;
  const end = g.laneStart[l + 1] as number;
  if (!g.through[l]) {
    let count = 0;
    let deeperMin = Infinity;
    for (let p = end - 1; p >= start; p--) {
      const c = state[p] as number;
      if (c < 0) continue;
      const t = leaves[c] as number;
      if (deeperMin < t) {
        if (!(g.movable[c] as boolean)) return Infinity;
        count++;
      }
      deeperMin = Math.min(deeperMin, t);
    }
    return count;
  }
  const times: number[] = [];
  for (let p = start; p < end; p++) {
    const c = state[p] as number;
    if (c >= 0) times.push(leaves[c] as number);
  }
  return times.length - longestRiseThenFall(times);
}

/** The sum of `laneBound` over the lanes. */
export function nightBound(g: Geometry, leaves: Leaves, state: ArrayLike<number>): number {
  let sum = 0;
  for (let l = 0; l + 1 < g.laneStart.length; l++) sum += laneBound(g, leaves, state, l);
  return sum;
}

/**
 * Lets every car leave that may (it is among the earliest still parked and one of its lane's ends
 * is clear), again and again; returns how many left. Mutates `state`.
 */
export function retrieveFree(g: Geometry, leaves: Leaves, state: number[]): number {
  let left = 0;
  for (;;) {
    let earliest = Infinity;
    for (const c of state) if (c >= 0) earliest = Math.min(earliest, leaves[c] as number);
    if (earliest === Infinity) return left;
    let any = false;
    for (let p = 0; p < state.length; p++) {
      const c = state[p] as number;
      if (c >= 0 && leaves[c] === earliest && exitsOf(g, state, p) !== 0) {
        state[p] = -1;
        left++;
        any = true;
      }
    }
    if (!any) return left;
  }
}

/** Every legal relocation in `state`: a movable car with a clear way out to a free place it fits and can reach. */
export function movesOf(g: Geometry, state: number[]): LaneMove[] {
  const out: LaneMove[] = [];
  for (let from = 0; from < state.length; from++) {
    const car = state[from] as number;
    if (car < 0 || !(g.movable[car] as boolean) || exitsOf(g, state, from) === 0) continue;
    state[from] = -1;
    for (let to = 0; to < state.length; to++) {
      if (to === from || (state[to] as number) >= 0 || !mayStand(g, car, to)) continue;
      if (exitsOf(g, state, to) !== 0) out.push({ car, from, to });
    }
    state[from] = car;
  }
  return out;
}

/** Solves `problem` exactly from `start` (cars numbered as in `night.cars`), within the node budget. */
export function solveLanesExact(
  night: Night,
  start: readonly number[],
  problem: LaneProblem,
  options: LaneSolveOptions = {},
): LaneSolveResult {
  const g = geometryOf(night);
  const leaves = night.cars.map((c) => c.leaves);
  const maxNodes = options.maxNodes ?? 2_000_000;
  const root = [...start];
  if (problem === 'retrieve') retrieveFree(g, leaves, root);
  const isGoal = (s: number[]): boolean =>
    problem === 'retrieve' ? s.every((c) => c < 0) : nightBound(g, leaves, s) === 0;
  let nodes = 0;
  let bound = nightBound(g, leaves, root);
  if (bound === Infinity) return { moves: null, proved: true, lowerBound: Infinity, nodes };
  const path: LaneMove[] = [];
  let found: LaneMove[] | null = null;
  let seen = new Map<string, number>();

  /** Depth-first below `state` at cost `depth`; returns the least f above the bound seen, or -1 when found or out of nodes. */
  const dfs = (state: number[], depth: number, lastCar: number): number => {
    nodes++;
    const h = nightBound(g, leaves, state);
    const f = depth + h;
    if (f > bound) return f;
    if (h === 0 && isGoal(state)) {
      found = [...path];
      return -1;
    }
    if (nodes >= maxNodes) return -1;
    const key = `${state.join(',')}|${lastCar}`;
    const before = seen.get(key);
    if (before !== undefined && before <= depth) return Infinity;
    seen.set(key, depth);
    let next = Infinity;
    for (const move of movesOf(g, state)) {
      if (move.car === lastCar) continue;
      const child = [...state];
      child[move.from] = -1;
      child[move.to] = move.car;
      const left = problem === 'retrieve' ? retrieveFree(g, leaves, child) : 0;
      path.push(move);
      const r = dfs(child, depth + 1, left > 0 ? -1 : move.car);
      path.pop();
      if (r < 0) return -1;
      next = Math.min(next, r);
    }
    return next;
  };

  for (;;) {
    seen = new Map();
    const next = dfs(root, 0, -1);
    if (found !== null) return { moves: found, proved: true, lowerBound: bound, nodes };
    if (next < 0 || next === Infinity) {
      // Out of nodes, or nothing left to try (no plan exists).
      return { moves: null, proved: next === Infinity, lowerBound: next === Infinity ? Infinity : bound, nodes };
    }
    bound = next;
  }
}

/**
 * Replays `moves` from `start` and says whether they are legal and reach the goal of `problem`
 * (for retrieval, cars leaving freely in between). Returns an error message, or null.
 */
export function checkLaneMoves(
  night: Night,
  start: readonly number[],
  problem: LaneProblem,
  moves: readonly LaneMove[],
): string | null {
  const g = geometryOf(night);
  const leaves = night.cars.map((c) => c.leaves);
  const state = [...start];
  if (problem === 'retrieve') retrieveFree(g, leaves, state);
  for (const [i, m] of moves.entries()) {
    if (state[m.from] !== m.car) return `move ${i}: car ${m.car} is not at ${m.from}`;
    if (!(g.movable[m.car] as boolean)) return `move ${i}: car ${m.car} is keyless`;
    if (exitsOf(g, state, m.from) === 0) return `move ${i}: car ${m.car} is shut in`;
    state[m.from] = -1;
    if ((state[m.to] ?? 0) >= 0 || !mayStand(g, m.car, m.to) || exitsOf(g, state, m.to) === 0)
      return `move ${i}: place ${m.to} is taken, closed, too small or shut in`;
    state[m.to] = m.car;
    if (problem === 'retrieve') retrieveFree(g, leaves, state);
  }
  const done = problem === 'retrieve' ? state.every((c) => c < 0) : nightBound(g, leaves, state) === 0;
  return done ? null : `the moves do not finish the ${problem}`;
}
