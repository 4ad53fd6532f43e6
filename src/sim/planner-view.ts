/**
 * @module Glue from the simulator's lot to the planner's inputs: the planner's `LotView` (with
 * departures on the night timeline) built from `Lot` and what is known of each car's departure.
 */
import type { PositionId } from '../core/brand.js';
import type { ArrivingCar, LaneView, LotView, ParkedCar } from '../planner/placement/index.js';
import type { Lot } from './lot.js';
import type { PolicyContext, SimCar } from './policy.js';

/**
 * Residents slip around the time they declared, so a declared time is given to the planner as an
 * estimate with this spread (minutes) rather than as a point: two cars declared for the same
 * 5-minute slot are a coin toss, not a safe pair. Tried 1, 2, 3, 5, 7 (30 days, seeds 1 and 2):
 * 3 had the fewest relocations with no worse on-time share.
 */
const DECLARED_SLIP = 3;

/** A declared stay-home day stands for a departure two days out. */
const STAY_HOME = 2 * 1440;

function departureFields(ctx: PolicyContext, car: number): Pick<ParkedCar, 'departure' | 'estimate'> {
  const k = ctx.knowledge(car);
  const rel = (t: number): number => (Number.isFinite(t) ? t - ctx.nightBase : STAY_HOME + 1440);
  if (k.declared !== null && Number.isFinite(k.declared)) return { departure: null, estimate: { at: rel(k.declared), spread: DECLARED_SLIP } };
  return {
    departure: k.declared === null ? null : rel(k.declared),
    estimate: { at: rel(k.estimate), spread: k.spread },
  };
}

export function parkedCar(ctx: PolicyContext, car: number): ParkedCar {
  const c = ctx.cars[car] as SimCar;
  return { vehicleId: c.id, movable: c.movable, ...departureFields(ctx, car) };
}

export function arrivingCar(ctx: PolicyContext, car: number): ArrivingCar {
  const c = ctx.cars[car] as SimCar;
  return { vehicleId: c.id, size: c.size, movable: c.movable, wantsCharge: ctx.wantsCharge(car), ...departureFields(ctx, car) };
}

/**
 * The planner's view of the lot, leaving out the lanes in `avoid`. With `roomFor`, also leaves out
 * the lanes where that car cannot be put now (no free, open, large enough, reachable position):
 * placement scores each lane by what changes in it, so those lanes cannot change its choice, and
 * the planner then has far fewer lanes to score in a nearly full lot.
 */
export function lotView(ctx: PolicyContext, avoid: ReadonlySet<number>, roomFor?: number): LotView {
  const { lot } = ctx;
  const lanes: LaneView[] = [];
  const traits = roomFor === undefined ? undefined : (ctx.cars[roomFor] as SimCar);
  const sizes = ['small', 'standard', 'large'];
  const emptyKinds = new Set<string>();
  lot.lanes.forEach((lane, l) => {
    if (avoid.has(l)) return;
    if (traits !== undefined && lane.positions.every((p) => lot.at(p) === -1)) {
      // Empty lanes alike in every respect score alike; the first of each kind stands for the rest
      // (placement breaks ties by lane order, so the choice is the same).
      const kind = `${lane.access}|${lane.positions.map((p) => `${lot.pos(p).maxSize}/${lot.pos(p).chargerKw}/${lot.pos(p).closed}`).join(',')}`;
      if (emptyKinds.has(kind)) return;
      emptyKinds.add(kind);
    }
    if (
      traits !== undefined &&
      !lane.positions.some((p) => {
        const pos = lot.pos(p);
        return lot.at(p) === -1 && !pos.closed && !pos.fireLane && sizes.indexOf(traits.size) <= sizes.indexOf(pos.maxSize) && lot.reachable(p);
      })
    ) {
      return;
    }
    lanes.push({
      id: lane.id,
      name: lane.id,
      access: lane.access,
      positions: lane.positions.map((p) => {
        const pos = lot.pos(p);
        const car = lot.at(p);
        return {
          id: pos.id,
          index: pos.index,
          chargerKw: pos.chargerKw,
          maxSize: pos.maxSize,
          closed: pos.closed || pos.fireLane,
          car: car === -1 ? null : parkedCar(ctx, car),
        };
      }),
    });
  });
  return { lanes };
}

/** Position number of each position id. */
export function positionIndex(lot: Lot): Map<PositionId, number> {
  return new Map(lot.positions.map((p, i) => [p.id, i]));
}
