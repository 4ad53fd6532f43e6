import { describe, expect, it } from 'vitest';
import { oneLaneScenario } from '../../test/support/one-lane-scenario.js';
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
