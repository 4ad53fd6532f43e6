import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core/scenario.js';
import type { TaskTrace } from './engine.js';
import { simulate } from './engine.js';
import { POLICIES } from './index.js';
import type { Policy } from './policy.js';

/**
 * One lane of two, two cars that always declare: the early leaver comes home first and stands
 * deep, the late leaver comes home after it and stands in its way. The lot is full, so the
 * blocker has nowhere else to go.
 */
function blockedLane(): ReturnType<typeof parseScenario> {
  const base = JSON.parse(readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
    vehicles: { size: string; keyConsent: boolean; ev: boolean; habits: Record<string, unknown> }[];
    behaviour: Record<string, unknown>;
  };
  base.layout = {
    lanes: [
      {
        id: 'L01',
        name: '山墙',
        access: 'one-end',
        area: '1号楼山墙',
        positions: [0, 1].map((index) => ({ id: `L01-${index}`, index, kind: 'tandem', chargerKw: null, maxSize: 'large' })),
      },
    ],
    fireLanes: [],
  };
  base.vehicles = base.vehicles.slice(0, 2).map((v, i) => ({
    ...v,
    ev: false,
    batteryKwh: undefined,
    size: 'standard',
    keyConsent: true,
    habits: { departure: i === 0 ? '06:30' : '09:30', arrival: i === 0 ? '14:00' : '17:00', stayHomeRate: 0, declaresDeparture: 1 },
  }));
  base.behaviour = { ...base.behaviour, nightEmergencyRate: 0, awayOvernightRate: 0, weekendAwayOvernightRate: 0, partnerLotShare: 0 };
  return parseScenario(JSON.parse(JSON.stringify(base)));
}

describe('night pre-staging', () => {
  // Monday to Thursday mornings: every car leaves.
  const options = { days: 3, seed: 5, startDate: '2026-11-02' };

  it('swaps a declared early leaver in front of its blocker at night when the lot is full', () => {
    const scenario = blockedLane();
    const tasks: TaskTrace[] = [];
    const planner = simulate(scenario, POLICIES.planner!, { ...options, onTask: (t) => tasks.push(t) });
    expect(planner.overall.violations).toBe(0);
    expect(planner.overall.onTimeRate).toBe(1);
    expect(planner.overall.waitMaxMin).toBe(0);
    // The work is done by the night shift (01:00–05:00), not in the morning.
    const prestages = tasks.filter((t) => t.kind === 'prestage');
    expect(prestages.length).toBeGreaterThan(0);
    for (const t of prestages) expect(t.start % 1440).toBeLessThan(5 * 60);
    // Without the swap the early leaver waits every morning while a guard moves the blocker.
    const noSwap: Policy = { ...POLICIES.planner!, reordersLane: undefined };
    expect(simulate(scenario, noSwap, options).overall.onTimeRate).toBeLessThan(1);
  });
});
