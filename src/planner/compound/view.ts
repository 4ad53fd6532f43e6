/**
 * @module The compound planner's lot as the placement score reads it: a `LotView` (departures on
 * the night timeline) built from the `Lot` and what is known of each car's departure.
 */
import type { PositionId } from '../../core/brand.js';
import { fits } from '../../core/layout.js';
import type { ArrivingCar, LaneView, LotView, ParkedCar } from '../placement/index.js';
import type { PlanningContext, PlannedCar } from './context.js';
import type { Lot } from './lot.js';
import { mixtureOf } from './mixture.js';

/** A declared stay-home day, or a car unlikely to leave, stands for a departure two days out. */
const STAY_HOME = 2 * 1440;

/**
 * A car's departure as one point with a spread, for the score's blocking-time term and the reasons
 * shown to guards (the blocking and the room are scored under the mixture beliefs): the declared
 * time, else its usual time when it is more likely than not to leave, else far out (a car that
 * probably stays in lets any car stand in front of it).
 */
function departureFields(ctx: PlanningContext, car: number): Pick<ParkedCar, 'departure' | 'estimate'> {
  const k = ctx.knowledge(car);
  const m = mixtureOf(k);
  const at = m.leaves >= 0.5 && Number.isFinite(m.at) ? m.at - ctx.nightBase : STAY_HOME + 1440;
  const declared = k.declared !== null && Number.isFinite(k.declared) && m.leaves >= 0.5;
  return { departure: declared ? at : null, estimate: { at, spread: m.spread } };
}

export function parkedCar(ctx: PlanningContext, car: number): ParkedCar {
  const c = ctx.cars[car] as PlannedCar;
  return { vehicleId: c.id, movable: c.movable, ...departureFields(ctx, car) };
}

export function arrivingCar(ctx: PlanningContext, car: number): ArrivingCar {
  const c = ctx.cars[car] as PlannedCar;
  return {
    vehicleId: c.id,
    size: c.size,
    movable: c.movable,
    wantsCharge: ctx.wantsCharge(car),
    ...departureFields(ctx, car),
  };
}

/**
 * The planner's view of the lot, leaving out the lanes in `avoid`. With `roomFor`, also leaves out
 * the lanes where that car cannot be put now (no free, open, large enough, reachable position):
 * placement scores each lane by what changes in it, so those lanes cannot change its choice, and
 * the planner then has far fewer lanes to score in a nearly full lot.
 */
export function lotView(ctx: PlanningContext, avoid: ReadonlySet<number>, roomFor?: number): LotView {
  const { lot } = ctx;
  const lanes: LaneView[] = [];
  const traits = roomFor === undefined ? undefined : (ctx.cars[roomFor] as PlannedCar);
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
        return lot.at(p) === -1 && !pos.closed && !pos.fireLane && fits(pos, traits.size) && lot.reachable(p);
      })
    ) {
      return;
    }
    lanes.push(laneView(ctx, l));
  });
  return { lanes };
}

const indexes = new WeakMap<Lot, Map<PositionId, number>>();

/** The planner's view of lane number `l`. */
export function laneView(ctx: PlanningContext, l: number): LaneView {
  const { lot } = ctx;
  const lane = lot.lane(l);
  return {
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
  };
}

/** The position number of a position id. */
export function positionNumber(lot: Lot, id: PositionId): number | null {
  let index = indexes.get(lot);
  if (index === undefined) {
    index = new Map(lot.positions.map((p, i) => [p.id, i]));
    indexes.set(lot, index);
  }
  return index.get(id) ?? null;
}
