import { describe, expect, it } from 'vitest';
import { checkBrpSolution, loadBrpFixtures } from '../../../test/brp-checker.js';
import { solveBrp } from './solve.js';
import type { BrpVariant } from './types.js';

const VARIANTS: BrpVariant[] = ['restricted', 'unrestricted'];
const groups = loadBrpFixtures();

describe('solveBrp on the committed benchmark subset', () => {
  for (const group of groups) {
    for (const variant of VARIANTS) {
      it(`returns legal ${variant} heuristic solutions no shorter than the recorded optimum (${group.group})`, () => {
        for (const instance of group.instances) {
          const result = solveBrp(
            { stacks: instance.stacks, maxHeight: group.maxHeight },
            { variant, mode: 'heuristic' },
          );
          expect(result.status).not.toBe('infeasible');
          const check = checkBrpSolution(instance.stacks, group.maxHeight, variant, result.moves);
          expect(check.error).toBeUndefined();
          expect(check.ok).toBe(true);
          expect(result.lowerBound).toBeLessThanOrEqual(result.moves.length);
          const optimum = instance.optimal?.[variant];
          if (typeof optimum === 'number') {
            expect(result.moves.length).toBeGreaterThanOrEqual(optimum);
            expect(result.lowerBound).toBeLessThanOrEqual(optimum);
            if (result.status === 'optimal') expect(result.moves.length).toBe(optimum);
          }
        }
      });
    }
  }

  const small = groups.filter((g) => ['cvs-3-3', 'cvs-4-4', 'zqlz-3-6-15'].includes(g.group));
  for (const group of small) {
    for (const variant of VARIANTS) {
      it(`proves the recorded ${variant} optimum in exact mode (${group.group})`, () => {
        for (const instance of group.instances) {
          const result = solveBrp({ stacks: instance.stacks, maxHeight: group.maxHeight }, { variant, mode: 'exact' });
          expect(result.status).toBe('optimal');
          expect(checkBrpSolution(instance.stacks, group.maxHeight, variant, result.moves).ok).toBe(true);
          expect(result.moves.length).toBe(instance.optimal?.[variant]);
        }
      });
    }
  }
});

describe('solveBrp', () => {
  it('needs no relocation when the blocks already leave in order', () => {
    const result = solveBrp(
      {
        stacks: [
          [3, 1],
          [4, 2],
        ],
        maxHeight: 2,
      },
      { variant: 'restricted', mode: 'exact' },
    );
    expect(result).toEqual({ status: 'optimal', moves: [], lowerBound: 0 });
  });

  it('moves the blocking car before the car due is retrieved', () => {
    const result = solveBrp({ stacks: [[1, 2], []], maxHeight: 2 }, { variant: 'restricted', mode: 'exact' });
    expect(result).toEqual({
      status: 'optimal',
      moves: [[0, 1]],
      lowerBound: 1,
    });
  });

  it('finds a shorter unrestricted plan by pre-staging a block', () => {
    // Restricted must put 5 and 4 on lanes with smaller blocks (4 moves); unrestricted first
    // moves 2 onto 3, emptying a lane for 5 and then 4 (3 moves).
    const stacks = [[1, 4, 5], [3], [2]];
    const r = solveBrp({ stacks, maxHeight: 3 }, { variant: 'restricted', mode: 'exact' });
    const u = solveBrp({ stacks, maxHeight: 3 }, { variant: 'unrestricted', mode: 'exact' });
    expect(checkBrpSolution(stacks, 3, 'restricted', r.moves).ok).toBe(true);
    expect(checkBrpSolution(stacks, 3, 'unrestricted', u.moves).ok).toBe(true);
    expect([r.status, r.moves.length]).toEqual(['optimal', 4]);
    expect([u.status, u.moves.length]).toEqual(['optimal', 3]);
  });

  it('honours a per-lane height limit', () => {
    const stacks = [[1, 3, 2], [], []];
    const result = solveBrp({ stacks, maxHeight: 3, maxHeights: [3, 1, 3] }, { variant: 'restricted', mode: 'exact' });
    expect(checkBrpSolution(stacks, [3, 1, 3], 'restricted', result.moves).ok).toBe(true);
    expect(result.moves.length).toBe(2);
  });

  it('reports infeasible when the target cannot be dug out', () => {
    const result = solveBrp(
      {
        stacks: [
          [1, 2],
          [3, 4],
        ],
        maxHeight: 2,
      },
      { variant: 'restricted', mode: 'exact' },
    );
    expect(result.status).toBe('infeasible');
    expect(result.moves).toEqual([]);
  });

  it('accepts equal priorities and never claims optimality for them', () => {
    const stacks = [[1, 5, 5], [2, 9], []];
    const result = solveBrp({ stacks, maxHeight: 4 }, { variant: 'restricted', mode: 'heuristic' });
    expect(result.status).toBe('feasible');
    expect(result.lowerBound).toBe(3);
    expect(result.moves.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a lane over its height limit', () => {
    expect(() => solveBrp({ stacks: [[1, 2, 3]], maxHeight: 2 }, { variant: 'restricted', mode: 'heuristic' })).toThrow(
      /stack 0 holds 3 blocks, over its height limit 2/,
    );
  });
});
