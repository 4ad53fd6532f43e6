import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../core/random.js';
import { checkPmpSolution } from '../../../test/pmp-checker.js';
import { bestBgMove, greedyComplete } from './greedy-completion.js';
import { bayOf, stackCaps, type PmpLayout } from './layout.js';

/** Full stacks of `tiers` items under a height limit two higher, as in the DLTS sets. */
function denseLayout(next: () => number, stacks: number, tiers: number, groups: number): PmpLayout {
  return {
    stacks: Array.from({ length: stacks }, () => Array.from({ length: tiers }, () => 1 + Math.floor(next() * groups))),
    maxHeight: tiers + 2,
  };
}

function decode(path: readonly number[], stackCount: number): [number, number][] {
  return path.map((m) => [Math.floor(m / stackCount), m % stackCount]);
}

describe('greedyComplete', () => {
  it('sorts dense random layouts with legal moves and reports their number', () => {
    const next = rng(3);
    let solved = 0;
    for (let trial = 0; trial < 40; trial++) {
      const layout = denseLayout(next, 4 + (trial % 4), 4 + (trial % 2), trial % 2 === 0 ? 30 : 8);
      const bay = bayOf(layout);
      const path: number[] = [];
      const count = greedyComplete(bay, 500, path);
      if (count < 0) continue;
      solved++;
      expect(count).toBe(path.length);
      expect(bay.isSorted()).toBe(true);
      expect(checkPmpSolution(layout.stacks, stackCaps(layout), decode(path, bay.stackCount))).toMatchObject({
        ok: true,
      });
    }
    expect(solved).toBeGreaterThanOrEqual(36);
  });

  it('gives up when the move limit is too small', () => {
    const bay = bayOf({ stacks: [[1, 2, 3], [4, 5, 6], []], maxHeight: 5 });
    expect(greedyComplete(bay, 2)).toBe(-1);
  });

  it('returns zero moves for a sorted layout', () => {
    expect(
      greedyComplete(
        bayOf({
          stacks: [
            [3, 2],
            [5, 5, 1],
          ],
          maxHeight: 3,
        }),
        0,
      ),
    ).toBe(0);
  });

  it('puts a badly placed item on the sorted stack it fits most tightly', () => {
    // 4 sits badly on stack 0; stacks 1 (top 9) and 2 (top 5) take it; 5 is the tighter fit.
    const bay = bayOf({ stacks: [[1, 4], [9], [6, 5]], maxHeight: 3 });
    expect(bestBgMove(bay)).toBe(0 * 3 + 2);
  });
});
