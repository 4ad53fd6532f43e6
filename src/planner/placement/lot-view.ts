/**
 * @module The planner's picture of the lot for one night: lanes and positions as the layout has
 * them (closures already resolved for the night's date), the cars standing on them, what is known
 * of their departures, and whether the guards may move them. Built from a `CompoundState` by
 * `lotViewFromState`, or by hand in tests. Also the lane geometry the placement rules share:
 * which positions a car can reach and which cars stand in whose way.
 */
import type { IsoDate, LaneId, PositionId, VehicleId } from '../../core/brand.js';
import type { CompoundState } from '../../core/compound-state.js';
import { canBeMoved } from '../../core/compound-state.js';
import type { LaneAccess, VehicleSize } from '../../core/layout.js';
import { isClosedOn } from '../../core/layout.js';
import type { DepartureEstimate, HasDeparture } from './departure.js';

/** A car standing on a position tonight. */
export interface ParkedCar extends HasDeparture {
  vehicleId: VehicleId;
  /** True when the guards hold the spare key: the car may be relocated, so it may stand in front of others. */
  movable: boolean;
}

export interface PositionView {
  id: PositionId;
  /** 0 at the open end (for a through lane, the last index is open too). */
  index: number;
  chargerKw: number | null;
  maxSize: VehicleSize;
  /**
   * Closed tonight (a closure covers the night's date): no car may be parked here. As in core's
   * `applyEvent`, a closed position does not stop cars driving past it to positions behind it.
   */
  closed: boolean;
  car: ParkedCar | null;
}

export interface LaneView {
  id: LaneId;
  name: string;
  access: LaneAccess;
  /** Ordered by index, 0 first. */
  positions: PositionView[];
}

export interface LotView {
  lanes: LaneView[];
}

/** An open end of a lane: `front` is at index 0, `back` at the last index (through lanes only). */
export type Side = 'front' | 'back';

export function sidesOf(lane: LaneView): Side[] {
  return lane.access === 'through' ? ['front', 'back'] : ['front'];
}

/** The indexes between `index` and the open end `side`, nearest the end first. */
export function indexesToward(lane: LaneView, index: number, side: Side): number[] {
  const out: number[] = [];
  if (side === 'front') for (let i = index - 1; i >= 0; i--) out.push(i);
  else for (let i = index + 1; i < lane.positions.length; i++) out.push(i);
  return out;
}

/** The cars between `index` and the open end `side`. */
export function carsToward(lane: LaneView, index: number, side: Side): ParkedCar[] {
  const cars: ParkedCar[] = [];
  for (const i of indexesToward(lane, index, side)) {
    const car = lane.positions[i]?.car;
    if (car) cars.push(car);
  }
  return cars;
}

/** The open ends from which a car can drive to `index` without passing another car. */
export function reachableFrom(lane: LaneView, index: number): Side[] {
  return sidesOf(lane).filter((side) => carsToward(lane, index, side).length === 0);
}

/**
 * Mirrors core `blockingIndexes`: the occupied indexes toward the open end with fewer cars (a tie
 * goes to the front). Core refuses a keyless car that would be in such a set, so the planner checks
 * the same rule to propose only placements `applyEvent` accepts.
 */
export function coreBlockingIndexes(lane: LaneView, index: number): number[] {
  const occupied = (i: number): boolean => (lane.positions[i]?.car ?? null) !== null;
  const front = indexesToward(lane, index, 'front').filter(occupied);
  if (lane.access === 'one-end') return front;
  const back = indexesToward(lane, index, 'back').filter(occupied);
  return back.length < front.length ? back : front;
}

/** A copy of `lot` with `car` standing on `positionId` (the other lanes are shared, not copied). */
export function withCarAt(lot: LotView, positionId: PositionId, car: ParkedCar): LotView {
  return {
    lanes: lot.lanes.map((lane) =>
      lane.positions.some((p) => p.id === positionId)
        ? { ...lane, positions: lane.positions.map((p) => (p.id === positionId ? { ...p, car } : p)) }
        : lane,
    ),
  };
}

/** A copy of `lane` with `car` at `index`. */
export function laneWithCarAt(lane: LaneView, index: number, car: ParkedCar): LaneView {
  return { ...lane, positions: lane.positions.map((p) => (p.index === index ? { ...p, car } : p)) };
}

export function findPosition(
  lot: LotView,
  positionId: PositionId,
): { lane: LaneView; position: PositionView } | undefined {
  for (const lane of lot.lanes) {
    const position = lane.positions.find((p) => p.id === positionId);
    if (position) return { lane, position };
  }
  return undefined;
}

/**
 * The lot as the planner sees it on the night of `day`: closures for that date, cars parked now,
 * whether the guards hold each car's key. `departures` gives each parked car's declared departure
 * on the night's timeline (null or absent = not declared); `estimates` optionally gives the
 * history-based guess for cars without one.
 */
export function lotViewFromState(
  state: CompoundState,
  day: IsoDate,
  departures: ReadonlyMap<VehicleId, number | null>,
  estimates: ReadonlyMap<VehicleId, DepartureEstimate> = new Map(),
): LotView {
  return {
    lanes: state.layout.lanes.map((lane) => ({
      id: lane.id,
      name: lane.name,
      access: lane.access,
      positions: lane.positions.map((p): PositionView => {
        const vehicleId = state.occupancy.get(p.id);
        const vehicle = vehicleId === undefined ? undefined : state.vehicles.get(vehicleId);
        const car: ParkedCar | null =
          vehicleId === undefined
            ? null
            : {
                vehicleId,
                departure: departures.get(vehicleId) ?? null,
                estimate: estimates.get(vehicleId) ?? null,
                movable: vehicle !== undefined && canBeMoved(state, vehicle),
              };
        return {
          id: p.id,
          index: p.index,
          chargerKw: p.chargerKw,
          maxSize: p.maxSize,
          closed: isClosedOn(p, day),
          car,
        };
      }),
    })),
  };
}
