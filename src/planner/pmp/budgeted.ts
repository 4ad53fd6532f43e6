/**
 * @module The budgeted night re-sort: at most K moves (the guards' night time), leaving as little
 * **blocked** weight as possible.
 *
 * A car is blocked when some item above it in its lane has a larger value (it sits under a later
 * leaver, so a guard must relocate that car before it can leave). By default a blocked car weighs
 * `maxValue + 1 − value`: the earliest leaver weighs most, the latest weighs 1, so the plan frees the
 * morning's first departures first. A weight function can be passed instead.
 *
 * Search: a layered beam search (Wang, Jin & Lim 2015 style) over plans of 0..K moves, ranked by the
 * blocked weight and then by the lower bound on the moves to a full sort (`lower-bound.ts`), with
 * duplicate states removed. When each layer fits in the beam the search is exhaustive, so the result
 * is optimal for small layouts; otherwise it is the best plan found.
 */
import { redundantEmpty } from './heuristic.js';
import { type Bay, bayOf, type PmpLayout, type PmpMove, rankLayout } from './layout.js';
import { BoundScratch, lowerBound } from './lower-bound.js';

export interface ResortBudgetOptions {
  /** The most moves the plan may use (K ≥ 0). */
  readonly maxMoves: number;
  /** Weight of a blocked item by its value; default `maxValue + 1 − value`. Must be ≥ 0. */
  readonly weight?: (value: number) => number;
  /** States kept per layer (default 4000). */
  readonly beamWidth?: number;
  /** Optional time budget; without it the search runs all K layers. */
  readonly clock?: () => number;
  readonly deadline?: number;
}

export interface ResortPlan {
  readonly moves: PmpMove[];
  readonly blockedWeightBefore: number;
  readonly blockedWeightAfter: number;
}

/** Blocked weight of a bay, with weights per rank (index = rank). */
function blockedWeightOf(bay: Bay, weightOfRank: Float64Array): number {
  let total = 0;
  for (let s = 0; s < bay.stackCount; s++) {
    const base = s * bay.stride;
    let maxAbove = 0;
    for (let i = bay.heights[s]! - 1; i >= 0; i--) {
      const v = bay.items[base + i]!;
      if (maxAbove > v) total += weightOfRank[v]!;
      else maxAbove = v;
    }
  }
  return total;
}

/** The best plan of at most `maxMoves` moves found (see the module comment). */
export function resortWithinBudget(layout: PmpLayout, options: ResortBudgetOptions): ResortPlan {
  const { values } = rankLayout(layout);
  const maxValue = values.length === 0 ? 0 : values[values.length - 1]!;
  const weight = options.weight ?? ((v: number) => maxValue + 1 - v);
  const weightOfRank = new Float64Array(values.length + 1);
  values.forEach((v, i) => {
    weightOfRank[i + 1] = weight(v);
  });
  const root = bayOf(layout);
  const S = root.stackCount;
  const width = Math.max(1, options.beamWidth ?? 4000);
  const scratch = new BoundScratch(root.groups, S);
  const before = blockedWeightOf(root, weightOfRank);
  const outOfTime = (): boolean =>
    options.clock !== undefined && options.deadline !== undefined && options.clock() > options.deadline;

  interface Node {
    readonly bay: Bay;
    readonly path: number[];
    readonly lastTo: number;
  }
  let best = { weight: before, path: [] as number[] };
  let beam: Node[] = [{ bay: root, path: [], lastTo: -1 }];
  const seen = new Set<number>([root.key()]);
  for (let depth = 0; depth < options.maxMoves && best.weight > 0 && beam.length > 0; depth++) {
    if (outOfTime()) break;
    const cands: { parent: number; from: number; to: number; w: number; lb: number; key: number }[] = [];
    const byKey = new Map<number, number>();
    beam.forEach((node, parent) => {
      const bay = node.bay;
      for (let from = 0; from < S; from++) {
        if (from === node.lastTo || bay.heights[from] === 0) continue;
        const sortedFrom = bay.sortedLen[from]!;
        for (let to = 0; to < S; to++) {
          if (!bay.canMove(from, to) || redundantEmpty(bay, to)) continue;
          bay.move(from, to);
          const key = bay.key();
          if (!seen.has(key) && !byKey.has(key)) {
            byKey.set(key, cands.length);
            cands.push({ parent, from, to, w: blockedWeightOf(bay, weightOfRank), lb: lowerBound(bay, scratch), key });
          }
          bay.unmove(from, to, sortedFrom);
        }
      }
    });
    cands.sort((a, b) => a.w - b.w || a.lb - b.lb);
    const next: Node[] = [];
    for (const c of cands.slice(0, width)) {
      const parent = beam[c.parent]!;
      const bay = parent.bay.clone();
      bay.move(c.from, c.to);
      const path = [...parent.path, c.from * S + c.to];
      seen.add(c.key);
      next.push({ bay, path, lastTo: c.to });
      if (c.w < best.weight) best = { weight: c.w, path };
    }
    beam = next;
  }
  return {
    moves: best.path.map((m) => [Math.floor(m / S), m % S] as const),
    blockedWeightBefore: before,
    blockedWeightAfter: best.weight,
  };
}
