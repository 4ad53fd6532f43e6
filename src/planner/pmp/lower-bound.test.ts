import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../core/random.js';
import { bfsOptimum, randomRankedLayout, reachableDistances } from '../../../test/pmp-checker.js';
import { parsePmpGroup } from './instance.js';
import { Bay, bayOf, rankLayout, stackCaps } from './layout.js';
import { boundAfterShift, BoundScratch, lowerBound, rootLowerBound, tally } from './lower-bound.js';

const fixtureDir = new URL('../../../test/fixtures/pmp/', import.meta.url);

function boundOf(bay: Bay): number {
  return lowerBound(bay, new BoundScratch(bay.groups, bay.stackCount));
}

function rootBoundOf(bay: Bay): number {
  return rootLowerBound(bay, new BoundScratch(bay.groups, bay.stackCount));
}

/**
 * Small bays near full (3 or 4 stacks of height limit 3, 1–3 free slots, 2–4 values), where the digging term and the
 * "+1" cases fire: full stacks of random values with a few tops taken off.
 */
const nearFullBay = fc
  .record({ stackCount: fc.integer({ min: 3, max: 4 }), values: fc.integer({ min: 2, max: 4 }) })
  .chain(({ stackCount, values }) =>
    fc.record({
      full: fc.array(fc.array(fc.integer({ min: 1, max: values }), { minLength: 3, maxLength: 3 }), {
        minLength: stackCount,
        maxLength: stackCount,
      }),
      drops: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    }),
  )
  .map(({ full, drops }) => {
    const stacks = full.map((s) => s.slice());
    for (const d of drops) stacks[d % stacks.length]!.pop();
    return { stacks, maxHeight: 3 };
  });

/**
 * The property: each bound of every layout reachable from the generated one is at most its exact
 * distance to a sorted layout (breadth-first over the whole component).
 */
function neverAboveOptimum(
  bounds: readonly ((bay: Bay) => number)[],
): fc.IPropertyWithHooks<[{ stacks: number[][]; maxHeight: number }]> {
  return fc.property(nearFullBay, (layout) => {
    const { ranked, groups } = rankLayout(layout);
    const caps = stackCaps(layout);
    for (const { stacks, moves } of reachableDistances(ranked, caps).values()) {
      const bay = Bay.fromRanked(stacks, caps, groups);
      if (bounds.some((bound) => bound(bay) > moves)) return false;
    }
    return true;
  });
}

describe('lowerBound', () => {
  it('with every threshold or one, never exceeds the optimum of layouts reachable from near-full bays', () => {
    fc.assert(neverAboveOptimum([boundOf, rootBoundOf]), { seed: 18, numRuns: 40 });
  });

  it('has a property check that catches a bound one move too high where it is tight', () => {
    // The check above must be able to fail: the bound plus one on unsorted layouts is not admissible.
    const inflated = (bay: Bay): number => {
      const lb = rootBoundOf(bay);
      return lb === 0 ? 0 : lb + 1;
    };
    expect(fc.check(neverAboveOptimum([inflated]), { seed: 18, numRuns: 40, endOnFailure: true }).failed).toBe(true);
  });

  it('never exceeds the exact distance of any layout reachable from small random layouts', () => {
    const next = rng(2024);
    let states = 0;
    let tight = 0;
    const shapes = [
      { stacks: 3, maxHeight: 3, items: 6, values: 6 },
      { stacks: 3, maxHeight: 4, items: 7, values: 3 },
      { stacks: 4, maxHeight: 3, items: 7, values: 4 },
    ];
    for (const [trial, shape] of [...shapes, ...shapes].entries()) {
      const caps = Array.from({ length: shape.stacks }, () => shape.maxHeight);
      const ranked = randomRankedLayout(next, caps, shape.items, shape.values);
      for (const { stacks, moves } of reachableDistances(ranked.stacks, caps).values()) {
        const bound = boundOf(Bay.fromRanked(stacks, caps, ranked.groups));
        if (bound > moves) expect({ trial, stacks, bound }).toEqual({ trial, stacks, bound: moves });
        if (bound === moves) tight++;
        states++;
      }
    }
    expect(states).toBeGreaterThan(10_000);
    expect(tight).toBeGreaterThan(states / 3);
  });

  it('with a cutoff, gives the full bound when it is within the cutoff and more than the cutoff otherwise', () => {
    const next = rng(77);
    let cut = 0;
    for (let trial = 0; trial < 400; trial++) {
      const stacks: number[][] = Array.from({ length: 5 }, () => []);
      for (let i = 0; i < 18; i++) stacks[Math.floor(next() * 5)]!.push(1 + Math.floor(next() * 12));
      const bay = Bay.fromRanked(
        stacks.map((s) => s.slice(0, 6)),
        [6, 6, 6, 6, 6],
        12,
      );
      const scratch = new BoundScratch(bay.groups, bay.stackCount);
      const full = lowerBound(bay, scratch);
      const cutoff = Math.floor(next() * (full + 2));
      const partial = lowerBound(bay, scratch, cutoff);
      if (full <= cutoff) expect(partial).toBe(full);
      else {
        expect(partial).toBeGreaterThan(cutoff);
        expect(partial).toBeLessThanOrEqual(full);
        cut++;
      }
    }
    expect(cut).toBeGreaterThan(50);
  });

  it('after a shift, gives from the tally of the layout before it the bound of the layout after it', () => {
    const next = rng(555);
    let compared = 0;
    for (let trial = 0; trial < 300; trial++) {
      const caps = trial % 2 === 0 ? [5, 5, 5, 5, 5] : [4, 6, 3, 5];
      const ranked = randomRankedLayout(next, caps, 6 + (trial % 12), trial % 3 === 0 ? 4 : 14);
      const bay = Bay.fromRanked(ranked.stacks, caps, ranked.groups);
      const scratch = new BoundScratch(bay.groups, bay.stackCount);
      const fresh = new BoundScratch(bay.groups, bay.stackCount);
      tally(bay, scratch);
      for (let from = 0; from < caps.length; from++) {
        for (let to = 0; to < caps.length; to++) {
          if (!bay.canMove(from, to)) continue;
          const sortedFrom = bay.sortedLen[from]!;
          bay.shift(from, to);
          const cutoff = Math.floor(next() * 12);
          const full = lowerBound(bay, fresh);
          const incremental = boundAfterShift(bay, scratch, from, to, Number.POSITIVE_INFINITY);
          const cut = boundAfterShift(bay, scratch, from, to, cutoff);
          expect({ trial, from, to, incremental }).toEqual({ trial, from, to, incremental: full });
          expect(cut).toBe(lowerBound(bay, fresh, cutoff));
          bay.unshift(from, to, sortedFrom);
          compared++;
        }
      }
      // The tally is left as it was: a fresh one of the same layout reads the same.
      const again = new BoundScratch(bay.groups, bay.stackCount);
      tally(bay, again);
      expect([scratch.badCount, scratch.supply, scratch.badHeight]).toEqual([
        again.badCount,
        again.supply,
        again.badHeight,
      ]);
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it('stays at or below the recorded optimum of every committed fixture', () => {
    let checked = 0;
    for (const file of readdirSync(fixtureDir).filter((f) => f.endsWith('.json'))) {
      const parsed = parsePmpGroup(JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8')) as unknown);
      if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
      for (const inst of parsed.group.instances) {
        if (inst.optimal === null) continue;
        expect(boundOf(bayOf(inst))).toBeLessThanOrEqual(inst.optimal);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('at the root, counts the digging at every rank threshold, not only at the largest surplus', () => {
    // Badly placed: 4 5 on [4 3]. The largest surplus is at rank 4 (two items, no slot), where
    // digging the 3 opens a stack; but the 5 alone needs a stack with only ranks ≥ 5 below, and
    // every stack has two well-placed items of lower rank to dig off first.
    const layout = {
      stacks: [
        [2, 1],
        [4, 3, 4, 5],
        [6, 1, 1],
      ],
      maxHeight: 4,
    };
    expect(boundOf(bayOf(layout))).toBe(3);
    expect(rootBoundOf(bayOf(layout))).toBe(4);
    expect(bfsOptimum(layout.stacks, stackCaps(layout))).toBe(4);
  });

  it('reaches the optimum where every stack is unsorted and none can feed the first clean one', () => {
    // Badly placed items: 4 | 6 8 | 3. Cleaning a stack parks at least one item (Tanaka & Tierney's
    // nBX term), and the first clean stack has top 1 or 2 while every badly placed part holds a
    // larger item, so one more move is wasted (their "+1"); digging adds one more.
    const layout = {
      stacks: [
        [1, 4],
        [7, 5, 6, 8],
        [2, 3],
      ],
      maxHeight: 4,
    };
    expect(boundOf(bayOf(layout))).toBe(bfsOptimum(layout.stacks, stackCaps(layout)));
    expect(boundOf(bayOf(layout))).toBe(7);
  });
});
