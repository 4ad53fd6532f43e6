import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core/scenario.js';
import { drawBehaviour } from './behaviour.js';
import { simulate } from './engine.js';
import { POLICIES } from './index.js';

const scenario = parseScenario(JSON.parse(readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8')));
const start = scenario.roster.rotation.startDate;
const DAYS = 2;
const behaviour = drawBehaviour(scenario, start, DAYS, 7);
const results = Object.fromEntries(Object.values(POLICIES).map((p) => [p.name, simulate(scenario, p, { days: DAYS, seed: 7, behaviour })]));

describe('simulate', () => {
  it('gives the same result for the same scenario and seed, and another for another seed', () => {
    const again = simulate(scenario, POLICIES.greedy!, { days: DAYS, seed: 7 });
    expect(again).toEqual(results.greedy);
    const other = simulate(scenario, POLICIES.greedy!, { days: DAYS, seed: 8 });
    expect(other.nights).not.toEqual(results.greedy!.nights);
  });

  it('breaks no rule under any policy: no closed, fire-lane or keyless-blocking placement', () => {
    for (const r of Object.values(results)) expect(r.overall.violations, r.policy).toBe(0);
  });

  it('reports one night per day with rates in 0..1', () => {
    for (const r of Object.values(results)) {
      expect(r.nights).toHaveLength(DAYS);
      for (const key of ['housedRate', 'onTimeRate', 'guardPeakUtilization', 'evEnergyMetRate'] as const) {
        expect(r.overall[key]).toBeGreaterThanOrEqual(0);
        expect(r.overall[key]).toBeLessThanOrEqual(1);
      }
      for (const n of r.nights) expect(n.carsHoused).toBeLessThanOrEqual(n.carsNeedingPlace);
    }
  });

  it('relocates less with the planner than with the naive guard, and keeps residents waiting less', () => {
    const naive = results.naive!.overall;
    const planner = results.planner!.overall;
    expect(planner.relocationsPerDeparture).toBeLessThan(naive.relocationsPerDeparture);
    expect(planner.waitMeanMin).toBeLessThan(naive.waitMeanMin);
    expect(planner.onTimeRate).toBeGreaterThan(naive.onTimeRate);
  });

  it('draws the same residents for every policy, so comparisons see the same days', () => {
    const departures = (name: string): number[] => results[name]!.nights.map((n) => n.carsNeedingPlace);
    expect(departures('naive')).toEqual(departures('greedy'));
  });
});
