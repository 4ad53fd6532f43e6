import { describe, expect, it } from 'vitest';
import type { EpochMs, HouseholdId, IsoDate, KeyTag, PositionId, VehicleId } from '../../core/brand.js';
import type { CompoundState } from '../../core/compound-state.js';
import { applyEvent, emptyState } from '../../core/compound-state.js';
import type { EventBody } from '../../core/events.js';
import { validateLayout } from '../../core/layout.js';
import { shanghaiInstant } from '../../core/time.js';
import { lotViewFromState } from './lot-view.js';
import { placeArrival } from './place-arrival.js';
import { nightMinute } from './sketch.js';

const DAY = '2026-11-27' as IsoDate;
const at = shanghaiInstant(DAY, '19:00');

function apply(state: CompoundState, ...bodies: EventBody[]): void {
  for (const body of bodies) applyEvent(state, { ...body, at: at as EpochMs, actor: 'system' } as never);
}

const v = (s: string) => s as VehicleId;

/** A one-end row A of three, a bay B closed tonight, a charger bay C; a resident's car and a visitor's. */
function compound(): CompoundState {
  const state = emptyState();
  const layout = validateLayout({
    lanes: [
      { id: 'A', name: '1号楼前串列', positions: [0, 1, 2].map((i) => ({ id: `A-${i}`, index: i })) },
      {
        id: 'B',
        name: '2号楼车位',
        positions: [{ id: 'B-0', index: 0, closures: [{ from: DAY, to: DAY, reason: '加装电梯施工' }] }],
      },
      { id: 'C', name: '充电车位', positions: [{ id: 'C-0', index: 0, chargerKw: 7 }] },
    ],
  });
  apply(
    state,
    { type: 'layout.set', payload: { layout } },
    { type: 'household.added', payload: { householdId: 'h1' as HouseholdId } },
    {
      type: 'vehicle.registered',
      payload: { vehicleId: v('res'), householdId: 'h1' as HouseholdId, size: 'standard', ev: false },
    },
    { type: 'consent.given', payload: { vehicleId: v('res'), textVersion: 'v1' } },
    { type: 'key.received', payload: { vehicleId: v('res'), keyTag: 'K1' as KeyTag } },
    {
      type: 'vehicle.registered',
      payload: { vehicleId: v('visitor'), householdId: null, size: 'standard', ev: false },
    },
    { type: 'car.checked-in', payload: { vehicleId: v('res') } },
    { type: 'car.parked', payload: { vehicleId: v('res'), positionId: 'A-2' as PositionId, taskId: null } },
  );
  return state;
}

describe('lotViewFromState', () => {
  it('shows closures for the night, parked cars, their departures and who may be moved', () => {
    const state = compound();
    const lot = lotViewFromState(state, DAY, new Map([[v('res'), nightMinute('07:40')]]));
    expect(lot.lanes.map((l) => l.name)).toEqual(['1号楼前串列', '2号楼车位', '充电车位']);
    expect(lot.lanes[0]?.positions[2]?.car).toEqual({
      vehicleId: 'res',
      departure: nightMinute('07:40'),
      estimate: null,
      movable: true,
    });
    expect(lot.lanes[1]?.positions[0]?.closed).toBe(true);
    expect(lotViewFromState(state, '2026-11-28' as IsoDate, new Map()).lanes[1]?.positions[0]?.closed).toBe(false);
    expect(lot.lanes[2]?.positions[0]?.chargerKw).toBe(7);
  });

  it('passes on estimates for cars without a declared departure', () => {
    const lot = lotViewFromState(
      compound(),
      DAY,
      new Map(),
      new Map([[v('res'), { at: nightMinute('08:00'), spread: 20 }]]),
    );
    expect(lot.lanes[0]?.positions[2]?.car?.departure).toBeNull();
    expect(lot.lanes[0]?.positions[2]?.car?.estimate).toEqual({ at: nightMinute('08:00'), spread: 20 });
  });

  it('gives placements that core accepts: the visitor avoids the closed bay and the resident’s row', () => {
    const state = compound();
    apply(state, { type: 'car.checked-in', payload: { vehicleId: v('visitor') } });
    const lot = lotViewFromState(state, DAY, new Map([[v('res'), nightMinute('07:40')]]));
    const r = placeArrival(lot, {
      vehicleId: v('visitor'),
      size: 'standard',
      departure: nightMinute('06:00'),
      movable: false,
      wantsCharge: false,
    });
    expect(r.positionId).toBe('C-0');
    apply(state, {
      type: 'car.parked',
      payload: { vehicleId: v('visitor'), positionId: r.positionId as PositionId, taskId: null },
    });
    expect(state.occupancy.get('C-0' as PositionId)).toBe('visitor');
  });
});
