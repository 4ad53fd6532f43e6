import { describe, expect, it } from 'vitest';
import { blockedWeight, replayStacks } from '../../../test/pmp-checker.js';
import { resortWithinBudget } from './budgeted.js';
import { stackCaps, type PmpLayout } from './layout.js';

/** Independent brute force: the least blocked weight reachable in at most k moves. */
function bruteForce(layout: PmpLayout, k: number, weight: (v: number) => number): number {
  const caps = stackCaps(layout);
  let best = blockedWeight(layout.stacks, weight);
  let frontier = [layout.stacks.map((s) => [...s])];
  const seen = new Set([JSON.stringify(frontier[0])]);
  for (let depth = 0; depth < k; depth++) {
    const next: number[][][] = [];
    for (const st of frontier) {
      for (let a = 0; a < st.length; a++) {
        for (let b = 0; b < st.length; b++) {
          if (a === b || st[a]!.length === 0 || st[b]!.length >= caps[b]!) continue;
          const child = st.map((s) => [...s]);
          child[b]!.push(child[a]!.pop()!);
          const key = JSON.stringify(child);
          if (seen.has(key)) continue;
          seen.add(key);
          best = Math.min(best, blockedWeight(child, weight));
          next.push(child);
        }
      }
    }
    frontier = next;
  }
  return best;
}

function defaultWeight(layout: PmpLayout): (v: number) => number {
  const max = Math.max(...layout.stacks.flat());
  return (v) => max + 1 - v;
}

function expectPlan(layout: PmpLayout, k: number, weight?: (v: number) => number): void {
  const w = weight ?? defaultWeight(layout);
  const plan = resortWithinBudget(layout, { maxMoves: k, ...(weight ? { weight } : {}) });
  expect(plan.moves.length).toBeLessThanOrEqual(k);
  const after = replayStacks(layout.stacks, stackCaps(layout), plan.moves);
  expect(plan.blockedWeightBefore).toBe(blockedWeight(layout.stacks, w));
  expect(plan.blockedWeightAfter).toBe(blockedWeight(after, w));
  expect(plan.blockedWeightAfter).toBe(bruteForce(layout, k, w));
}

describe('resortWithinBudget', () => {
  it('frees the earliest leaver with a single move', () => {
    const layout: PmpLayout = { stacks: [[1, 2], [3]], maxHeight: 3 };
    const plan = resortWithinBudget(layout, { maxMoves: 1 });
    expect(plan).toEqual({ moves: [[0, 1]], blockedWeightBefore: 3, blockedWeightAfter: 0 });
  });

  it('spends a short budget on the heavier blocked car, on lanes of different lengths', () => {
    // Lane 2 holds one car. Moving the 4 there frees car 1 (weight 5); moving the 5 frees car 3 (weight 3).
    const layout: PmpLayout = { stacks: [[1, 4], [3, 5], []], maxHeight: 2, maxHeights: [2, 2, 1] };
    const plan = resortWithinBudget(layout, { maxMoves: 1 });
    expect(plan).toEqual({ moves: [[0, 2]], blockedWeightBefore: 8, blockedWeightAfter: 3 });
    expectPlan(layout, 1);
    expectPlan(layout, 3);
  });

  it('makes no move when the budget is zero or nothing is blocked', () => {
    expect(resortWithinBudget({ stacks: [[1, 2], []], maxHeight: 2 }, { maxMoves: 0 })).toEqual({
      moves: [],
      blockedWeightBefore: 2,
      blockedWeightAfter: 2,
    });
    expect(resortWithinBudget({ stacks: [[3, 1], [2]], maxHeight: 2 }, { maxMoves: 5 }).moves).toEqual([]);
  });

  it('follows a weight function passed in', () => {
    // Only car 3 counts: free it even though car 1 stays blocked.
    const layout: PmpLayout = { stacks: [[1, 4], [3, 5], []], maxHeight: 2, maxHeights: [2, 2, 1] };
    const weight = (v: number): number => (v === 3 ? 10 : 0);
    const plan = resortWithinBudget(layout, { maxMoves: 1, weight });
    expect(plan.blockedWeightAfter).toBe(0);
    expect(plan.moves).toEqual([[1, 2]]);
  });

  it('matches brute force on hand-made lanes with mixed heights', () => {
    const layouts: PmpLayout[] = [
      { stacks: [[2, 5, 1], [4, 3], [6]], maxHeight: 4, maxHeights: [3, 4, 2] },
      { stacks: [[1, 3, 2], [5, 4, 6], []], maxHeight: 3 },
      { stacks: [[3, 3, 1, 2], [2, 4], [1]], maxHeight: 4, maxHeights: [4, 3, 2] },
      { stacks: [[1, 2, 3], [4, 5, 6], [7]], maxHeight: 3, maxHeights: [3, 3, 3] },
    ];
    for (const layout of layouts) for (const k of [1, 2, 3, 4]) expectPlan(layout, k);
  });
});
