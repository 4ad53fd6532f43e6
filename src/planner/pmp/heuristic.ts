/**
 * @module Bound-guided beam search for the pre-marshalling problem (night re-sort): the exact mode's
 * quick first upper bound (the heuristic mode uses the completion beam of `completion-beam.ts`,
 * which measured better per second on the DLTS sets), and the shared `Budget` and move encoding.
 *
 * Layered beam search in the spirit of Wang, Jin & Lim (2015) and the tree search of Bortfeldt &
 * Forster (2012): all states of one layer are one move deep; children are ranked by the lower bound
 * of `lower-bound.ts` (Bortfeldt & Forster 2012; Tanaka & Tierney 2018) and then by how many badly
 * placed items have no direct home (the "bad-good" move count idea of Wang, Jin, Zhang & Lim 2017's
 * feasibility-based heuristic). States are hashed so a layer holds each state once and a state
 * reached earlier is not expanded again. Beams of growing width run until the deadline, each pruned
 * by the best solution so far (g + LB ≥ best is dropped), as in Hottung, Tanaka & Tierney (2020).
 */
import type { Bay } from './layout.js';
import { BoundScratch, lowerBound } from './lower-bound.js';

/** A time budget: `clock()` in milliseconds, and the instant to stop at. */
export interface Budget {
  readonly clock: () => number;
  readonly deadline: number;
}

/** Moves encoded as from * stackCount + to. */
export type EncodedPath = number[];

/**
 * Number of badly placed top items that cannot go straight to a sorted stack with room and a top
 * at least as large, counted over the top bad item of each stack. A tie-break: fewer is better.
 */
export function stuckTops(bay: Bay): number {
  const { stackCount, heights, sortedLen, caps } = bay;
  let stuck = 0;
  for (let s = 0; s < stackCount; s++) {
    const h = heights[s]!;
    if (h === sortedLen[s]) continue;
    const x = bay.top(s);
    let home = false;
    for (let d = 0; d < stackCount; d++) {
      if (d === s || heights[d] !== sortedLen[d] || heights[d]! >= caps[d]!) continue;
      if (bay.sortedTop(d) >= x) {
        home = true;
        break;
      }
    }
    if (!home) stuck++;
  }
  return stuck;
}

/** Whether `to` is an empty stack with an earlier empty stack of the same height limit (a symmetric move). */
export function redundantEmpty(bay: Bay, to: number): boolean {
  if (bay.heights[to] !== 0) return false;
  for (let e = 0; e < to; e++) if (bay.heights[e] === 0 && bay.caps[e] === bay.caps[to]) return true;
  return false;
}

interface Layer {
  parent: Int32Array;
  move: Int32Array;
}

/**
 * One beam search of the given width. Returns the encoded moves of the first sorted state found,
 * or undefined when the beam dies, the deadline passes, or nothing shorter than `bound` exists in
 * the beam.
 */
export function beamSearch(root: Bay, width: number, bound: number, budget: Budget): EncodedPath | undefined {
  const S = root.stackCount;
  const scratch = new BoundScratch(root.groups, S);
  if (root.isSorted()) return [];
  let beam: Bay[] = [root.clone()];
  let lastTo: Int32Array = Int32Array.of(-1);
  let lastFrom: Int32Array = Int32Array.of(-1);
  const layers: Layer[] = [];
  const seen = new Set<number>([root.key()]);
  for (let g = 0; g + 1 < bound; g++) {
    if (budget.clock() > budget.deadline) return undefined;
    const candParent: number[] = [];
    const candMove: number[] = [];
    const candScore: number[] = [];
    const candKey: number[] = [];
    const byKey = new Map<number, number>();
    let goal = -1;
    for (let i = 0; i < beam.length && goal < 0; i++) {
      if ((i & 15) === 15 && budget.clock() > budget.deadline) return undefined;
      const bay = beam[i]!;
      const noFrom = lastTo[i]!;
      const prevFrom = lastFrom[i]!;
      for (let from = 0; from < S && goal < 0; from++) {
        if (from === noFrom || bay.heights[from] === 0) continue;
        const sortedFrom = bay.sortedLen[from]!;
        for (let to = 0; to < S; to++) {
          if (!bay.canMove(from, to) || redundantEmpty(bay, to)) continue;
          // Two moves on four distinct stacks commute: keep only the order with the smaller source first.
          if (from < prevFrom && to !== prevFrom && to !== noFrom) continue;
          bay.move(from, to);
          const lb = lowerBound(bay, scratch);
          if (g + 1 + lb < bound) {
            const key = bay.key();
            if (!seen.has(key)) {
              const score = lb * 65536 + stuckTops(bay);
              const at = byKey.get(key);
              if (at === undefined) {
                byKey.set(key, candScore.length);
                candParent.push(i);
                candMove.push(from * S + to);
                candScore.push(score);
                candKey.push(key);
              } else if (score < candScore[at]!) {
                candParent[at] = i;
                candMove[at] = from * S + to;
                candScore[at] = score;
              }
              if (lb === 0) goal = byKey.get(key)!;
            }
          }
          bay.unmove(from, to, sortedFrom);
          if (goal >= 0) break;
        }
      }
    }
    if (goal >= 0) {
      const path = [candMove[goal]!];
      let p = candParent[goal]!;
      for (let l = layers.length - 1; l >= 0; l--) {
        const layer = layers[l]!;
        path.push(layer.move[p]!);
        p = layer.parent[p]!;
      }
      return path.reverse();
    }
    const n = candScore.length;
    if (n === 0) return undefined;
    const order = Array.from({ length: n }, (_, j) => j);
    order.sort((a, b) => candScore[a]! - candScore[b]! || a - b);
    const keep = Math.min(width, n);
    const nextBeam: Bay[] = [];
    const nextLastTo = new Int32Array(keep);
    const nextLastFrom = new Int32Array(keep);
    const layer: Layer = { parent: new Int32Array(keep), move: new Int32Array(keep) };
    for (let j = 0; j < keep; j++) {
      const c = order[j]!;
      const child = beam[candParent[c]!]!.clone();
      const mv = candMove[c]!;
      child.move(Math.floor(mv / S), mv % S);
      nextBeam.push(child);
      nextLastTo[j] = mv % S;
      nextLastFrom[j] = Math.floor(mv / S);
      layer.parent[j] = candParent[c]!;
      layer.move[j] = mv;
      seen.add(candKey[c]!);
    }
    layers.push(layer);
    beam = nextBeam;
    lastTo = nextLastTo;
    lastFrom = nextLastFrom;
  }
  return undefined;
}

/**
 * Runs beams of width 32, 64, 128, … until the deadline or until a beam matches the lower bound,
 * keeping the shortest solution, each beam pruned by the best length so far. A layered beam compares
 * states of one depth only, so on the lower bound's plateaus a narrow beam may wander; until a
 * first solution exists, beams are cut at 2·LB + 10 moves (lifted after width 256). Without a
 * solution by `firstBy` it gives up, leaving the rest of the budget to a fallback.
 */
export function iteratedBeam(
  root: Bay,
  budget: Budget,
  rootBound: number,
  options: {
    readonly startWidth?: number;
    readonly maxWidth?: number;
    readonly firstBy?: number;
    /** A known solution (e.g. the constructive one): returned unless a beam beats it. */
    readonly incumbent?: EncodedPath | undefined;
  } = {},
): EncodedPath | undefined {
  let best: EncodedPath | undefined = options.incumbent;
  const maxLength = 4 * root.itemCount + 4 * root.stackCount + 16;
  let bound = Math.min(maxLength, 2 * rootBound + 10) + 1;
  if (best !== undefined) {
    if (best.length <= rootBound) return best;
    bound = Math.min(bound, best.length);
  }
  const maxWidth = options.maxWidth ?? 1 << 20;
  const firstBy = options.firstBy ?? budget.deadline;
  for (let width = options.startWidth ?? 32; width <= maxWidth; width *= 2) {
    const now = budget.clock();
    if (now > budget.deadline || (best === undefined && now > firstBy)) break;
    const path = beamSearch(root, width, bound, budget);
    if (path !== undefined && path.length < bound) {
      best = path;
      bound = path.length;
      if (bound <= rootBound) break;
    } else if (best === undefined && width >= 256) {
      bound = maxLength + 1;
    }
  }
  return best;
}
