/**
 * @module The compound planner's lot: the layout's lanes and positions with one mutable occupancy
 * array, cars numbered 0…n−1 (the simulator runs on it; the server builds one from its state).
 * A **lane** is an ordered run of positions reached from position 0 (and, for a through lane, from
 * the last one too); a car can leave only when every position between it and an open end is
 * empty (a closed position can be driven past). The hard rules every policy obeys are checked
 * here, so the simulator can count any proposal that breaks them as a violation.
 */
import type { IsoDate, LaneId, PositionId } from '../../core/brand.js';
import type { Layout, LaneAccess, VehicleSize } from '../../core/layout.js';
import { fits, isClosedOn } from '../../core/layout.js';

export interface LotPosition {
  id: PositionId;
  lane: number;
  index: number;
  chargerKw: number | null;
  maxSize: VehicleSize;
  closed: boolean;
  /** True when the position's area is a fire lane (validation refuses such a layout; checked anyway). */
  fireLane: boolean;
}

export interface LotLane {
  id: LaneId;
  access: LaneAccess;
  /** Global position numbers, by index in the lane (0 = the open end). */
  positions: number[];
}

/** What the lot needs to know about a car to check a placement. */
export interface CarTraits {
  size: VehicleSize;
  /** The guards hold the spare key. */
  movable: boolean;
}

export type Side = 'front' | 'back';

export class Lot {
  readonly lanes: LotLane[];
  readonly positions: LotPosition[];
  /** Car number on each position, or -1. */
  readonly occupant: Int32Array;
  /** Position of each car, or -1. */
  readonly carAt: Int32Array;
  private readonly layout: Layout;

  constructor(layout: Layout, carCount: number) {
    this.layout = layout;
    const fire = new Set(layout.fireLanes);
    this.lanes = [];
    this.positions = [];
    layout.lanes.forEach((lane, l) => {
      const ids: number[] = [];
      for (const p of lane.positions) {
        ids.push(this.positions.length);
        this.positions.push({
          id: p.id,
          lane: l,
          index: p.index,
          chargerKw: p.chargerKw,
          maxSize: p.maxSize,
          closed: false,
          fireLane: fire.has(lane.area),
        });
      }
      this.lanes.push({ id: lane.id, access: lane.access, positions: ids });
    });
    this.occupant = new Int32Array(this.positions.length).fill(-1);
    this.carAt = new Int32Array(carCount).fill(-1);
  }

  /**
   * Resolves closures for a date; with `next`, a position that closes on that date is closed
   * already (the evening before a closure starts, no car is parked where it would stand on it).
   */
  setDay(day: IsoDate, next?: IsoDate): void {
    let p = 0;
    for (const lane of this.layout.lanes)
      for (const position of lane.positions)
        (this.positions[p++] as LotPosition).closed =
          isClosedOn(position, day) || (next !== undefined && isClosedOn(position, next));
  }

  pos(p: number): LotPosition {
    return this.positions[p] as LotPosition;
  }

  lane(l: number): LotLane {
    return this.lanes[l] as LotLane;
  }

  at(p: number): number {
    return this.occupant[p] as number;
  }

  where(car: number): number {
    return this.carAt[car] as number;
  }

  place(car: number, p: number): void {
    if (this.at(p) !== -1) throw new Error(`position ${this.pos(p).id} is taken`);
    if (this.where(car) !== -1) throw new Error(`car ${car} is already parked`);
    this.occupant[p] = car;
    this.carAt[car] = p;
  }

  remove(car: number): number {
    const p = this.where(car);
    if (p === -1) throw new Error(`car ${car} is not parked`);
    this.occupant[p] = -1;
    this.carAt[car] = -1;
    return p;
  }

  sides(lane: LotLane): Side[] {
    return lane.access === 'through' ? ['front', 'back'] : ['front'];
  }

  /** The cars between lane index `index` and the open end `side`, nearest the end first. */
  carsToward(lane: LotLane, index: number, side: Side): number[] {
    const out: number[] = [];
    if (side === 'front') {
      for (let i = 0; i < index; i++) {
        const c = this.at(lane.positions[i] as number);
        if (c !== -1) out.push(c);
      }
    } else {
      for (let i = lane.positions.length - 1; i > index; i--) {
        const c = this.at(lane.positions[i] as number);
        if (c !== -1) out.push(c);
      }
    }
    return out;
  }

  /** A position can be driven to (or from) without passing a car. */
  reachable(p: number): boolean {
    const { lane, index } = this.pos(p);
    const l = this.lane(lane);
    return this.sides(l).some((side) => this.carsToward(l, index, side).length === 0);
  }

  /**
   * The cars that must be moved for the car on `p` to leave: the cheapest open side whose cars the
   * guards can all move (empty when the car can drive off), or null when every side holds a car
   * without a key.
   */
  blockersOf(p: number, movable: (car: number) => boolean): number[] | null {
    const { lane, index } = this.pos(p);
    const l = this.lane(lane);
    let best: number[] | null = null;
    for (const side of this.sides(l)) {
      const cars = this.carsToward(l, index, side);
      if (!cars.every(movable)) continue;
      if (best === null || cars.length < best.length) best = cars;
    }
    return best;
  }

  /**
   * Why `car` may not be parked on `p`, or null when it may: free, open, not on a fire lane,
   * large enough, reachable, and for a car without a key, in no other car's only way out.
   */
  illegal(p: number, car: CarTraits, movable: (car: number) => boolean): string | null {
    const position = this.pos(p);
    if (this.at(p) !== -1) return 'occupied';
    if (position.closed) return 'closed';
    if (position.fireLane) return 'fire-lane';
    if (!fits(position, car.size)) return 'too-small';
    if (!this.reachable(p)) return 'unreachable';
    if (!car.movable && !this.keylessMayStand(p, movable)) return 'keyless-would-block';
    return null;
  }

  /**
   * A car without a key on `p` must leave every other car of the lane a way out past movable cars
   * only, and must not be in the set core's `blockingIndexes` names (the side with fewer cars).
   */
  private keylessMayStand(p: number, movable: (car: number) => boolean): boolean {
    const { lane, index } = this.pos(p);
    const l = this.lane(lane);
    for (let i = 0; i < l.positions.length; i++) {
      if (i === index) continue;
      const other = this.at(l.positions[i] as number);
      if (other === -1) continue;
      let freeSide = false;
      const counts: Partial<Record<Side, { n: number; hasP: boolean }>> = {};
      for (const side of this.sides(l)) {
        const between = side === 'front' ? index < i : index > i;
        const cars = this.carsToward(l, i, side);
        counts[side] = { n: cars.length + (between ? 1 : 0), hasP: between };
        if (!between && cars.every(movable)) freeSide = true;
      }
      if (!freeSide) return false;
      const front = counts.front as { n: number; hasP: boolean };
      const back = counts.back;
      const core = back !== undefined && back.n < front.n ? back : front;
      if (core.hasP) return false;
    }
    return true;
  }

  /** Cars parked now. */
  count(): number {
    let n = 0;
    for (const c of this.occupant) if (c !== -1) n++;
    return n;
  }
}
