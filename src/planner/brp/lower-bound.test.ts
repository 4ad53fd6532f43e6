import { describe, expect, it } from 'vitest';
import { loadBrpFixtures } from '../../../test/brp-checker.js';
import { lcg, randomStacks } from '../../../test/support/brp-random.js';
import { BayState } from './bay.js';
import { LowerBound } from './lower-bound.js';

function bounds(stacks: number[][], maxHeight: number): { restricted: number; unrestricted: number; blocking: number } {
  const bay = BayState.fromRanks(
    stacks,
    stacks.map(() => maxHeight),
  );
  const lb = new LowerBound(stacks.length);
  return {
    restricted: lb.restricted(bay),
    unrestricted: lb.unrestricted(bay),
    blocking: bay.blocking,
  };
}

describe('LowerBound', () => {
  it('never exceeds the recorded optima of the committed instances', () => {
    for (const group of loadBrpFixtures()) {
      for (const instance of group.instances) {
        const b = bounds(instance.stacks, group.maxHeight);
        expect(b.restricted).toBeGreaterThanOrEqual(b.blocking);
        expect(b.unrestricted).toBeGreaterThanOrEqual(b.blocking);
        const r = instance.optimal?.restricted;
        const u = instance.optimal?.unrestricted;
        if (typeof r === 'number') expect(b.restricted, instance.name).toBeLessThanOrEqual(r);
        if (typeof u === 'number') expect(b.unrestricted, instance.name).toBeLessThanOrEqual(u);
      }
    }
  });

  it('does not count a good placement that spoils two later ones (data5-6-22, optimum 20)', () => {
    // Digging 3 out of lane 1 (13, 29, 25 above it): putting 13 on [30] would leave 29 and 25
    // nowhere good; the optimum puts 13 somewhere bad and both 29 and 25 on [30].
    const stacks = [
      [20, 18, 14, 17, 12],
      [28, 3, 25, 29, 13],
      [11, 9, 23, 27, 8],
      [30, 2, 16, 5, 15],
      [4, 21, 1, 19, 6],
      [7, 26, 10, 22, 24],
    ];
    expect(bounds(stacks, 7).restricted).toBeLessThanOrEqual(20);
  });

  it('adds one for a block that has nowhere good to go', () => {
    // 3 must leave lane 0; the only other lane holds 2, so 3 moves twice.
    expect(bounds([[1, 3], [2]], 3).restricted).toBe(2);
    expect(bounds([[1, 3], [2]], 3).blocking).toBe(1);
  });
});

describe('LowerBound (restricted dig search)', () => {
  /** Most good placements of `dig` (top first) over stacks of minimums `mins`, any choice. */
  function mostGood(dig: readonly number[], mins: number[], i = 0): number {
    if (i === dig.length) return 0;
    const b = dig[i]!;
    let most = mostGood(dig, mins, i + 1);
    for (let u = 0; u < mins.length; u++) {
      const m = mins[u]!;
      if (m <= b) continue;
      mins[u] = b;
      most = Math.max(most, 1 + mostGood(dig, mins, i + 1));
      mins[u] = m;
    }
    return most;
  }

  it("counts a dig's bad placements as a search over every destination does", () => {
    const random = lcg(4242);
    let spoiled = 0;
    for (let trial = 0; trial < 600; trial++) {
      // block 1 at the bottom of lane 0 under the dig; the other lanes fall towards their tops,
      // so after the dig every block is due on top: the bound is the blocking count plus this
      // one dig's bad placements
      const stackCount = 3 + random(5);
      const maxHeight = 3 + random(5);
      const k = 1 + random(maxHeight - 1);
      const heights = [1 + k];
      for (let u = 1; u < stackCount; u++) heights.push(random(maxHeight + 1));
      const n = heights.reduce((a, b) => a + b, 0);
      const ranks = Array.from({ length: n - 1 }, (_, i) => i + 2);
      for (let i = ranks.length - 1; i > 0; i--) {
        const j = random(i + 1);
        [ranks[i], ranks[j]] = [ranks[j]!, ranks[i]!];
      }
      const stacks = [[1, ...ranks.slice(0, k)]];
      let next = k;
      for (let u = 1; u < stackCount; u++) {
        stacks.push(ranks.slice(next, next + heights[u]!).sort((a, b) => b - a));
        next += heights[u]!;
      }
      const dig = stacks[0]!.slice(1).reverse();
      // a full lane takes nothing before its own dig; an empty one takes anything
      const mins = stacks
        .slice(1)
        .filter((stack) => stack.length < maxHeight)
        .map((stack) => (stack.length === 0 ? n + 1 : stack.at(-1)!));
      const good = mostGood(dig, mins);
      const { restricted, blocking } = bounds(stacks, maxHeight);
      expect(blocking).toBe(k);
      expect(restricted, JSON.stringify(stacks)).toBe(k + k - good);
      // greedy best fit alone would count more bad placements here
      let greedy = 0;
      const fit = [...mins];
      for (const b of dig) {
        let best = -1;
        for (let u = 0; u < fit.length; u++) if (fit[u]! > b && (best < 0 || fit[u]! < fit[best]!)) best = u;
        if (best >= 0) {
          fit[best] = b;
          greedy++;
        }
      }
      if (greedy < good) spoiled++;
    }
    expect(spoiled).toBeGreaterThan(0);
  });
});

describe('LowerBound (unrestricted)', () => {
  it('with a cap, is exact up to the cap and a valid bound over it', () => {
    const random = lcg(4242);
    let over = 0;
    let exact = 0;
    for (const group of loadBrpFixtures()) {
      for (const instance of group.instances) {
        const bay = BayState.fromRanks(
          instance.stacks,
          instance.stacks.map(() => group.maxHeight),
        );
        const lb = new LowerBound(bay.stackCount);
        // a few random relocations give states beyond the roots
        for (let step = 0; step < 6 && !bay.isDone(); step++) {
          const fresh = lb.unrestricted(bay);
          for (let cap = bay.blocking - 1; cap <= fresh + 1; cap++) {
            const capped = lb.unrestricted(bay, cap);
            if (fresh <= cap) {
              expect(capped, instance.name).toBe(fresh);
              exact++;
            } else {
              expect(capped, instance.name).toBeGreaterThan(cap);
              expect(capped, instance.name).toBeLessThanOrEqual(fresh);
              over++;
            }
          }
          const from = random(bay.stackCount);
          const to = random(bay.stackCount);
          if (from !== to && bay.height[from]! > 0 && !bay.isFull(to)) bay.relocate(from, to);
        }
      }
    }
    expect(over).toBeGreaterThan(50);
    expect(exact).toBeGreaterThan(50);
  });

  it('charges a relocation when no blocking top block can go anywhere good (LB-TS)', () => {
    // 3 and 4 both block and every lane's minimum is below both: one of them moves twice.
    const bay = BayState.fromRanks(
      [
        [1, 3],
        [2, 4],
      ],
      [3, 3],
    );
    expect(bay.blocking).toBe(2);
    expect(new LowerBound(2).tanakaUnrestricted(bay)).toBe(3);
  });

  it('adds nothing to the blocking count while a lane is empty (LB-TS)', () => {
    const bay = BayState.fromRanks([[1, 3], [2, 4], []], [3, 3, 3]);
    expect(new LowerBound(3).tanakaUnrestricted(bay)).toBe(bay.blocking);
  });
});

describe('LowerBound.restrictedAfterMove', () => {
  it('equals the restricted bound counted afresh, along random restricted walks', () => {
    const random = lcg(777);
    let compared = 0;
    let reused = 0;
    for (let trial = 0; trial < 400; trial++) {
      const stackCount = 3 + random(5);
      const maxHeight = 3 + random(3);
      const blocks = Math.min(stackCount * maxHeight - 1, stackCount * 2 + random(stackCount * 2));
      const stacks = randomStacks(random, stackCount, maxHeight, blocks);
      const bay = BayState.fromRanks(
        stacks,
        stacks.map(() => maxHeight),
      );
      const lb = new LowerBound(stackCount);
      // one buffer: the parent's row first, then one per destination, then a scratch row
      const row = LowerBound.rowLength(blocks);
      const rows = new Int32Array(row * (stackCount + 2));
      const scratch = row * (stackCount + 1);
      lb.restricted(bay, 0x3fffffff, rows, 0);
      while (!bay.isDone()) {
        const from = bay.stackOf[bay.next]!;
        const moved = bay.top(from);
        const target = bay.next;
        const legal: number[] = [];
        for (let to = 0; to < stackCount; to++) {
          if (to === from || bay.isFull(to)) continue;
          const r = bay.relocate(from, to);
          // with a cap the count may stop early, but never on the wrong side of the cap
          const cap = bay.blocking + random(3);
          const fresh = lb.restricted(bay);
          const quick = lb.restrictedAfterMove(bay, to, moved, target, 0x3fffffff, rows, 0, (to + 1) * row);
          const capped = lb.restrictedAfterMove(bay, to, moved, target, cap, rows, 0, scratch);
          expect(quick, JSON.stringify(stacks)).toBe(fresh);
          expect(capped > cap).toBe(fresh > cap);
          if (fresh > bay.blocking) reused++;
          compared++;
          legal.push(to);
          bay.undo(from, to, r);
        }
        if (legal.length === 0) break;
        const to = legal[random(legal.length)]!;
        bay.relocate(from, to);
        rows.copyWithin(0, (to + 1) * row, (to + 2) * row);
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // the bound must exceed the blocking count often, or the comparison tests little
    expect(reused).toBeGreaterThan(100);
  });
});
