import { describe, expect, it } from 'vitest';
import type { EpochMs, HouseholdId, PositionId, VehicleId } from './brand.js';
import { applyEvent, replay } from './compound-state.js';
import type { NewEvent } from './events.js';
import { validateLayout } from './layout.js';

const at = Date.parse('2026-11-27T11:00:00Z') as EpochMs;
const ev = (body: Omit<NewEvent, 'at' | 'actor'>): NewEvent => ({ ...body, at, actor: 'system' }) as NewEvent;
const car = 'v1' as VehicleId;
const bay = 'S-0' as PositionId;

/** One household with one standard car, and one bay for cars up to standard size. */
function compound() {
  const layout = validateLayout({
    fireLanes: [],
    lanes: [
      { id: 'S', name: '小车位', area: '1号楼', positions: [{ id: bay, index: 0, kind: 'bay', maxSize: 'standard' }] },
    ],
  });
  return replay([
    ev({ type: 'layout.set', payload: { layout } }),
    ev({ type: 'household.added', payload: { householdId: 'h1' as HouseholdId } }),
    ev({
      type: 'vehicle.registered',
      payload: { vehicleId: car, householdId: 'h1' as HouseholdId, size: 'standard', ev: false },
    }),
  ]);
}

describe('vehicle.updated', () => {
  it('changes the size and EV flag of a car that is away', () => {
    const state = compound();
    applyEvent(state, ev({ type: 'vehicle.updated', payload: { vehicleId: car, size: 'large', ev: true } }));
    expect(state.vehicles.get(car)).toMatchObject({ size: 'large', ev: true });
  });

  it('refuses a size that no longer fits the position the car stands on, leaving the state unchanged', () => {
    const state = compound();
    applyEvent(state, ev({ type: 'car.checked-in', payload: { vehicleId: car } }));
    applyEvent(state, ev({ type: 'car.parked', payload: { vehicleId: car, positionId: bay, taskId: null } }));
    expect(() =>
      applyEvent(state, ev({ type: 'vehicle.updated', payload: { vehicleId: car, size: 'large', ev: true } })),
    ).toThrow(expect.objectContaining({ code: 'POSITION_TOO_SMALL', field: 'size' }));
    expect(state.vehicles.get(car)).toMatchObject({ size: 'standard', ev: false });
    applyEvent(state, ev({ type: 'vehicle.updated', payload: { vehicleId: car, size: 'small', ev: true } }));
    expect(state.vehicles.get(car)).toMatchObject({ size: 'small', ev: true });
  });

  it('refuses an unknown car', () => {
    expect(() =>
      applyEvent(
        compound(),
        ev({ type: 'vehicle.updated', payload: { vehicleId: 'v9' as VehicleId, size: 'small', ev: false } }),
      ),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
