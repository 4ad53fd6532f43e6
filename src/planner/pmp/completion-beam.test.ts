import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../core/random.js';
import { bfsOptimum, checkPmpSolution } from '../../../test/pmp-checker.js';
import { completionBeam } from './completion-beam.js';
import { bestConstructive } from './constructive.js';
import { parsePmpGroup } from './instance.js';
import { bayOf, stackCaps, type PmpLayout } from './layout.js';
import { BoundScratch, lowerBound } from './lower-bound.js';

const fixtureDir = new URL('../../../test/fixtures/pmp/', import.meta.url);

/** A deterministic clock: every reading advances one tick. */
function tickClock(): () => number {
  let t = 0;
  return () => t++;
}

function decode(path: readonly number[], stackCount: number): [number, number][] {
  return path.map((m) => [Math.floor(m / stackCount), m % stackCount]);
}

function rootBound(layout: PmpLayout): number {
  const bay = bayOf(layout);
  return lowerBound(bay, new BoundScratch(bay.groups, bay.stackCount));
}

describe('completionBeam', () => {
  it('sorts the committed DLTS fixtures legally, no longer than the constructive start', () => {
    const files = readdirSync(fixtureDir).filter((f) => f.startsWith('dlts-'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const parsed = parsePmpGroup(JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8')) as unknown);
      if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
      for (const inst of parsed.group.instances) {
        const bay = bayOf(inst);
        const incumbent = bestConstructive(bay);
        const path = completionBeam(bay, { clock: tickClock(), deadline: 200 }, rootBound(inst), { incumbent });
        expect(path).toBeDefined();
        expect(checkPmpSolution(inst.stacks, stackCaps(inst), decode(path!, bay.stackCount))).toMatchObject({
          ok: true,
        });
        if (incumbent !== undefined) expect(path!.length).toBeLessThanOrEqual(incumbent.length);
        if (inst.optimal !== null) expect(path!.length).toBeGreaterThanOrEqual(inst.optimal);
      }
    }
  });

  it('finds a solution without a start and within a move of the optimum on small layouts', () => {
    const next = rng(5);
    let checked = 0;
    let optimal = 0;
    for (let trial = 0; trial < 30; trial++) {
      const stacks = Array.from({ length: 3 + (trial % 2) }, () =>
        Array.from({ length: 3 - (trial % 2) }, () => 1 + Math.floor(next() * 9)),
      );
      const layout: PmpLayout = { stacks, maxHeight: 4 };
      const caps = stackCaps(layout);
      const optimum = bfsOptimum(stacks, caps, 100_000);
      if (optimum === undefined) continue;
      const path = completionBeam(bayOf(layout), { clock: tickClock(), deadline: 2000 }, rootBound(layout));
      expect(path).toBeDefined();
      expect(checkPmpSolution(stacks, caps, decode(path!, stacks.length))).toMatchObject({ ok: true });
      expect(path!.length).toBeLessThanOrEqual(optimum + 1);
      if (path!.length === optimum) optimal++;
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect(optimal).toBeGreaterThan(checked * 0.8);
  });
});
