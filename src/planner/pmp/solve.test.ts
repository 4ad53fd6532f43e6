import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../core/random.js';
import { bfsOptimum, checkPmpSolution } from '../../../test/pmp-checker.js';
import { parsePmpGroup, type PmpInstance } from './instance.js';
import { bayOf, stackCaps, type PmpLayout } from './layout.js';
import { BoundScratch, lowerBound } from './lower-bound.js';
import { solvePmp } from './solve.js';

const fixtureDir = new URL('../../../test/fixtures/pmp/', import.meta.url);

function loadFixtures(): { file: string; instances: readonly PmpInstance[] }[] {
  return readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = parsePmpGroup(JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8')) as unknown);
      if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
      return { file, instances: parsed.group.instances };
    });
}

/** A deterministic clock: every reading advances one tick. */
function tickClock(): () => number {
  let t = 0;
  return () => t++;
}

function randomLayout(next: () => number, stacks: number, tiers: number, maxHeight: number, groups: number): PmpLayout {
  const items = Array.from({ length: stacks * tiers }, () => 1 + Math.floor(next() * groups));
  const layout: number[][] = Array.from({ length: stacks }, () => []);
  for (const v of items) {
    let s = Math.floor(next() * stacks);
    while (layout[s]!.length >= maxHeight - 1) s = (s + 1) % stacks;
    layout[s]!.push(v);
  }
  return { stacks: layout, maxHeight };
}

describe('solvePmp on the committed fixtures', () => {
  for (const { file, instances } of loadFixtures()) {
    for (const inst of instances) {
      it(`sorts ${file} ${inst.name} with legal moves (heuristic)`, () => {
        const result = solvePmp(inst, { mode: 'heuristic', clock: tickClock(), deadline: 1000 });
        expect(result.status === 'optimal' || result.status === 'feasible').toBe(true);
        const check = checkPmpSolution(inst.stacks, stackCaps(inst), result.moves);
        expect(check).toMatchObject({ ok: true });
        expect(result.lowerBound).toBeLessThanOrEqual(result.moves.length);
        if (inst.optimal !== null) {
          expect(result.lowerBound).toBeLessThanOrEqual(inst.optimal);
          expect(result.moves.length).toBeGreaterThanOrEqual(inst.optimal);
        }
      });
    }
  }
});

describe('exact mode', () => {
  it('proves the breadth-first optimum on small random layouts', () => {
    const next = rng(7);
    let checked = 0;
    for (let trial = 0; trial < 16; trial++) {
      const layout = randomLayout(next, 3 + (trial % 2), 3 - (trial % 2), 4, trial % 3 === 0 ? 4 : 9);
      const caps = stackCaps(layout);
      const optimum = bfsOptimum(layout.stacks, caps, 100_000);
      if (optimum === undefined) continue;
      const result = solvePmp(layout, { mode: 'exact', clock: tickClock(), deadline: 1e12 });
      expect(result.status).toBe('optimal');
      expect(result.moves.length).toBe(optimum);
      expect(checkPmpSolution(layout.stacks, caps, result.moves)).toMatchObject({ ok: true });
      checked++;
    }
    expect(checked).toBeGreaterThan(8);
  });

  it('handles stacks with different height limits', () => {
    const layout: PmpLayout = { stacks: [[1, 3], [2], []], maxHeight: 4, maxHeights: [2, 4, 1] };
    const caps = stackCaps(layout);
    const result = solvePmp(layout, { mode: 'exact', clock: tickClock(), deadline: 1e12 });
    expect(result.status).toBe('optimal');
    expect(result.moves.length).toBe(bfsOptimum(layout.stacks, caps));
    expect(checkPmpSolution(layout.stacks, caps, result.moves)).toMatchObject({ ok: true });
  });

  it('reports a layout without any free slot as infeasible', () => {
    const result = solvePmp(
      {
        stacks: [
          [1, 2],
          [3, 4],
        ],
        maxHeight: 2,
      },
      { mode: 'exact', clock: tickClock(), deadline: 1e9 },
    );
    expect(result.status).toBe('infeasible');
  });

  it('returns no moves for a sorted layout', () => {
    const result = solvePmp(
      { stacks: [[3, 2, 2], [5]], maxHeight: 3 },
      { mode: 'heuristic', clock: tickClock(), deadline: 10 },
    );
    expect(result).toEqual({ status: 'optimal', moves: [], lowerBound: 0 });
  });
});

describe('lowerBound', () => {
  it('never exceeds the breadth-first optimum', () => {
    const next = rng(11);
    let checked = 0;
    for (let trial = 0; trial < 60; trial++) {
      const layout = randomLayout(next, 3 + (trial % 2), 3 - (trial % 2), 4, 3 + (trial % 8));
      const optimum = bfsOptimum(layout.stacks, stackCaps(layout), 100_000);
      if (optimum === undefined) continue;
      const bay = bayOf(layout);
      expect(lowerBound(bay, new BoundScratch(bay.groups, bay.stackCount))).toBeLessThanOrEqual(optimum);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('counts a stack that must be dug for a late leaver', () => {
    // 9 must go down on a base of value ≥ 9: none exists, the 2 free slots are over 1s, so at least
    // one well-placed item has to be dug off (or the 9 moved twice).
    const bay = bayOf({ stacks: [[1, 9], [1], [1]], maxHeight: 2 });
    expect(lowerBound(bay, new BoundScratch(bay.groups, bay.stackCount))).toBe(2);
  });
});
