/**
 * @module A night on the compound's lanes as they are, for the exact and heuristic solvers of this
 * folder: lanes of any depth, one open end (index 0) or two (a through row, open at 0 and at the last
 * index), places that take cars up to a size, places closed tonight (cars drive past them but none
 * may stand there), and cars that leave at known minutes, some of them keyless (never moved by the
 * guards). A **state** is the car standing on each place, lane after lane (`-1` for none); cars are
 * numbered in departure order (car 0 leaves first), so a car's number is its rank.
 */
import type { VehicleSize } from '../../core/layout.js';
import { VEHICLE_SIZES } from '../../core/layout.js';
import type { LotView } from '../placement/lot-view.js';

export interface NightPlace {
  maxSize: VehicleSize;
  closed: boolean;
}

export interface NightLane {
  access: 'one-end' | 'through';
  /** Index 0 first (at the open end). */
  places: NightPlace[];
}

export interface NightCar {
  size: VehicleSize;
  /** Departure minute on the night's timeline; cars are listed by it, earliest first. */
  leaves: number;
  /** False for a keyless car: the guards never move it. */
  movable: boolean;
}

export interface Night {
  lanes: NightLane[];
  /** Sorted by `leaves` (ties keep their order: the earlier listed goes first). */
  cars: NightCar[];
}

/** The flat geometry of a night: each place's lane and index, and each lane's first place. */
export interface Geometry {
  /** `laneStart[l]` is the flat number of lane l's place 0; `laneStart[lanes]` is the place count. */
  laneStart: number[];
  laneOf: number[];
  through: boolean[];
  maxSize: number[];
  closed: boolean[];
  carSize: number[];
  movable: boolean[];
}

export const sizeRank = (size: VehicleSize): number => VEHICLE_SIZES.indexOf(size);

export function geometryOf(night: Night): Geometry {
  const laneStart: number[] = [];
  const laneOf: number[] = [];
  const maxSize: number[] = [];
  const closed: boolean[] = [];
  let n = 0;
  night.lanes.forEach((lane, l) => {
    laneStart.push(n);
    for (const place of lane.places) {
      laneOf.push(l);
      maxSize.push(sizeRank(place.maxSize));
      closed.push(place.closed);
      n++;
    }
  });
  laneStart.push(n);
  return {
    laneStart,
    laneOf,
    through: night.lanes.map((l) => l.access === 'through'),
    maxSize,
    closed,
    carSize: night.cars.map((c) => sizeRank(c.size)),
    movable: night.cars.map((c) => c.movable),
  };
}

/** True when car `car` may stand on place `p` (open and large enough). */
export function mayStand(g: Geometry, car: number, p: number): boolean {
  return !(g.closed[p] as boolean) && (g.carSize[car] as number) <= (g.maxSize[p] as number);
}

/**
 * The open ends from which place `p` is reached without passing a car: bit 1 the front, bit 2 the
 * back (through lanes only); 0 when it is shut in. `state[p]` itself is not looked at.
 */
export function exitsOf(g: Geometry, state: ArrayLike<number>, p: number): number {
  const l = g.laneOf[p] as number;
  const start = g.laneStart[l] as number;
  const end = g.laneStart[l + 1] as number;
  let exits = 1;
  for (let q = start; q < p; q++)
    if ((state[q] as number) >= 0) {
      exits = 0;
      break;
    }
  if (g.through[l]) {
    let back = 2;
    for (let q = p + 1; q < end; q++)
      if ((state[q] as number) >= 0) {
        back = 0;
        break;
      }
    exits |= back;
  }
  return exits;
}

/**
 * The night of a lot: its lanes (closures resolved) and every car standing on it, with its
 * departure as the placement believes it (`beliefOf` is not applied: a car without a declared
 * departure takes `undeclared`). Returns the night and the state with the cars where they stand.
 */
export function nightOfLot(
  lot: LotView,
  sizeOf: (vehicleId: string) => VehicleSize,
  leavesOf: (vehicleId: string) => number,
): { night: Night; state: number[] } {
  const parked: { vehicleId: string; movable: boolean; leaves: number; at: number }[] = [];
  let at = 0;
  const lanes = lot.lanes.map((lane) => ({
    access: lane.access,
    places: lane.positions.map((p) => {
      if (p.car !== null)
        parked.push({ vehicleId: p.car.vehicleId, movable: p.car.movable, leaves: leavesOf(p.car.vehicleId), at });
      at++;
      return { maxSize: p.maxSize, closed: p.closed };
    }),
  }));
  const order = parked.map((_, i) => i).sort((a, b) => (parked[a]?.leaves ?? 0) - (parked[b]?.leaves ?? 0) || a - b);
  const state = new Array<number>(at).fill(-1);
  order.forEach((i, rank) => {
    state[(parked[i] as { at: number }).at] = rank;
  });
  return {
    night: {
      lanes,
      cars: order.map((i) => {
        const c = parked[i] as (typeof parked)[number];
        return { size: sizeOf(c.vehicleId), leaves: c.leaves, movable: c.movable };
      }),
    },
    state,
  };
}
