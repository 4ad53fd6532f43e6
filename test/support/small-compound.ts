/** A small hand-made compound for store and use-case tests. */
import type { EpochMs, HouseholdId, KeyTag, PositionId, UserId, VehicleId } from '../../src/core/brand.js';
import type { NewEvent } from '../../src/core/events.js';
import { validateLayout } from '../../src/core/layout.js';

export const T0 = Date.parse('2026-11-27T11:00:00Z') as EpochMs; // 19:00 in Shanghai

export const SMALL_LAYOUT = validateLayout({
  fireLanes: ['主干道'],
  lanes: [
    {
      id: 'A',
      name: '1号楼前串列',
      area: '1号楼前',
      positions: [0, 1, 2].map((i) => ({ id: `A-${i}`, index: i, kind: 'tandem' as const })),
    },
    {
      id: 'B',
      name: '穿行车道',
      access: 'through',
      area: '2号楼侧',
      positions: [0, 1, 2].map((i) => ({
        id: `B-${i}`,
        index: i,
        kind: 'aisle' as const,
        chargerKw: i === 1 ? 7 : null,
      })),
    },
    {
      id: 'C',
      name: '车位',
      area: '3号楼',
      positions: [
        {
          id: 'C-0',
          index: 0,
          kind: 'bay',
          closures: [{ from: '2026-12-01' as never, to: '2026-12-31' as never, reason: '加装电梯施工' }],
        },
      ],
    },
  ],
});

export const id = {
  household: (n: number) => `h${n}` as HouseholdId,
  vehicle: (n: number) => `v${n}` as VehicleId,
  key: (n: number) => `K${n}` as KeyTag,
  guard: (n: number) => `g${n}` as UserId,
  position: (p: string) => p as PositionId,
};

/** Events that set up the small compound with `cars` households, one car each, keys in the cabinet. */
export function setupEvents(cars: number): NewEvent[] {
  let at: number = T0;
  const e = (body: Omit<NewEvent, 'at' | 'actor'>): NewEvent =>
    ({ ...body, at: (at += 1000) as EpochMs, actor: 'system' }) as NewEvent;
  const events: NewEvent[] = [e({ type: 'layout.set', payload: { layout: SMALL_LAYOUT } })];
  for (let n = 1; n <= cars; n++) {
    events.push(e({ type: 'household.added', payload: { householdId: id.household(n) } }));
    events.push(
      e({
        type: 'vehicle.registered',
        payload: { vehicleId: id.vehicle(n), householdId: id.household(n), size: 'standard', ev: n === 1 },
      }),
    );
    events.push(e({ type: 'consent.given', payload: { vehicleId: id.vehicle(n), textVersion: 'v1' } }));
    events.push(e({ type: 'key.received', payload: { keyTag: id.key(n), vehicleId: id.vehicle(n) } }));
  }
  events.push(e({ type: 'guard.on-duty', payload: { guardId: id.guard(1) } }));
  return events;
}
