import { describe, expect, it } from 'vitest';
import { checkBrpSolution } from '../../../test/brp-checker.js';
import { lcg, randomStacks } from '../../../test/support/brp-random.js';
import { BayState } from './bay.js';
import { idaStar } from './exact.js';
import { LowerBound } from './lower-bound.js';
import { solveBrp } from './solve.js';
import type { BrpVariant } from './types.js';

/** Optimum by breadth-first search over layouts (an independent referee for tiny bays). */
function optimumByBfs(stacks: number[][], maxHeight: number, variant: BrpVariant): number {
  const settle = (layout: number[][]): number[][] => {
    let next = Math.min(Infinity, ...layout.flat());
    for (let moved = true; moved;) {
      moved = false;
      for (const stack of layout) {
        if (stack.length > 0 && stack[stack.length - 1] === next) {
          stack.pop();
          next = Math.min(Infinity, ...layout.flat());
          moved = true;
        }
      }
    }
    return layout;
  };
  let frontier = [settle(stacks.map((s) => [...s]))];
  const seen = new Set(frontier.map((l) => JSON.stringify(l)));
  for (let depth = 0; frontier.length > 0; depth++) {
    const following: number[][][] = [];
    for (const layout of frontier) {
      if (layout.every((s) => s.length === 0)) return depth;
      const target = Math.min(...layout.flat());
      for (let from = 0; from < layout.length; from++) {
        if (layout[from]!.length === 0) continue;
        if (variant === 'restricted' && !layout[from]!.includes(target)) continue;
        for (let to = 0; to < layout.length; to++) {
          if (to === from || layout[to]!.length >= maxHeight) continue;
          const child = layout.map((s) => [...s]);
          child[to]!.push(child[from]!.pop()!);
          settle(child);
          const key = JSON.stringify(child);
          if (!seen.has(key)) {
            seen.add(key);
            following.push(child);
          }
        }
      }
    }
    frontier = following;
  }
  return Infinity;
}

/** Small random bays (ranks 1..n) from a seeded generator. */
function randomBays(
  count: number,
  seed: number,
  size = { stacks: 3, heights: 3, extraBlocks: 2 },
): { stacks: number[][]; maxHeight: number }[] {
  const random = lcg(seed);
  const bays: { stacks: number[][]; maxHeight: number }[] = [];
  for (let trial = 0; trial < count; trial++) {
    const stackCount = size.stacks + random(2);
    const maxHeight = size.heights + random(2);
    const blocks = stackCount + size.extraBlocks + random(stackCount);
    bays.push({ stacks: randomStacks(random, stackCount, maxHeight, blocks), maxHeight });
  }
  return bays;
}

/**
 * What an exact search of `bay` starts from: its state, a lower bound, the plan-length cap both
 * tests give it (blocks × stacks + 1, above any optimum), and a label for failures.
 */
function searchOf(bay: { stacks: number[][]; maxHeight: number }): {
  state: BayState;
  lb: LowerBound;
  cap: number;
  label: string;
} {
  const S = bay.stacks.length;
  const state = BayState.fromRanks(
    bay.stacks,
    bay.stacks.map(() => bay.maxHeight),
  );
  return { state, lb: new LowerBound(S), cap: state.blockCount * S + 1, label: JSON.stringify(bay.stacks) };
}
describe('the planner against breadth-first search on small random bays', () => {
  // wider bays give the history rules (transitive, retrieval, IB) room to act
  const bays = randomBays(120, 12345).concat(randomBays(80, 2024, { stacks: 4, heights: 3, extraBlocks: 0 }));
  const optimum = new Map<string, number>();
  const optimumOf = (bay: { stacks: number[][]; maxHeight: number }, variant: BrpVariant): number => {
    const key = `${variant}${JSON.stringify(bay)}`;
    let value = optimum.get(key);
    if (value === undefined) {
      value = optimumByBfs(bay.stacks, bay.maxHeight, variant);
      optimum.set(key, value);
    }
    return value;
  };

  it('never bounds above the optimum, in either variant', () => {
    let stronger = 0;
    for (const bay of bays) {
      const state = BayState.fromRanks(
        bay.stacks,
        bay.stacks.map(() => bay.maxHeight),
      );
      const lb = new LowerBound(bay.stacks.length);
      const u = lb.unrestricted(state);
      const label = JSON.stringify(bay.stacks);
      expect(u, label).toBeLessThanOrEqual(optimumOf(bay, 'unrestricted'));
      expect(lb.restricted(state), label).toBeLessThanOrEqual(optimumOf(bay, 'restricted'));
      if (u > state.blocking) stronger++;
    }
    // the bound must do more than the blocking count on some of them, or it tests nothing
    expect(stronger).toBeGreaterThan(10);
  });

  // without the beam's incumbent the search must find the optimal plan itself, so a pruning
  // rule that cuts every optimal plan fails here (solveBrp would fall back on the beam's plan)
  for (const [variant, tableBits] of [
    ['restricted', 0],
    ['unrestricted', 0],
    ['unrestricted', 14],
  ] as const) {
    it(`finds and proves the optimum by exact search alone (${variant}, table bits ${tableBits})`, () => {
      for (const bay of bays) {
        const { state, lb, cap, label } = searchOf(bay);
        const best = optimumOf(bay, variant);
        const found = idaStar(state, variant, lb, cap, () => false, tableBits);
        // found in the round whose limit is its length: a cut that misses it there shows
        expect(found, label).toMatchObject({ complete: true, lowerBound: best });
        expect(found.moves?.length, label).toBe(best);
        expect(checkBrpSolution(bay.stacks, bay.maxHeight, variant, found.moves ?? []).ok, label).toBe(true);
        // with the optimum as the incumbent, no shorter plan turns up
        const proof = idaStar(state, variant, lb, best, () => false, tableBits);
        expect(proof, label).toMatchObject({ complete: true, moves: null, lowerBound: best });
      }
    });
  }

  // exact mode stops its first search after a short slice and resumes from the bound it proved;
  // on bays too large for breadth-first search, an uninterrupted search (checked above) referees
  for (const variant of ['restricted', 'unrestricted'] as const) {
    it(`resumes an interrupted search from the bound it proved (${variant})`, () => {
      let interrupted = 0;
      for (const bay of randomBays(30, 777, { stacks: 6, heights: 5, extraBlocks: 16 })) {
        const { state, lb, cap, label } = searchOf(bay);
        const best = idaStar(state, variant, lb, cap, () => false, 0).lowerBound;
        // the search asks after its first 16 nodes
        const first = idaStar(state, variant, lb, cap, () => true, 0);
        if (first.complete) continue;
        interrupted++;
        expect(first.lowerBound, label).toBeLessThanOrEqual(best);
        const rest = idaStar(state, variant, lb, cap, () => false, 0, undefined, first.lowerBound);
        expect(rest, label).toMatchObject({ complete: true, lowerBound: best });
        expect(rest.moves?.length, label).toBe(best);
        expect(checkBrpSolution(bay.stacks, bay.maxHeight, variant, rest.moves ?? []).ok, label).toBe(true);
      }
      expect(interrupted).toBeGreaterThan(10);
    });
  }

  // exact mode with a clock runs search, short beam, search, beam, search, each resuming from
  // what the last proved; a clock that moves a millisecond a read cuts every stage short
  for (const variant of ['restricted', 'unrestricted'] as const) {
    it(`proves the optimum in exact mode when its slices and beams are cut short (${variant})`, () => {
      let proved = 0;
      for (const bay of randomBays(30, 4242, { stacks: 6, heights: 5, extraBlocks: 16 })) {
        const { state, lb, cap, label } = searchOf(bay);
        const best = idaStar(state, variant, lb, cap, () => false, 0).lowerBound;
        let now = 0;
        const clock = (): number => ++now;
        const result = solveBrp(bay, { variant, mode: 'exact', clock, timeLimitMs: 1e6 });
        expect(checkBrpSolution(bay.stacks, bay.maxHeight, variant, result.moves).ok, label).toBe(true);
        expect(result.moves.length, label).toBeGreaterThanOrEqual(best);
        expect(result.lowerBound, label).toBeLessThanOrEqual(best);
        if (result.status === 'optimal') {
          expect(result.moves.length, label).toBe(best);
          proved++;
        }
      }
      expect(proved).toBe(30);
    });
  }

  for (const variant of ['restricted', 'unrestricted'] as const) {
    it(`proves the optimum in exact mode with a legal plan (${variant})`, () => {
      for (const bay of bays) {
        const result = solveBrp(bay, { variant, mode: 'exact' });
        const label = JSON.stringify(bay.stacks);
        expect(result.status, label).toBe('optimal');
        expect(result.moves.length, label).toBe(optimumOf(bay, variant));
        expect(checkBrpSolution(bay.stacks, bay.maxHeight, variant, result.moves).ok, label).toBe(true);
      }
    });
  }
});

// Unrestricted heuristic mode hands the exact search a failure table whose key records the history
// of top blocks only, while rule TB also reads when a buried relocated block arrived once it
// surfaces. Two paths to one layout can thus share an entry though their pruning differs. TB saves
// a relocation, so it never cuts a plan of optimal length whatever the history, and the rules that
// only break ties (TC, the order of independent moves) read what the key records; these tests
// referee that argument on bays where the table does cut nodes.
describe('the failure table against independent optima', () => {
  const TABLE_BITS = 14;
  /** An incumbent above the optimum, as the beams hand the search one. */
  const SLACK = 2;
  /** Heuristic mode's clock: a millisecond a read, so the beams stop early and the search runs. */
  const steppingClock = (): (() => number) => {
    let now = 0;
    return () => ++now;
  };

  const checkTable = (
    bays: { stacks: number[][]; maxHeight: number }[],
    optimumOf: (bay: { stacks: number[][]; maxHeight: number }, variant: BrpVariant) => number,
  ): { cut: number; proved: number } => {
    let cut = 0;
    let proved = 0;
    for (const bay of bays) {
      const { state, lb, label } = searchOf(bay);
      for (const variant of ['restricted', 'unrestricted'] as const) {
        const best = optimumOf(bay, variant);
        const withTable = idaStar(state, variant, lb, best + SLACK, () => false, TABLE_BITS);
        expect(withTable, `${variant} ${label}`).toMatchObject({ complete: true, lowerBound: best });
        expect(withTable.moves?.length, `${variant} ${label}`).toBe(best);
        if (withTable.nodes < idaStar(state, variant, lb, best + SLACK, () => false, 0).nodes) cut++;
      }
      const best = optimumOf(bay, 'unrestricted');
      const result = solveBrp(bay, { variant: 'unrestricted', mode: 'heuristic', clock: steppingClock() });
      expect(result.lowerBound, label).toBeLessThanOrEqual(best);
      expect(result.moves.length, label).toBeGreaterThanOrEqual(best);
      if (result.status === 'optimal') {
        expect(result.moves.length, label).toBe(best);
        proved++;
      }
    }
    return { cut, proved };
  };

  it('claims only true optima and bounds on small bays (breadth-first referee)', () => {
    const bays = randomBays(600, 8080);
    const { proved } = checkTable(bays, (bay, variant) => optimumByBfs(bay.stacks, bay.maxHeight, variant));
    expect(proved).toBeGreaterThan(bays.length / 2);
  });

  // too wide for breadth-first search: the search without a table, refereed above, is the referee
  it('claims only true optima and bounds where the table cuts nodes', () => {
    const bays = randomBays(300, 6161, { stacks: 6, heights: 4, extraBlocks: 10 });
    const { cut } = checkTable(bays, (bay, variant) => {
      const { state, lb, cap } = searchOf(bay);
      return idaStar(state, variant, lb, cap, () => false, 0).lowerBound;
    });
    // the table must act on some of them, or this tests nothing
    expect(cut).toBeGreaterThan(2);
  });
});
