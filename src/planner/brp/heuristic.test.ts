import { describe, expect, it } from 'vitest';
import { checkBrpSolution, loadBrpFixtures } from '../../../test/brp-checker.js';
import { BayState } from './bay.js';
import { forEachBeamMove, greedyRollout, jzwRollout, sm2Rollout } from './heuristic.js';

function bayOf(stacks: number[][], maxHeight: number): BayState {
  return BayState.fromRanks(
    stacks,
    stacks.map(() => maxHeight),
  );
}

type Instance = ReturnType<typeof loadBrpFixtures>[number]['instances'][number];

/**
 * Plays `rollout` on every committed instance, checks that it counts the moves it lists and that
 * the independent checker accepts them in the unrestricted variant, then hands each count to
 * `each`. Returns how many instances were played.
 */
function playFixtures(
  rollout: (bay: BayState, out?: [number, number][]) => number,
  each?: (count: number, instance: Instance, maxHeight: number) => void,
): number {
  let played = 0;
  for (const group of loadBrpFixtures()) {
    for (const instance of group.instances) {
      const moves: [number, number][] = [];
      const count = rollout(bayOf(instance.stacks, group.maxHeight), moves);
      expect(count).toBe(moves.length);
      expect(checkBrpSolution(instance.stacks, group.maxHeight, 'unrestricted', moves).error).toBeUndefined();
      each?.(count, instance, group.maxHeight);
      played++;
    }
  }
  return played;
}

describe('jzwRollout', () => {
  it('first moves another blocker that fits between the block due to leave and its best stack', () => {
    // 3 must leave lane 0 and fits on lane 1 (minimum 5); 4 blocks 2 and fits there too, under 3.
    const moves: [number, number][] = [];
    const count = jzwRollout(bayOf([[1, 3], [5], [2, 4]], 4), moves);
    expect(moves[0]).toEqual([2, 1]);
    expect(moves[1]).toEqual([0, 1]);
    expect(count).toBe(2);
  });

  it('clears a lane by moving its minimum when the block due to leave has nowhere good to go', () => {
    // 4 must leave lane 0 and every lane's minimum is below it; lane 1's top 2 can go onto 3, after
    // which lane 1 (minimum 5) takes 4.
    const moves: [number, number][] = [];
    jzwRollout(bayOf([[1, 4], [5, 2], [3]], 3), moves);
    expect(moves.slice(0, 2)).toEqual([
      [1, 2],
      [0, 1],
    ]);
  });

  it('plays legal unrestricted plans on the committed instances, never below the recorded optimum', () => {
    let jzw = 0;
    let minMax = 0;
    playFixtures(jzwRollout, (count, instance, maxHeight) => {
      const optimum = instance.optimal?.unrestricted;
      if (typeof optimum === 'number') expect(count).toBeGreaterThanOrEqual(optimum);
      jzw += count;
      minMax += greedyRollout(bayOf(instance.stacks, maxHeight));
    });
    // the look-ahead rule exists to beat the restricted min-max rule in the unrestricted variant
    expect(jzw).toBeLessThan(minMax);
  });
});

describe('sm2Rollout', () => {
  it('first sends a blocking top block anywhere in the bay to its tightest good fit', () => {
    // 1 is due under 3; 4 blocks 2 in lane 2 and fits more tightly than 3 on lane 1 (minimum 5).
    const moves: [number, number][] = [];
    sm2Rollout(bayOf([[1, 3], [5], [2, 4]], 4), moves);
    expect(moves[0]).toEqual([2, 1]);
  });

  it('plays legal unrestricted plans on the committed instances', () => {
    expect(playFixtures(sm2Rollout)).toBeGreaterThan(0);
  });
});

describe('roll-out limit', () => {
  it('returns the full count when it fits the limit, else a lower bound on it above the limit', () => {
    let stopped = 0;
    for (const rollout of [greedyRollout, jzwRollout, sm2Rollout]) {
      playFixtures(rollout, (count, instance, maxHeight) => {
        for (const limit of [0, count - 3, count - 1, count, count + 2]) {
          if (limit < 0) continue;
          const bounded = rollout(bayOf(instance.stacks, maxHeight), undefined, limit);
          if (count <= limit) expect(bounded).toBe(count);
          else {
            expect(bounded).toBeGreaterThan(limit);
            expect(bounded).toBeLessThanOrEqual(count);
            stopped++;
          }
        }
      });
    }
    expect(stopped).toBeGreaterThan(0);
  });
});

describe('forEachBeamMove', () => {
  it('with spread, also sends another top block to the bad lane with the second-largest minimum', () => {
    // 1 is due in lane 0; 6 (lane 3) has bad lanes 2 (minimum 3) and 1 (minimum 2), 7 (lane 1)
    // has bad lanes 3 (minimum 4) and 2 (minimum 3)
    const movesOf = (spread: boolean): string[] => {
      const moves: string[] = [];
      const bay = bayOf(
        [
          [1, 5],
          [2, 7],
          [3, 8],
          [4, 6],
        ],
        4,
      );
      forEachBeamMove(bay, 'unrestricted', spread, (from, to) => moves.push(`${from}>${to}`));
      return moves;
    };
    const plain = movesOf(false);
    const spread = movesOf(true);
    expect(plain).toContain('3>2');
    expect(plain).toContain('1>3');
    expect(plain).not.toContain('3>1');
    expect(plain).not.toContain('1>2');
    expect(spread).toEqual(expect.arrayContaining([...plain, '3>1', '1>2']));
    expect(spread).toHaveLength(plain.length + 3);
    // restricted: only the block above the target moves, spread or not
    const restricted: string[] = [];
    forEachBeamMove(
      bayOf(
        [
          [1, 5],
          [2, 7],
          [3, 8],
          [4, 6],
        ],
        4,
      ),
      'restricted',
      true,
      (from, to) => restricted.push(`${from}>${to}`),
    );
    expect(restricted).toEqual(['0>1', '0>2', '0>3']);
  });
});
