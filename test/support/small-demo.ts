/**
 * The demo scenario cut down to a corner of the lot (four single bays and ten tandem lanes of two
 * or three places, 25 places) and its first 24 cars with their households and habits, without the
 * partner lot: small enough that a simulated day through the use cases takes seconds.
 */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../../src/core/scenario.js';
import { parseScenario } from '../../src/core/scenario.js';

const LANES = new Set([
  'L01',
  'L02',
  'L03',
  'L04',
  'L17',
  'L18',
  'L19',
  'L20',
  'L21',
  'L22',
  'L23',
  'L24',
  'L25',
  'L26',
]);

export function smallDemoScenario(cars = 24): Scenario {
  const base = JSON.parse(readFileSync(new URL('../../scenarios/jinfang.json', import.meta.url), 'utf8')) as {
    layout: { lanes: { id: string }[] };
    vehicles: { householdId: string | null }[];
    households: { id: string }[];
    users: { role: string; householdId?: string }[];
    partnerLots: unknown[];
  };
  base.layout.lanes = base.layout.lanes.filter((l) => LANES.has(l.id));
  base.vehicles = base.vehicles.slice(0, cars);
  const households = new Set(base.vehicles.map((v) => v.householdId));
  base.households = base.households.filter((h) => households.has(h.id));
  base.users = base.users.filter(
    (u) => u.role !== 'partner' && (u.role !== 'resident' || households.has(u.householdId ?? '')),
  );
  base.partnerLots = [];
  return parseScenario(base);
}
