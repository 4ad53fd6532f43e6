/**
 * @module Beam search with greedy completion of nodes, the heuristic mode of the night re-sort.
 *
 * The beam search of Wang, Jin & Lim (2015) ranks the nodes of a layer by running a greedy heuristic
 * from each; the tree search of Hottung, Tanaka & Tierney (2020) completes nodes greedily and keeps
 * the best completion as the incumbent. Here the children of a layer are first bounded with the
 * lower bound of `lower-bound.ts` (Bortfeldt & Forster 2012; Tanaka & Tierney 2018); the best
 * `COMPLETED_PER_SLOT · width` of them by bound are completed by `greedyComplete` (a sort-fill
 * greedy in the style of the LPFH of Expósito-Izquierdo et al. 2012). A child's score is moves so
 * far plus a blend of its bound and its completion's length; every completion that beats the
 * incumbent becomes the incumbent (after `polishSequence`). A child whose moves so far plus bound
 * reach the incumbent is dropped (Bortfeldt & Forster's tree search prunes so). Duplicate states are
 * merged per layer and never expanded twice. Moves follow two dominance rules of Tanaka & Tierney
 * (2018), as used by Tierney et al. (2017): the item just moved is not moved straight on, and of
 * two commuting moves only one order is tried. Beams of width 1, 4, 16, … run until the deadline
 * (an iterated beam search), the last one as wide as the remaining time allows.
 */
import { greedyComplete } from './greedy-completion.js';
import { redundantEmpty, type Budget, type EncodedPath } from './heuristic.js';
import type { Bay } from './layout.js';
import { boundAfterShift, BoundScratch, tally } from './lower-bound.js';
import { polishSequence } from './sequence-polish.js';

/**
 * Weight of the completion in a child's score; the rest is on the lower bound. The bound is the
 * sharper guide (a completion overshoots by tens of percent), the completion separates children on
 * the bound's plateaus.
 */
const COMPLETION_WEIGHT = 0.25;
/**
 * Children completed per beam slot: those with the best bounds (a completion costs far more than a
 * bound). At 1 s, 4 measured better than 8: the beam gets wider for about as good a ranking.
 */
const COMPLETED_PER_SLOT = 4;
/**
 * Each beam is this many times wider than the one before (until the time left affords less): the
 * narrow beams only give the first incumbents, and a factor of 4 leaves the last beam more time.
 */
const WIDTH_GROWTH = 4;

/** Beam nodes expanded or children completed between two readings of the clock (a CPU-time clock costs some 10 µs a reading). */
const CLOCK_EVERY = 64;

interface Layer {
  parent: Int32Array;
  move: Int32Array;
}

/** The search shared by the beams of one run: incumbent, scratch state and bound buffers. */
class CompletionSearch {
  best: EncodedPath | undefined;
  readonly work: Bay;
  readonly scratch: BoundScratch;
  readonly evalLimit: number;

  constructor(
    readonly root: Bay,
    readonly budget: Budget,
    incumbent: EncodedPath | undefined,
  ) {
    this.best = incumbent;
    this.work = root.clone();
    this.scratch = new BoundScratch(root.groups, root.stackCount);
    this.evalLimit = 3 * root.itemCount + 2 * root.stackCount + 8;
  }

  /** Work units since the clock was last read. */
  private sinceClock = 0;

  /**
   * True once the deadline has passed, reading the clock only every CLOCK_EVERY calls: a CPU-time
   * clock is a system call, and reading it per beam node took a third of the time.
   */
  outOfTime(): boolean {
    if (++this.sinceClock < CLOCK_EVERY) return false;
    this.sinceClock = 0;
    return this.budget.clock() > this.budget.deadline;
  }

  get bestLength(): number {
    return this.best === undefined ? Number.POSITIVE_INFINITY : this.best.length;
  }

  /**
   * One beam of the given width from the state after the moves `start`; returns false when the
   * deadline passed.
   */
  beam(width: number, start: readonly number[] = []): boolean {
    const root = this.root;
    const S = root.stackCount;
    const first = root.clone();
    for (const m of start) first.move(Math.floor(m / S), m % S);
    let beam: Bay[] = [first];
    const last = start.length === 0 ? -1 : start[start.length - 1]!;
    let lastTo = Int32Array.of(last < 0 ? -1 : last % S);
    let lastFrom = Int32Array.of(last < 0 ? -1 : Math.floor(last / S));
    const layers: Layer[] = [];
    const seen = new Set<number>([first.key()]);
    const prefix = (layerCount: number, index: number): number[] => {
      const path: number[] = [];
      let p = index;
      for (let l = layerCount - 1; l >= 0; l--) {
        const layer = layers[l]!;
        path.push(layer.move[p]!);
        p = layer.parent[p]!;
      }
      return [...start, ...path.reverse()];
    };
    for (let g = start.length; beam.length > 0; g++) {
      if (g + 1 >= this.bestLength) return true;
      const candParent: number[] = [];
      const candMove: number[] = [];
      const candBound: number[] = [];
      const candKey: number[] = [];
      const byKey = new Set<number>();
      for (let i = 0; i < beam.length; i++) {
        if (this.outOfTime()) return false;
        const bay = beam[i]!;
        const noFrom = lastTo[i]!;
        const prevFrom = lastFrom[i]!;
        // Children's bounds from one tally of the parent (see `boundAfterShift`); a child whose
        // bound passes the cutoff is dropped, so its bound need not be exact.
        tally(bay, this.scratch);
        const cutoff = this.bestLength - g - 2;
        for (let from = 0; from < S; from++) {
          if (from === noFrom || bay.heights[from] === 0) continue;
          const sortedFrom = bay.sortedLen[from]!;
          for (let to = 0; to < S; to++) {
            if (!bay.canMove(from, to) || redundantEmpty(bay, to)) continue;
            if (from < prevFrom && to !== prevFrom && to !== noFrom) continue;
            bay.move(from, to);
            const key = bay.key();
            if (!seen.has(key) && !byKey.has(key)) {
              const lb = boundAfterShift(bay, this.scratch, from, to, cutoff);
              if (g + 1 + lb < this.bestLength) {
                byKey.add(key);
                candParent.push(i);
                candMove.push(from * S + to);
                candBound.push(lb);
                candKey.push(key);
              }
            }
            bay.unmove(from, to, sortedFrom);
          }
        }
      }
      const all = candBound.length;
      const byBound = Array.from({ length: all }, (_, j) => j);
      byBound.sort((a, b) => candBound[a]! - candBound[b]! || a - b);
      const n = Math.min(all, COMPLETED_PER_SLOT * width);
      const candScore = new Float64Array(all).fill(Number.POSITIVE_INFINITY);
      for (let r = 0; r < n; r++) {
        if (this.outOfTime()) return false;
        const c = byBound[r]!;
        const lb = candBound[c]!;
        const mv = candMove[c]!;
        const from = Math.floor(mv / S);
        const to = mv - from * S;
        this.work.copyFrom(beam[candParent[c]!]!);
        this.work.move(from, to);
        const h = lb === 0 ? 0 : greedyComplete(this.work, this.evalLimit);
        const total = h < 0 ? Number.POSITIVE_INFINITY : g + 1 + h;
        if (total < this.bestLength) {
          const path = prefix(layers.length, candParent[c]!);
          path.push(mv);
          this.work.copyFrom(beam[candParent[c]!]!);
          this.work.move(from, to);
          greedyComplete(this.work, this.evalLimit, path);
          this.best = polishSequence(root, path);
        }
        const estimate = h < 0 ? 4096 + g + 1 + lb : COMPLETION_WEIGHT * total + (1 - COMPLETION_WEIGHT) * (g + 1 + lb);
        candScore[c] = Math.round(estimate * 256) * 64 + lb;
      }
      const order = byBound.slice(0, n);
      order.sort((a, b) => candScore[a]! - candScore[b]! || a - b);
      const keep = Math.min(width, n);
      const nextBeam: Bay[] = [];
      const nextLastTo = new Int32Array(keep);
      const nextLastFrom = new Int32Array(keep);
      const layer: Layer = { parent: new Int32Array(keep), move: new Int32Array(keep) };
      for (let j = 0; j < keep; j++) {
        const c = order[j]!;
        const mv = candMove[c]!;
        const child = beam[candParent[c]!]!.clone();
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
    return true;
  }
}

/**
 * Runs completion beams of width 1, 4, 16, … (the last one as wide as the time left affords), then
 * restarts from points along the best sequence, until the deadline or until the incumbent matches
 * `rootBound`; returns the shortest sequence found (`incumbent` when nothing beat it). `maxWidth`
 * caps the widths and skips the restarts: a fixed amount of work, whatever the clock.
 */
export function completionBeam(
  root: Bay,
  budget: Budget,
  rootBound: number,
  options: { readonly incumbent?: EncodedPath | undefined; readonly maxWidth?: number } = {},
): EncodedPath | undefined {
  const search = new CompletionSearch(root, budget, options.incumbent);
  const maxWidth = options.maxWidth ?? 1 << 20;
  let width = 1;
  let perWidth = 0;
  while (width <= maxWidth && search.bestLength > rootBound) {
    const start = budget.clock();
    if (!search.beam(width)) return search.best;
    // A beam's time grows about linearly with its width: the next width grows by WIDTH_GROWTH, or,
    // when that would not finish in time, takes what is left (a beam cut by the deadline is mostly
    // wasted).
    perWidth = Math.max(budget.clock() - start, 1e-3) / width;
    const affordable = Math.floor((0.9 * (budget.deadline - budget.clock())) / perWidth);
    const next = affordable >= WIDTH_GROWTH * width ? WIDTH_GROWTH * width : affordable;
    if (next <= width) break;
    width = Math.min(next, maxWidth + 1);
  }
  // Time left over: restart beams from the state halfway along the best sequence (then a quarter
  // and three quarters of the way, …), each as wide as the rest of the time affords.
  if (maxWidth < 1 << 20) return search.best;
  for (const share of [0.5, 0.25, 0.75, 0.375, 0.625, 0.125, 0.875]) {
    const best = search.best;
    if (best === undefined || search.bestLength <= rootBound) break;
    const cut = Math.floor(best.length * share);
    const restWidth = Math.floor((0.9 * (budget.deadline - budget.clock())) / (perWidth * (1 - share)));
    if (cut === 0 || restWidth < 1) continue;
    if (!search.beam(restWidth, best.slice(0, cut))) break;
  }
  return search.best;
}
