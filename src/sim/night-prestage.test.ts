import { describe, expect, it } from 'vitest';
import { oneLaneScenario } from '../../test/support/one-lane-scenario.js';
import type { TaskTrace } from './engine.js';
import { simulate } from './engine.js';
import { POLICIES } from './index.js';
import type { Policy } from './policy.js';

/**
 * One lane of two, two cars that always declare: the early leaver comes home first and stands
 * deep, the late leaver comes home after it and stands in its way. The lot is full, so the
 * blocker has nowhere else to go.
 */
function blockedLane(): ReturnType<typeof oneLaneScenario> {
  return oneLaneScenario(
    ['large', 'large'],
    [0, 1].map((i) => ({
      size: 'standard',
      habits: {
        departure: i === 0 ? '06:30' : '09:30',
        arrival: i === 0 ? '14:00' : '17:00',
        stayHomeRate: 0,
        declaresDeparture: 1,
      },
    })),
  );
}

describe('night pre-staging (planner-plus: the product has no lane reorder yet)', () => {
  // Monday to Thursday mornings: every car leaves.
  const options = { days: 3, seed: 5, startDate: '2026-11-02' };

  it('swaps a declared early leaver in front of its blocker at night when the lot is full', () => {
    const scenario = blockedLane();
    const tasks: TaskTrace[] = [];
    const planner = simulate(scenario, POLICIES['planner-plus']!, { ...options, onTask: (t) => tasks.push(t) });
    expect(planner.overall.violations).toBe(0);
    expect(planner.overall.onTimeRate).toBe(1);
    expect(planner.overall.waitMaxMin).toBe(0);
    // The work is done by the night shift (01:00–05:00), not in the morning.
    const prestages = tasks.filter((t) => t.kind === 'prestage');
    expect(prestages.length).toBeGreaterThan(0);
    for (const t of prestages) expect(t.start % 1440).toBeLessThan(5 * 60);
    // Without the swap the early leaver waits every morning while a guard moves the blocker.
    const noSwap: Policy = { ...POLICIES['planner-plus']!, reordersLane: undefined };
    expect(simulate(scenario, noSwap, options).overall.onTimeRate).toBeLessThan(1);
    // The product's planner, likewise.
    expect(simulate(scenario, POLICIES.planner!, options).overall.onTimeRate).toBeLessThan(1);
  });
});
