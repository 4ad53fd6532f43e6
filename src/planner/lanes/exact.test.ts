import { describe, expect, it } from 'vitest';
import { VEHICLE_SIZES } from '../../core/layout.js';
import { mulberry32 } from '../../core/random.js';
import type { LaneProblem } from './exact.js';
import { checkLaneMoves, solveLanesExact } from './exact.js';
import { solveLanesHeuristic } from './heuristic.js';
import type { Night } from './night.js';

/** A random small night with mixed depths, through lanes, size limits, closed places and keyless cars. */
function randomNight(seed: number): { night: Night; start: number[] } {
  const r = mulberry32(seed);
  const int = (a: number, b: number): number => a + Math.floor(r() * (b - a + 1));
  const lanes: Night['lanes'] = Array.from({ length: int(2, 4) }, () => ({
    access: r() < 0.35 ? ('through' as const) : ('one-end' as const),
    places: Array.from({ length: int(1, 5) }, () => ({
      maxSize: r() < 0.2 ? VEHICLE_SIZES[int(0, 1)]! : 'large',
      closed: r() < 0.1,
    })),
  }));
  const places = lanes.flatMap((l) => l.places);
  const carCount = Math.min(int(2, 6), places.length - 1);
  const times = Array.from({ length: carCount }, () => int(0, 5) * 10).sort((a, b) => a - b);
  const cars: Night['cars'] = times.map((leaves) => ({
    leaves,
    size: r() < 0.3 ? 'small' : r() < 0.8 ? 'standard' : 'large',
    movable: r() >= 0.15,
  }));
  const start = new Array<number>(places.length).fill(-1);
  for (let c = 0; c < cars.length; c++) {
    const free = places
      .map((p, i) => ({ p, i }))
      .filter(
        ({ p, i }) =>
          start[i] === -1 && !p.closed && VEHICLE_SIZES.indexOf(p.maxSize) >= VEHICLE_SIZES.indexOf(cars[c]!.size),
      );
    if (free.length === 0) break;
    start[free[int(0, free.length - 1)]!.i] = c;
  }
  return { night: { lanes, cars }, start };
}

/**
 * The optimum by breadth-first search over whole lots, with its own reading of the rules (the
 * referee): lanes as arrays, a car gets out if every place toward one open end is empty.
 */
function optimumByBfs(night: Night, start: number[], problem: LaneProblem): number {
  const lanes: number[][] = [];
  let k = 0;
  for (const lane of night.lanes) lanes.push(lane.places.map(() => start[k++]!));
  const clear = (lane: number[], through: boolean, i: number): boolean =>
    lane.slice(0, i).every((c) => c < 0) || (through && lane.slice(i + 1).every((c) => c < 0));
  const through = night.lanes.map((l) => l.access === 'through');
  const leaves = (c: number): number => night.cars[c]!.leaves;
  const settle = (lot: number[][]): void => {
    if (problem !== 'retrieve') return;
    for (;;) {
      const present = lot.flat().filter((c) => c >= 0);
      if (present.length === 0) return;
      const first = Math.min(...present.map(leaves));
      let any = false;
      lot.forEach((lane, l) =>
        lane.forEach((c, i) => {
          if (c >= 0 && leaves(c) === first && clear(lane, through[l]!, i)) {
            lane[i] = -1;
            any = true;
          }
        }),
      );
      if (!any) return;
    }
  };
  /** Zero relocations needed tomorrow: retrieving from this lot never meets a car in the way. */
  const sorted = (lot: number[][]): boolean => {
    const copy = lot.map((l) => [...l]);
    const saved = problem;
    if (saved === 'resort') {
      for (;;) {
        const present = copy.flat().filter((c) => c >= 0);
        if (present.length === 0) return true;
        const first = Math.min(...present.map(leaves));
        let any = false;
        copy.forEach((lane, l) =>
          lane.forEach((c, i) => {
            if (c >= 0 && leaves(c) === first && clear(lane, through[l]!, i)) {
              lane[i] = -1;
              any = true;
            }
          }),
        );
        if (!any) return false;
      }
    }
    return copy.every((l) => l.every((c) => c < 0));
  };
  const root = lanes.map((l) => [...l]);
  settle(root);
  let frontier = [root];
  const seen = new Set([JSON.stringify(root)]);
  for (let depth = 0; frontier.length > 0 && depth < 12; depth++) {
    const next: number[][][] = [];
    for (const lot of frontier) {
      if (sorted(lot)) return depth;
      lot.forEach((lane, l) =>
        lane.forEach((car, i) => {
          if (car < 0 || !night.cars[car]!.movable || !clear(lane, through[l]!, i)) return;
          lot.forEach((lane2, l2) =>
            lane2.forEach((c2, j) => {
              if (c2 >= 0 || (l2 === l && j === i)) return;
              const place = night.lanes[l2]!.places[j]!;
              if (place.closed || VEHICLE_SIZES.indexOf(place.maxSize) < VEHICLE_SIZES.indexOf(night.cars[car]!.size))
                return;
              const child = lot.map((x) => [...x]);
              child[l]![i] = -1;
              if (!clear(child[l2]!, through[l2]!, j)) return;
              child[l2]![j] = car;
              settle(child);
              const key = JSON.stringify(child);
              if (seen.has(key)) return;
              seen.add(key);
              next.push(child);
            }),
          );
        }),
      );
    }
    frontier = next;
  }
  return Infinity;
}

describe('exact lane solvers against a breadth-first referee', () => {
  for (const problem of ['retrieve', 'resort'] as const) {
    it(`finds the breadth-first optimum of ${problem} on 150 random small nights`, () => {
      let solvable = 0;
      for (let seed = 1; seed <= 150; seed++) {
        const { night, start } = randomNight(seed * 7919 + (problem === 'retrieve' ? 0 : 1));
        const referee = optimumByBfs(night, start, problem);
        const exact = solveLanesExact(night, start, problem, { maxNodes: 200_000 });
        if (referee === Infinity) {
          expect(exact.moves === null || exact.moves.length > 11, `seed ${seed}`).toBe(true);
          continue;
        }
        solvable++;
        expect(exact.proved, `seed ${seed}`).toBe(true);
        expect(exact.moves?.length, `seed ${seed}`).toBe(referee);
        expect(checkLaneMoves(night, start, problem, exact.moves ?? []), `seed ${seed}`).toBeNull();
        const heuristic = solveLanesHeuristic(night, start, problem);
        if (heuristic.moves !== null) {
          expect(checkLaneMoves(night, start, problem, heuristic.moves), `seed ${seed}`).toBeNull();
          expect(heuristic.moves.length).toBeGreaterThanOrEqual(referee);
        }
      }
      expect(solvable).toBeGreaterThan(100);
    });
  }

  it('uses the second open end of a through lane', () => {
    const night: Night = {
      lanes: [
        { access: 'through', places: Array.from({ length: 3 }, () => ({ maxSize: 'large' as const, closed: false })) },
      ],
      cars: [
        { leaves: 1, size: 'standard', movable: true },
        { leaves: 2, size: 'standard', movable: true },
        { leaves: 3, size: 'standard', movable: true },
      ],
    };
    // 2 | 1 | 0 : car 0 leaves by the back, then 1, then 2, with no relocation.
    expect(solveLanesExact(night, [2, 1, 0], 'retrieve').moves).toEqual([]);
    // 1 | 2 | 0 in a one-end lane, two free places beside: 1 and 2 go there, and one of them is in
    // the other's way there (they cannot be stacked in leaving order), so 3.
    const oneEnd: Night = {
      ...night,
      lanes: [
        { ...night.lanes[0]!, access: 'one-end' },
        {
          access: 'one-end',
          places: [
            { maxSize: 'large', closed: false },
            { maxSize: 'large', closed: false },
          ],
        },
      ],
    };
    expect(solveLanesExact(oneEnd, [1, 2, 0, -1, -1], 'retrieve').moves?.length).toBe(3);
  });

  it('never moves a keyless car and knows when nothing can be done', () => {
    const night: Night = {
      lanes: [
        {
          access: 'one-end',
          places: [
            { maxSize: 'large', closed: false },
            { maxSize: 'large', closed: false },
          ],
        },
      ],
      cars: [
        { leaves: 1, size: 'standard', movable: true },
        { leaves: 2, size: 'standard', movable: false },
      ],
    };
    const result = solveLanesExact(night, [1, 0], 'retrieve');
    expect(result.moves).toBeNull();
    expect(result.proved).toBe(true);
  });
});
