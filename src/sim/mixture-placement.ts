/**
 * @module The planner's evening placement (`placeArrival`: expected blocking, room left for later
 * arrivals, chargers, size) scored under the mixture beliefs of `mixture.ts` instead of normal
 * ones. The planner's `placeArrival` takes neither a pair cost nor a room share per car, so its
 * score is rebuilt here from the planner's parts (`laneCost`, `laneRoomBy`, `shareLeavingBy`);
 * the rules (free, open, large enough, reachable, no key no blocking) are the planner's.
 */
import type { PositionId, VehicleId } from '../core/brand.js';
import { VEHICLE_SIZES } from '../core/layout.js';
import type { LaneView, ParkedCar, PlacementWeights } from '../planner/placement/index.js';
import { DEFAULT_WEIGHTS, keylessMayStand, laneRoomBy, shareLeavingBy } from '../planner/placement/index.js';
import type { PairCost } from '../planner/placement/blocking.js';
import { laneCost } from '../planner/placement/blocking.js';
import { laneWithCarAt, reachableFrom } from '../planner/placement/lot-view.js';
import type { Mixture } from './mixture.js';
import { blockCost, mixtureOf } from './mixture.js';
import { arrivingCar, lotView, positionNumber } from './planner-view.js';
import type { PolicyContext, SimCar } from './policy.js';

/** A position chosen for a car, and the expected blocking it adds there. */
export interface Placed {
  p: number;
  blocking: number;
}

const carNumbers = new WeakMap<readonly SimCar[], Map<VehicleId, number>>();

/** Each car's mixture belief now, by vehicle id, computed once per lookup function. */
function mixtureLookup(ctx: PolicyContext): (id: VehicleId) => Mixture {
  let byId = carNumbers.get(ctx.cars);
  if (byId === undefined) {
    byId = new Map(ctx.cars.map((c, i) => [c.id, i]));
    carNumbers.set(ctx.cars, byId);
  }
  const ids = byId;
  const memo = new Map<VehicleId, Mixture>();
  return (id) => {
    let m = memo.get(id);
    if (m === undefined) {
      m = mixtureOf(ctx.knowledge(ids.get(id) as number));
      memo.set(id, m);
    }
    return m;
  };
}

/** The expected blocking of a pair under the cars' mixture beliefs now. */
export function mixturePairCost(ctx: PolicyContext): PairCost {
  const of = mixtureLookup(ctx);
  return (blocker, blocked) => blockCost(of(blocker.vehicleId), of(blocked.vehicleId));
}

/**
 * Where the planner parks `car` (outside the lanes in `avoid`), and the expected blocking it adds
 * there; null when no position is legal. Ties go to the earlier lane, then the deeper position, as
 * in `placeArrival`.
 */
export function placeUnderMixture(
  ctx: PolicyContext,
  car: number,
  avoid: ReadonlySet<number>,
  weights?: Partial<PlacementWeights>,
): Placed | null {
  const w = { ...DEFAULT_WEIGHTS, ...weights };
  const view = lotView(ctx, avoid, car);
  const me = arrivingCar(ctx, car);
  const parked: ParkedCar = {
    vehicleId: me.vehicleId,
    departure: me.departure,
    estimate: me.estimate ?? null,
    movable: me.movable,
  };
  const of = mixtureLookup(ctx);
  const cost: PairCost = (blocker, blocked) => blockCost(of(blocker.vehicleId), of(blocked.vehicleId));
  const share = shareLeavingBy(ctx.departureProfile);
  const fitsMemo = new Map<VehicleId, number>();
  const fits = (c: ParkedCar): number => {
    let f = fitsMemo.get(c.vehicleId);
    if (f === undefined) {
      const m = of(c.vehicleId);
      f = 1 - m.leaves + m.leaves * share(m.at - ctx.nightBase);
      fitsMemo.set(c.vehicleId, f);
    }
    return f;
  };
  let best: { id: PositionId; score: number; blocking: number; lane: LaneView } | null = null;
  for (const lane of view.lanes) {
    const costBefore = laneCost(lane, cost);
    const roomBefore = laneRoomBy(lane, fits);
    for (const position of lane.positions) {
      if (
        position.car !== null ||
        position.closed ||
        VEHICLE_SIZES.indexOf(me.size) > VEHICLE_SIZES.indexOf(position.maxSize)
      )
        continue;
      if (reachableFrom(lane, position.index).length === 0) continue;
      if (!me.movable && !keylessMayStand(lane, position.index, me)) continue;
      const after = laneWithCarAt(lane, position.index, parked);
      const blocking = Math.max(0, laneCost(after, cost) - costBefore);
      let score = w.blockedPair * blocking + w.room * (roomBefore - laneRoomBy(after, fits));
      if (position.chargerKw !== null) score += me.wantsCharge ? -w.charger : w.chargerTaken;
      score += w.oversize * (VEHICLE_SIZES.indexOf(position.maxSize) - VEHICLE_SIZES.indexOf(me.size));
      const better = best === null || score < best.score - 1e-9 || (score <= best.score + 1e-9 && best.lane === lane);
      if (better) best = { id: position.id, score, blocking, lane };
    }
  }
  if (best === null) return null;
  const chosen: { id: PositionId; blocking: number } = best;
  const p = positionNumber(ctx.lot, chosen.id);
  return p === null ? null : { p, blocking: chosen.blocking };
}
