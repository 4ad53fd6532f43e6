/**
 * Issue 13, item 5: rules that hold on compounds the simulator has never seen. A few generated
 * compounds (fixed seeds, small enough for CI) × 14 days × every policy: every run finishes, no
 * policy breaks a rule (a closure that starts under a parked car is a move before it starts, not a
 * violation), and the planner houses every car on every night the capacity check says it can;
 * every night the check finds short is named by the 60-night forecast. Quality figures come from
 * `npm run bench compounds`, never from here.
 */
import { describe, expect, it } from 'vitest';
import { drawBehaviour } from '../src/sim/behaviour.js';
import { addDays } from '../src/core/time.js';
import { capacityForecast, carsTonight, nightRoom, shortfall } from '../src/sim/capacity.js';
import type { CompoundFamily } from '../src/sim/generate.js';
import { generateScenario } from '../src/sim/generate.js';
import type { ViolationTrace } from '../src/sim/index.js';
import { POLICIES, simulate } from '../src/sim/index.js';

const DAYS = 14;
const COMPOUNDS: { family: CompoundFamily; seed: number }[] = [
  { family: 'tandem', seed: 17 },
  { family: 'through', seed: 3 },
  { family: 'mixed', seed: 11 },
];

describe.each(COMPOUNDS)('generated compound $family $seed', ({ family, seed }) => {
  const scenario = generateScenario({ seed, family });
  const start = scenario.roster.rotation.startDate;
  const behaviour = drawBehaviour(scenario, start, DAYS, 1);
  const runs = Object.values(POLICIES).map((policy) => {
    const violations: ViolationTrace[] = [];
    const check: number[] = [];
    const result = simulate(scenario, policy, {
      days: DAYS,
      seed: 1,
      behaviour,
      onViolation: (v) => violations.push(v),
      onNightCount: (k, needing) => {
        check[k] = shortfall(
          nightRoom(scenario, addDays(start, k)),
          carsTonight(needing.map((c) => scenario.vehicles[c]!)),
        );
      },
    });
    return { policy: policy.name, result, violations, check };
  });

  it('finishes every policy and breaks no rule, moving cars off places before their closure starts', () => {
    for (const { policy, result, violations } of runs) {
      expect(result.nights, policy).toHaveLength(DAYS);
      expect(violations, policy).toEqual([]);
      expect(result.overall.violations, policy).toBe(0);
    }
  });

  it('houses every car with the planner on every night the capacity check has room for', () => {
    const planner = runs.find((r) => r.policy === 'planner')!;
    const short = planner.result.nights
      .map((n, k) => ({ night: n.date, unhoused: n.carsNeedingPlace - n.carsHoused, check: planner.check[k] }))
      .filter((n) => n.unhoused > (n.check ?? 0));
    expect(short).toEqual([]);
  });

  it('names in the forecast every night the check finds short', () => {
    const forecast = capacityForecast(scenario, start, 60);
    for (const { check } of runs) {
      check.forEach((missing, k) => {
        if (missing > 0) expect(forecast[k]!.shortfall).toBeGreaterThanOrEqual(missing);
      });
    }
  });
});

describe('closures under parked cars', () => {
  it('moves the cars before the closure starts, under every policy', () => {
    const scenario = generateScenario({ seed: 17, family: 'tandem' });
    for (const policy of Object.values(POLICIES)) {
      const result = simulate(scenario, policy, { days: DAYS, seed: 1 });
      const moved = result.nights.reduce((s, n) => s + n.relocations.closure, 0);
      expect(moved, policy.name).toBeGreaterThan(0);
      expect(result.overall.violations, policy.name).toBe(0);
    }
  });
});

describe('capacityForecast', () => {
  it('names the nights of a closure that leaves too few places, with the shortfall', () => {
    const scenario = generateScenario({ seed: 27, family: 'tight' });
    const forecast = capacityForecast(scenario, scenario.roster.rotation.startDate, 60);
    expect(forecast).toHaveLength(60);
    const short = forecast.filter((n) => n.shortfall > 0);
    expect(short.length).toBeGreaterThan(0);
    for (const n of short) expect(n.shortfall).toBe(shortfall(n, carsTonight(scenario.vehicles)));
    // A night with the partner lots open has more room than one without.
    expect(new Set(forecast.map((n) => n.partnerSpaces)).size).toBeGreaterThan(1);
  });
});
