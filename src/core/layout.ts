/**
 * @module The lot layout. A **lane** is an ordered run of positions reached from one open end
 * (position 0 is at the open end: a tandem row, an aisle position in front of a bay) or from both
 * ends (a through row, open at position 0 and at the last position). A plain marked bay is a lane
 * of one. A **position** is one car's place in a lane. A car can leave only when every position
 * between it and an open end is empty; the cars in the way are its **blockers**.
 */
import type { IsoDate, LaneId, PositionId } from './brand.js';
import { DomainError } from './errors.js';

export type PositionKind = 'bay' | 'aisle' | 'tandem';
/** `one-end`: reached only at position 0; `through`: reached at position 0 and at the last one. */
export type LaneAccess = 'one-end' | 'through';
/** Size classes, smallest first; a position takes cars up to its `maxSize`. */
export type VehicleSize = 'small' | 'standard' | 'large';
export const VEHICLE_SIZES: readonly VehicleSize[] = ['small', 'standard', 'large'];

/** A dated closure of a position (both days inclusive), e.g. 加装电梯施工. */
export interface Closure {
  from: IsoDate;
  to: IsoDate;
  reason: string;
}

export interface Position {
  id: PositionId;
  laneId: LaneId;
  /** 0 at the open end (for a through lane, either end is open). */
  index: number;
  kind: PositionKind;
  /** Charger power in kW, or null when the position has none. */
  chargerKw: number | null;
  maxSize: VehicleSize;
  closures: Closure[];
}

export interface Lane {
  id: LaneId;
  name: string;
  access: LaneAccess;
  /** Where the lane is (e.g. 3号楼北侧); a lane in an area listed as a fire lane cannot exist. */
  area: string;
  /** Ordered by index, 0 first. */
  positions: Position[];
}

export interface Layout {
  lanes: Lane[];
  /** Areas that are fire lanes (消防通道): no position may stand in them. */
  fireLanes: string[];
}

/** A layout as entered by a manager or a scenario file; `validateLayout` turns it into a `Layout`. */
export interface LayoutInput {
  lanes: {
    id: string;
    name?: string;
    access?: LaneAccess;
    area?: string;
    positions: {
      id: string;
      index: number;
      kind?: PositionKind;
      chargerKw?: number | null;
      maxSize?: VehicleSize;
      /** Overrides the lane's area for this position (e.g. the aisle end that reaches a road). */
      area?: string;
      closures?: Closure[];
    }[];
  }[];
  fireLanes?: string[];
}

/**
 * Checks a layout and returns it in canonical form (positions sorted by index). Refuses a position
 * on a fire lane (`FIRE_LANE`), a lane with a gap in its indexes (`LANE_GAP`), a duplicate position
 * id or lane index (`DUPLICATE_POSITION`), a duplicate lane id, an empty lane and a bad closure.
 */
export function validateLayout(input: LayoutInput): Layout {
  const fireLanes = [...new Set(input.fireLanes ?? [])];
  const fire = new Set(fireLanes);
  const laneIds = new Set<string>();
  const positionIds = new Set<string>();
  const lanes: Lane[] = input.lanes.map((lane, l) => {
    const at = `lanes[${l}]`;
    if (laneIds.has(lane.id)) {
      throw new DomainError('DUPLICATE_LANE', `${at}.id: lane "${lane.id}" appears twice`, { field: `${at}.id` });
    }
    laneIds.add(lane.id);
    if (lane.positions.length === 0) {
      throw new DomainError('EMPTY_LANE', `${at}.positions: lane "${lane.id}" has no position`, {
        field: `${at}.positions`,
      });
    }
    const area = lane.area ?? '';
    const byIndex = new Map<number, number>();
    lane.positions.forEach((p, i) => {
      const field = `${at}.positions[${i}]`;
      if (positionIds.has(p.id)) {
        throw new DomainError('DUPLICATE_POSITION', `${field}.id: position "${p.id}" appears twice`, {
          field: `${field}.id`,
        });
      }
      positionIds.add(p.id);
      if (byIndex.has(p.index)) {
        throw new DomainError(
          'DUPLICATE_POSITION',
          `${field}.index: lane "${lane.id}" has two positions at index ${p.index}`,
          {
            field: `${field}.index`,
          },
        );
      }
      byIndex.set(p.index, i);
      const positionArea = p.area ?? area;
      if (fire.has(positionArea)) {
        throw new DomainError(
          'FIRE_LANE',
          `${field}: position "${p.id}" stands on the fire lane "${positionArea}" (消防通道); fire lanes must stay clear`,
          { field },
        );
      }
      (p.closures ?? []).forEach((c, k) => {
        if (c.from > c.to) {
          throw new DomainError('BAD_CLOSURE', `${field}.closures[${k}]: starts ${c.from}, after it ends ${c.to}`, {
            field: `${field}.closures[${k}]`,
          });
        }
      });
    });
    for (let index = 0; index < lane.positions.length; index++) {
      if (!byIndex.has(index)) {
        throw new DomainError(
          'LANE_GAP',
          `${at}.positions: lane "${lane.id}" has no position at index ${index}; indexes run 0..${lane.positions.length - 1} without a gap`,
          { field: `${at}.positions` },
        );
      }
    }
    const positions = [...lane.positions]
      .sort((a, b) => a.index - b.index)
      .map((p): Position => ({
        id: p.id as PositionId,
        laneId: lane.id as LaneId,
        index: p.index,
        kind: p.kind ?? (lane.positions.length === 1 ? 'bay' : 'tandem'),
        chargerKw: p.chargerKw ?? null,
        maxSize: p.maxSize ?? 'large',
        closures: (p.closures ?? []).map((c) => ({ ...c })),
      }));
    return { id: lane.id as LaneId, name: lane.name ?? lane.id, access: lane.access ?? 'one-end', area, positions };
  });
  return { lanes, fireLanes };
}

/** True when a position is closed on the given day. */
export function isClosedOn(position: Position, day: IsoDate): boolean {
  return position.closures.some((c) => c.from <= day && day <= c.to);
}

/** True when a car of `size` fits a position (anything with the position's `maxSize`). */
export function fits(position: Pick<Position, 'maxSize'>, size: VehicleSize): boolean {
  return VEHICLE_SIZES.indexOf(size) <= VEHICLE_SIZES.indexOf(position.maxSize);
}

/** Indexes of a lane's positions by id, for look-ups. */
export function indexPositions(layout: Layout): Map<PositionId, { lane: Lane; position: Position }> {
  const map = new Map<PositionId, { lane: Lane; position: Position }>();
  for (const lane of layout.lanes) for (const position of lane.positions) map.set(position.id, { lane, position });
  return map;
}

/**
 * The positions between `index` and the nearest open end that hold a car, for the open end with
 * fewer of them (a through lane has two). `occupied(i)` says whether index i holds a car.
 */
export function blockingIndexes(lane: Lane, index: number, occupied: (i: number) => boolean): number[] {
  const front: number[] = [];
  for (let i = 0; i < index; i++) if (occupied(i)) front.push(i);
  if (lane.access === 'one-end') return front;
  const back: number[] = [];
  for (let i = lane.positions.length - 1; i > index; i--) if (occupied(i)) back.push(i);
  return back.length < front.length ? back : front;
}

/** A layout back in input form (the inverse of `validateLayout`), so an editor can change part of it and validate the whole again. */
export function layoutToInput(layout: Layout): LayoutInput {
  return {
    fireLanes: [...layout.fireLanes],
    lanes: layout.lanes.map((l) => ({
      id: l.id,
      name: l.name,
      access: l.access,
      area: l.area,
      positions: l.positions.map((p) => ({
        id: p.id,
        index: p.index,
        kind: p.kind,
        chargerKw: p.chargerKw,
        maxSize: p.maxSize,
        closures: p.closures.map((c) => ({ ...c })),
      })),
    })),
  };
}
