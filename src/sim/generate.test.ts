import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core/scenario.js';
import { minutesOf } from '../core/calendar.js';
import { addDays } from '../core/time.js';
import type { CompoundFamily } from './generate.js';
import { COMPOUND_FAMILIES, familyOfSeed, generateScenario } from './generate.js';

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);
const all = COMPOUND_FAMILIES.flatMap((family) =>
  SEEDS.map((seed) => ({ family, seed, scenario: generateScenario({ seed, family }) })),
);

describe('generateScenario', () => {
  it('gives a valid scenario for every seed of a range in every family, the same one again for the same seed', () => {
    for (const { family, seed, scenario } of all) {
      expect(() => parseScenario(JSON.parse(JSON.stringify(scenario))), `${family} ${seed}`).not.toThrow();
    }
    expect(generateScenario({ seed: 7, family: 'mixed' })).toEqual(generateScenario({ seed: 7, family: 'mixed' }));
    expect(generateScenario({ seed: 7, family: 'mixed' })).not.toEqual(generateScenario({ seed: 8, family: 'mixed' }));
    expect(generateScenario({ seed: 12 })).toEqual(generateScenario({ seed: 12, family: familyOfSeed(12) }));
  });

  it('covers the shapes of old compounds across the families', () => {
    const positions = all.flatMap(({ scenario }) => scenario.layout.lanes.flatMap((l) => l.positions));
    const lanes = all.flatMap(({ scenario }) => scenario.layout.lanes);
    const deadEnd = lanes.filter((l) => l.access !== 'through' && l.positions.every((p) => p.kind === 'tandem'));
    expect(new Set(deadEnd.map((l) => l.positions.length))).toEqual(new Set([2, 3, 4]));
    expect(deadEnd.some((l) => l.positions.at(-1)?.maxSize === 'standard')).toBe(true);
    expect(lanes.some((l) => l.access === 'through' && l.positions.length >= 4)).toBe(true);
    expect(lanes.some((l) => l.positions[0]?.kind === 'aisle' && l.positions[1]?.kind === 'bay')).toBe(true);
    expect(positions.some((p) => p.maxSize === 'small')).toBe(true);
    expect(new Set(positions.map((p) => p.kind))).toEqual(new Set(['bay', 'aisle', 'tandem']));
    expect(positions.some((p) => p.chargerKw !== undefined && p.chargerKw !== null)).toBe(true);
    // Closures that start and end inside a 30-day run.
    const inside = all.some(({ scenario }) => {
      const start = scenario.roster.rotation.startDate;
      return scenario.layout.lanes.some((l) =>
        l.positions.some((p) => (p.closures ?? []).some((c) => c.from > start && c.to < addDays(start, 30))),
      );
    });
    expect(inside).toBe(true);
    const partnerCounts = new Set(all.map(({ scenario }) => scenario.partnerLots.length));
    expect(partnerCounts).toEqual(new Set([0, 1, 2, 3]));
    const windows = new Set(all.flatMap(({ scenario }) => scenario.partnerLots.map((p) => p.windows[0]?.days.length)));
    expect(windows).toEqual(new Set([5, 7, 2])); // weekday, daily, weekend
    expect(new Set(all.map(({ scenario }) => scenario.roster.guardsPerShift))).toEqual(new Set([1, 2, 3]));
    const share = (f: (s: (typeof all)[number]['scenario']) => number): number[] =>
      all.map(({ scenario }) => f(scenario));
    const evShares = share((s) => s.vehicles.filter((v) => v.ev).length / s.vehicles.length);
    expect(Math.min(...evShares)).toBeLessThan(0.05);
    expect(Math.max(...evShares)).toBeGreaterThan(0.3);
    expect(Math.max(...evShares)).toBeLessThanOrEqual(0.5);
    const keyless = share((s) => s.vehicles.filter((v) => !v.keyConsent).length / s.vehicles.length);
    expect(Math.min(...keyless)).toBeLessThan(0.03);
    expect(Math.max(...keyless)).toBeGreaterThan(0.15);
    // Night-shift workers come back in the morning; retirees often stay in.
    const habits = all.flatMap(({ scenario }) => scenario.vehicles.map((v) => v.habits));
    expect(habits.some((h) => minutesOf(h.arrival) < minutesOf(h.departure) && minutesOf(h.departure) >= 20 * 60)).toBe(
      true,
    );
    expect(habits.some((h) => h.stayHomeRate >= 0.4)).toBe(true);
  });

  it('makes a tight compound about as full as its places and partner spaces, a loose one less', () => {
    const fill = (family: CompoundFamily): number[] =>
      all
        .filter((c) => c.family === family)
        .map(({ scenario }) => {
          const places = scenario.layout.lanes.reduce((s, l) => s + l.positions.length, 0);
          return scenario.vehicles.length / places;
        });
    expect(Math.min(...fill('tight'))).toBeGreaterThanOrEqual(0.9);
    expect(Math.max(...fill('mixed'))).toBeLessThan(0.95);
    for (const { scenario } of all.filter((c) => c.family === 'tight'))
      expect(scenario.partnerLots.length).toBeGreaterThan(0);
  });
});
