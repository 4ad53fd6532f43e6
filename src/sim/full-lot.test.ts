import { describe, expect, it } from 'vitest';
import { oneLaneScenario } from '../../test/support/one-lane-scenario.js';
import { parseScenario } from '../core/scenario.js';
import { simulate } from './engine.js';
import { POLICIES } from './index.js';

/**
 * One lane of four whose deepest place takes only a standard car; three large cars come home
 * first, then a standard one. Only by taking the large cars out, putting the standard car in at the
 * back and the large cars back in front of it is every car housed.
 */
function fullLane(): ReturnType<typeof oneLaneScenario> {
  return oneLaneScenario(
    ['large', 'large', 'large', 'standard'],
    [0, 1, 2, 3].map((i) => ({
      size: i < 3 ? 'large' : 'standard',
      habits: { departure: `0${6 + i}:00`, arrival: `1${6 + i}:00`, stayHomeRate: 0.01, declaresDeparture: 1 },
    })),
  );
}

describe('a full lot', () => {
  // A Saturday and a Sunday night: the partner lot is closed.
  const options = { days: 2, seed: 3, startDate: '2026-11-07' };

  it('houses a car whose only free place lies behind cars too large for it, by tucking it in', () => {
    const scenario = fullLane();
    const planner = simulate(scenario, POLICIES.planner!, options);
    expect(planner.overall.violations).toBe(0);
    expect(planner.nights.map((n) => [n.carsHoused, n.carsNeedingPlace])).toEqual([
      [4, 4],
      [4, 4],
    ]);
    // Today's practice leaves the standard car out on such a night.
    const naive = simulate(scenario, POLICIES.naive!, options);
    expect(naive.overall.housedRate).toBeLessThan(1);
  });
});

/**
 * Lane `L01` (two large places, then a small-car place at the back) is closed on the warm-up day,
 * so the small car that never leaves stands in `L02`, a bay of its own. The next evening three
 * large cars come home: two fill `L01`, and the third finds only the small place left.
 */
function smallPlaceLeft(): ReturnType<typeof oneLaneScenario> {
  const one = oneLaneScenario(
    ['large', 'large', 'small'],
    [
      { size: 'small', habits: { departure: '08:00', arrival: '10:00', stayHomeRate: 1, declaresDeparture: 1 } },
      ...[0, 1, 2].map((i) => ({
        size: 'large',
        habits: { departure: '07:00', arrival: `1${5 + i}:00`, stayHomeRate: 0, declaresDeparture: 1 },
      })),
    ],
  );
  const json = JSON.parse(JSON.stringify(one)) as { layout: { lanes: { positions: Record<string, unknown>[] }[] } };
  const lane = json.layout.lanes[0]!;
  for (const p of lane.positions) p.closures = [{ from: '2026-10-01', to: '2026-11-01', reason: '施工' }];
  json.layout.lanes.push({
    ...lane,
    id: 'L02',
    positions: [{ id: 'L02-0', index: 0, kind: 'bay', chargerKw: null, maxSize: 'large' }],
  } as (typeof json.layout.lanes)[number]);
  return parseScenario(json);
}

describe('a full lot with only a small place left', () => {
  const options = { days: 1, seed: 3, startDate: '2026-11-02' };

  it('houses a large car by moving a small car that can drive out into the small place and taking its bay', () => {
    const scenario = smallPlaceLeft();
    const planner = simulate(scenario, POLICIES.planner!, options);
    expect(planner.overall.violations).toBe(0);
    expect(planner.nights.map((n) => [n.carsHoused, n.carsNeedingPlace])).toEqual([[4, 4]]);
    // Two large cars out of the small place's way and back (held on the road: planner-plus), and
    // the small car into it; the product's planner puts the two elsewhere instead, one more move.
    const plus = simulate(scenario, POLICIES['planner-plus']!, options);
    expect(plus.nights[0]!.relocations.onDemand).toBe(3);
    expect(planner.nights[0]!.relocations.onDemand).toBe(4);
    const naive = simulate(scenario, POLICIES.naive!, options);
    expect(naive.nights.map((n) => [n.carsHoused, n.carsNeedingPlace])).toEqual([[3, 4]]);
  });
});
