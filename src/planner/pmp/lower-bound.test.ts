import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../core/random.js';
import { bfsOptimum, randomRankedLayout, reachableDistances } from '../../../test/pmp-checker.js';
import { parsePmpGroup } from './instance.js';
import { Bay, bayOf, stackCaps } from './layout.js';
import { boundAfterShift, BoundScratch, lowerBound, tally } from './lower-bound.js';

const fixtureDir = new URL('../../../test/fixtures/pmp/', import.meta.url);

function boundOf(bay: Bay): number {
  return lowerBound(bay, new BoundScratch(bay.groups, bay.stackCount));
}

describe('lowerBound', () => {
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
