/**
 * @module `solvePmp`: the night re-sort with the fewest moves, as a value (never an exception).
 *
 * Both modes start from the constructive solution of `constructive.ts` (fast, never loops), the
 * upper bound and the fallback. Heuristic mode improves it with the beam search with greedy
 * completion of `completion-beam.ts`, then spends what time is left on the tail descent of
 * `tail-descent.ts` (which may prove the sequence optimal); exact mode spends a slice of the budget (a tenth, at most
 * one second) on the same beam — a near-optimal incumbent spares the search its costliest last
 * round — then proves or improves the best with the iterative-deepening search of `exact.ts`.
 */
import { completionBeam } from './completion-beam.js';
import { bestConstructive } from './constructive.js';
import { boundedDive, exactSearch } from './exact.js';
import type { Budget, EncodedPath } from './heuristic.js';
import { type Bay, bayOf, type PmpLayout, type PmpMove } from './layout.js';
import { BoundScratch, rootLowerBound } from './lower-bound.js';
import { tailDescent } from './tail-descent.js';

/**
 * - `optimal`: `moves` sort the layout and no shorter sequence exists.
 * - `feasible`: `moves` sort the layout; shorter sequences may exist.
 * - `infeasible`: no move sequence sorts the layout (no free slot, or a single stack).
 * - `unsolved`: the budget ran out before any sorting sequence was found; `moves` is empty.
 */
export type PmpStatus = 'optimal' | 'feasible' | 'infeasible' | 'unsolved';

export interface PmpResult {
  readonly status: PmpStatus;
  readonly moves: PmpMove[];
  /** A proven lower bound on the number of moves (equals `moves.length` when optimal). */
  readonly lowerBound: number;
}

export type PmpMode = 'heuristic' | 'exact';

export interface PmpSolveOptions {
  readonly mode: PmpMode;
  /** Milliseconds, monotonic (the CLI passes `performance.now`). */
  readonly clock: () => number;
  /** Stop at this clock value; the best solution found so far is returned. */
  readonly deadline: number;
}

function decode(path: EncodedPath, stackCount: number): PmpMove[] {
  return path.map((m) => [Math.floor(m / stackCount), m % stackCount] as const);
}

/** Loosening bounded dives, for the rare layout where the beams found nothing in time. */
function fallback(bay: Bay, budget: Budget, rootBound: number): EncodedPath | undefined {
  for (let slack = 8; slack <= 4 * bay.itemCount + 16; slack *= 2) {
    if (budget.clock() > budget.deadline) return undefined;
    const path = boundedDive(bay, budget, rootBound, rootBound + slack);
    if (path !== undefined) return path;
  }
  return undefined;
}

/** Sorts a layout with as few moves as the mode and budget allow (see the module comment). */
export function solvePmp(layout: PmpLayout, options: PmpSolveOptions): PmpResult {
  const bay = bayOf(layout);
  const S = bay.stackCount;
  const scratch = new BoundScratch(bay.groups, S);
  const rootBound = rootLowerBound(bay, scratch);
  if (rootBound === 0) return { status: 'optimal', moves: [], lowerBound: 0 };
  let free = 0;
  for (let s = 0; s < S; s++) free += bay.caps[s]! - bay.heights[s]!;
  if (free === 0 || S < 2) return { status: 'infeasible', moves: [], lowerBound: rootBound };

  const budget: Budget = { clock: options.clock, deadline: options.deadline };
  if (options.mode === 'heuristic') {
    const start = options.clock();
    // Without a first solution by 70% of the budget, the rest goes to the fallback dives.
    const firstBy = start + (options.deadline - start) * 0.7;
    const incumbent = bestConstructive(bay);
    const beamBudget: Budget = incumbent === undefined ? { clock: options.clock, deadline: firstBy } : budget;
    const path = completionBeam(bay, beamBudget, rootBound, { incumbent }) ?? fallback(bay, budget, rootBound);
    if (path === undefined) return { status: 'unsolved', moves: [], lowerBound: rootBound };
    if (path.length <= rootBound) return { status: 'optimal', moves: decode(path, S), lowerBound: rootBound };
    // The time the beams leave (their widths are sized to the budget, and their restarts are few)
    // goes to making the best sequence's tails optimal; giving the descent a fixed share instead
    // measured worse on 10×5, whose tails are dear to prove.
    const polished = tailDescent(bay, budget, path);
    return polished.proved
      ? { status: 'optimal', moves: decode(polished.path, S), lowerBound: polished.path.length }
      : { status: 'feasible', moves: decode(polished.path, S), lowerBound: rootBound };
  }
  const start = options.clock();
  const beamBudget: Budget = {
    clock: options.clock,
    deadline: start + Math.min(1000, (options.deadline - start) * 0.1),
  };
  const incumbent = bestConstructive(bay);
  const first = completionBeam(bay, beamBudget, rootBound, { incumbent }) ?? fallback(bay, beamBudget, rootBound);
  if (first !== undefined && first.length <= rootBound) {
    return { status: 'optimal', moves: decode(first, S), lowerBound: rootBound };
  }
  const exact = exactSearch(bay, budget, rootBound, first);
  if (exact.path === undefined) {
    return { status: 'unsolved', moves: [], lowerBound: exact.lowerBound };
  }
  return {
    status: exact.proved ? 'optimal' : 'feasible',
    moves: decode(exact.path, S),
    lowerBound: exact.lowerBound,
  };
}
