/**
 * @module Hand-made lots for tests, scenarios and the simulator: a lane is a list of positions
 * (index 0 at the open end), each optionally holding a car, closed, with a charger or a size limit.
 * Position ids are `<lane>-<index>`.
 */
import type { LaneId, PositionId, VehicleId } from '../../core/brand.js';
import type { LaneAccess, VehicleSize } from '../../core/layout.js';
import type { DepartureEstimate } from './departure.js';
import type { LaneView, ParkedCar } from './lot-view.js';

export interface PositionSketch {
  car?: ParkedCar | null;
  closed?: boolean;
  chargerKw?: number | null;
  maxSize?: VehicleSize;
}

export function sketchLane(id: string, positions: readonly PositionSketch[], access: LaneAccess = 'one-end'): LaneView {
  return {
    id: id as LaneId,
    name: id,
    access,
    positions: positions.map((p, index) => ({
      id: `${id}-${index}` as PositionId,
      index,
      chargerKw: p.chargerKw ?? null,
      maxSize: p.maxSize ?? 'large',
      closed: p.closed ?? false,
      car: p.car ?? null,
    })),
  };
}

/** A parked car: `departure` as `HH:MM` next morning (or a minute on the night's timeline, or null). */
export function parkedCar(
  vehicleId: string,
  departure: string | number | null,
  options: { movable?: boolean; estimate?: DepartureEstimate | null } = {},
): ParkedCar {
  return {
    vehicleId: vehicleId as VehicleId,
    departure: toMinute(departure),
    estimate: options.estimate ?? null,
    movable: options.movable ?? true,
  };
}

/** `HH:MM` as a minute on the night's timeline: 12:00 or later is this evening, earlier is next morning. */
export function nightMinute(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`nightMinute: "${hhmm}" is not HH:MM`);
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute >= 12 * 60 ? minute : minute + 24 * 60;
}

function toMinute(departure: string | number | null): number | null {
  return typeof departure === 'string' ? nightMinute(departure) : departure;
}
