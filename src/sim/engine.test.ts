import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core/scenario.js';
import { drawBehaviour } from './behaviour.js';
import type { TaskTrace } from './engine.js';
import { simulate } from './engine.js';
import { createMeasurements, nightLowerBound } from './engine/measurements.js';
import { POLICIES } from './index.js';
import type { Policy, PolicyContext } from './policy.js';

const scenario = parseScenario(
  JSON.parse(readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8')),
);
const start = scenario.roster.rotation.startDate;
const DAYS = 2;
const behaviour = drawBehaviour(scenario, start, DAYS, 7);
const results = Object.fromEntries(
  Object.values(POLICIES).map((p) => [p.name, simulate(scenario, p, { days: DAYS, seed: 7, behaviour })]),
);

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

  it('never bounds a run’s relocations above what it made', () => {
    // The naive guard's late mornings spill retrievals past noon, into the next night's count.
    for (const r of [results.greedy!, results.planner!]) {
      const made = r.nights.reduce(
        (n, k) => n + k.relocations.onDemand + k.relocations.prestage + k.relocations.resort,
        0,
      );
      const bound = r.nights.reduce((n, k) => n + k.relocationLowerBound, 0);
      expect(bound, r.policy).toBeLessThanOrEqual(made);
      expect(bound, r.policy).toBeGreaterThan(0);
    }
  });

  it('takes a night’s relocation bound at its largest look, less the uncounted moves after it', () => {
    const night = createMeasurements(1).nights[0]!;
    // 22:00: five blockers; two charger swaps follow; by the 04:00 count pre-staging has moved three.
    night.bounds.push({ bound: 5, otherMoves: 0 });
    night.relocations.charger = 2;
    night.bounds.push({ bound: 2, otherMoves: 2 });
    expect(nightLowerBound(night)).toBe(3);
    // A closure move after the count counts against both looks.
    night.relocations.closure = 1;
    expect(nightLowerBound(night)).toBe(2);
  });

  it('never lets two guards hold one lane at once, nor more guards work than the roster has on duty', () => {
    const trace: TaskTrace[] = [];
    simulate(scenario, POLICIES.planner!, { days: 1, seed: 7, onTask: (t) => trace.push(t) });
    expect(trace.length).toBeGreaterThan(100);
    expect(new Set(trace.map((t) => t.kind))).toContain('prestage');
    const edges = trace.flatMap((t) => [
      { at: t.start, step: 1 },
      { at: t.end, step: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.step - b.step);
    let busy = 0;
    for (const e of edges) {
      busy += e.step;
      expect(busy).toBeLessThanOrEqual(scenario.roster.guardsPerShift);
    }
    for (const [i, a] of trace.entries()) {
      const overlapping = trace.filter((b, j) => j !== i && b.start < a.end && a.start < b.end);
      for (const b of overlapping) {
        expect(b.guard).not.toBe(a.guard);
        expect(
          b.lanes.filter((l) => a.lanes.includes(l)),
          `${a.kind} and ${b.kind} at ${a.start}`,
        ).toEqual([]);
      }
    }
  });

  it('lets no resident drive out of a lane while a guard parks or moves a car in it', () => {
    const { walkToCabinet, walkToCar } = scenario.taskDurations;
    for (const base of [POLICIES.naive!, POLICIES.planner!]) {
      let ctx: PolicyContext | null = null;
      const policy: Policy = { ...base, park: (c, car, avoid) => ((ctx = c), base.park(c, car, avoid)) };
      const trace: TaskTrace[] = [];
      const leftFrom: { lane: string; at: number }[] = [];
      simulate(scenario, policy, {
        days: DAYS,
        seed: 7,
        behaviour,
        onTask: (t) => trace.push(t),
        onDeparture: (d) => {
          const lot = (ctx as PolicyContext | null)?.lot;
          const p = lot?.where(d.car) ?? -1;
          if (lot !== undefined && p !== -1) leftFrom.push({ lane: lot.lane(lot.pos(p).lane).id, at: d.at + d.wait });
        },
      });
      expect(leftFrom.length, base.name).toBeGreaterThan(100);
      // A pre-stage's own lane (its first) is clear once the blockers are out, before the task ends.
      const held = trace.flatMap((t) =>
        t.lanes
          .filter((_, i) => t.kind !== 'prestage' || i > 0)
          .map((lane) => ({
            lane,
            from: t.start + Math.min(t.end - t.start, walkToCabinet + walkToCar),
            to: t.end,
            kind: t.kind,
          })),
      );
      expect(held.length, base.name).toBeGreaterThan(100);
      for (const d of leftFrom) {
        const inside = held.filter((h) => h.lane === d.lane && h.from <= d.at && d.at < h.to);
        expect(inside, `${base.name}: left ${d.lane} at ${d.at}`).toEqual([]);
      }
    }
  });

  it('measures the gate wait: a park alone with guards to spare, a queue when the evening outruns two guards', () => {
    const { walkToCabinet, walkToCar, drive, park } = scenario.taskDurations;
    const parkMinutes = walkToCabinet + walkToCar + drive + park;
    // The simulator's guards are `guardsPerShift`, whatever the roster names.
    const many = { ...scenario, roster: { ...scenario.roster, guardsPerShift: 40 } };
    const spare = simulate(many, POLICIES.greedy!, { days: DAYS, seed: 7, behaviour }).overall;
    expect(spare.gateWaitP95Min).toBe(parkMinutes);
    const two = results.greedy!.overall;
    expect(two.gateWaitP95Min).toBeGreaterThan(3 * parkMinutes);
    expect(two.gateWaitMaxMin).toBeGreaterThanOrEqual(two.gateWaitP95Min);
    for (const n of results.greedy!.nights) expect(n.gateWaitP95Min).toBeGreaterThanOrEqual(parkMinutes);
  });

  it('draws the same residents for every policy, so comparisons see the same days', () => {
    const departures = (name: string): number[] => results[name]!.nights.map((n) => n.carsNeedingPlace);
    expect(departures('naive')).toEqual(departures('greedy'));
  });
});

describe('what the guards know of a departure', () => {
  it('narrows to the spread the mornings show: around the habit when undeclared, around the declared time otherwise', () => {
    const days = 8;
    const spreads = { undeclared: [] as number[], declared: [] as number[] };
    const naive = POLICIES.naive!;
    // The last evening's beliefs, read as the cars come home.
    const watching: Policy = {
      ...naive,
      park: (ctx, car, avoid) => {
        if (ctx.now > (days - 1) * 1440 + 12 * 60) {
          const k = ctx.knowledge(car);
          if (k.declared === null && k.leaves > 0) spreads.undeclared.push(k.atSpread);
          else if (k.declared !== null && Number.isFinite(k.declared)) spreads.declared.push(k.atSpread);
        }
        return naive.park(ctx, car, avoid);
      },
    };
    simulate(scenario, watching, { days, seed: 3 });
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const noise = scenario.behaviour.departureNoiseMinutes;
    expect(spreads.undeclared.length).toBeGreaterThan(20);
    expect(spreads.declared.length).toBeGreaterThan(20);
    // The behaviour draws undeclared departures at ± noise around the habit, declared ones at ± noise / 2.
    expect(mean(spreads.undeclared)).toBeGreaterThan(0.7 * noise);
    expect(mean(spreads.undeclared)).toBeLessThan(1.3 * noise);
    expect(mean(spreads.declared)).toBeGreaterThan(0.7 * (noise / 2));
    expect(mean(spreads.declared)).toBeLessThan(1.3 * (noise / 2));
  });
});
