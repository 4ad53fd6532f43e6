import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../core/scenario.js';
import { simulate } from './engine.js';
import { POLICIES } from './index.js';

/**
 * One lane of four whose deepest place takes only a standard car; three large cars come home
 * first, then a standard one. Only by taking the large cars out, putting the standard car in at the
 * back and the large cars back in front of it is every car housed.
 */
function fullLane(): ReturnType<typeof parseScenario> {
  const base = JSON.parse(readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
    vehicles: { size: string; keyConsent: boolean; ev: boolean; habits: Record<string, unknown> }[];
    behaviour: Record<string, unknown>;
  };
  const sizes = ['large', 'large', 'large', 'large'];
  base.layout = {
    lanes: [
      {
        id: 'L01',
        name: '山墙',
        access: 'one-end',
        area: '1号楼山墙',
        positions: sizes.map((s, index) => ({ id: `L01-${index}`, index, kind: 'tandem', chargerKw: null, maxSize: index === 3 ? 'standard' : s })),
      },
    ],
    fireLanes: [],
  };
  base.vehicles = base.vehicles.slice(0, 4).map((v, i) => ({
    ...v,
    ev: false,
    batteryKwh: undefined,
    size: i < 3 ? 'large' : 'standard',
    keyConsent: true,
    habits: { departure: `0${6 + i}:00`, arrival: `1${6 + i}:00`, stayHomeRate: 0.01, declaresDeparture: 1 },
  }));
  base.behaviour = { ...base.behaviour, nightEmergencyRate: 0, awayOvernightRate: 0, weekendAwayOvernightRate: 0, partnerLotShare: 0 };
  return parseScenario(JSON.parse(JSON.stringify(base)));
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
