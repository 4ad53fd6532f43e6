import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../core/random.js';
import { bfsOptimum, checkPmpSolution } from '../../../test/pmp-checker.js';
import { bestConstructive } from './constructive.js';
import { bayOf, stackCaps, type PmpLayout } from './layout.js';
import { tailDescent } from './tail-descent.js';

/** A deterministic clock: every reading advances one tick. */
function tickClock(): () => number {
  let t = 0;
  return () => t++;
}

function randomLayout(next: () => number, stacks: number, items: number, maxHeight: number, values: number): PmpLayout {
  const layout: number[][] = Array.from({ length: stacks }, () => []);
  for (let i = 0; i < items; i++) {
    let s = Math.floor(next() * stacks);
    while (layout[s]!.length >= maxHeight) s = (s + 1) % stacks;
    layout[s]!.push(1 + Math.floor(next() * values));
  }
  return { stacks: layout, maxHeight };
}

function decode(path: readonly number[], stackCount: number): [number, number][] {
  return path.map((m) => [Math.floor(m / stackCount), m % stackCount]);
}

describe('tailDescent', () => {
  it('with time to reach the root, returns a legal sequence of the breadth-first optimum, proven', () => {
    const next = rng(1812);
    let shortened = 0;
    let checked = 0;
    for (let trial = 0; trial < 150; trial++) {
      const layout = randomLayout(next, 3 + (trial % 2), 7 + (trial % 2), 4, 3 + (trial % 6));
      const caps = stackCaps(layout);
      const optimum = bfsOptimum(layout.stacks, caps, 300_000);
      const bay = bayOf(layout);
      const start = bestConstructive(bay);
      if (optimum === undefined || optimum === 0 || start === undefined) continue;
      const outcome = tailDescent(bay, { clock: tickClock(), deadline: 1e12 }, start);
      const moves = decode(outcome.path, bay.stackCount);
      expect({ trial, proved: outcome.proved, length: moves.length }).toEqual({ trial, proved: true, length: optimum });
      expect(checkPmpSolution(layout.stacks, caps, moves)).toMatchObject({ ok: true });
      if (start.length > optimum) shortened++;
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    expect(shortened).toBeGreaterThan(20);
  });

  it('stopped early, returns a legal sequence no longer than the one given and claims no proof', () => {
    const next = rng(99);
    let unproved = 0;
    for (let trial = 0; trial < 40; trial++) {
      const layout = randomLayout(next, 7, 30, 6, 30);
      const bay = bayOf(layout);
      const start = bestConstructive(bay);
      if (start === undefined) continue;
      const outcome = tailDescent(bay, { clock: tickClock(), deadline: 10 }, start);
      expect(outcome.path.length).toBeLessThanOrEqual(start.length);
      const moves = decode(outcome.path, bay.stackCount);
      expect(checkPmpSolution(layout.stacks, stackCaps(layout), moves)).toMatchObject({ ok: true });
      if (!outcome.proved) unproved++;
    }
    expect(unproved).toBeGreaterThan(10);
  });
});
