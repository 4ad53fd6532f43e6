/**
 * @module The planner's evening placement (`placeArrival`: expected blocking, room left for later
 * arrivals, chargers, size) scored under the mixture beliefs of `mixture.ts` instead of normal
 * ones. The planner's `placeArrival` takes neither a pair cost nor a room share per car, so its
 * score is rebuilt here from the planner's parts (`laneCost`, `shareLeavingBy`, the lane geometry);
 * the rules (free, open, large enough, reachable, no key no blocking) are the planner's.
 */
import type { PositionId, VehicleId } from '../core/brand.js';
import { VEHICLE_SIZES } from '../core/layout.js';
import type { LaneView, ParkedCar, PlacementWeights, Side } from '../planner/placement/index.js';
import { DEFAULT_WEIGHTS, keylessMayStand, shareLeavingBy } from '../planner/placement/index.js';
import type { PairCost } from '../planner/placement/blocking.js';
import { laneCost } from '../planner/placement/blocking.js';
import { carsToward, indexesToward, laneWithCarAt, reachableFrom } from '../planner/placement/lot-view.js';
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
 * The planner's `laneRoom` with mixture beliefs: an empty position in front of cars takes a later
 * arrival without blocking with the probability that the earliest of the pinned cars stays in or
 * leaves after it — (1 − q) + q · share(at) for a car leaving with probability q around `at`. A
 * position with nothing beyond it takes any car (1); with free places still beyond it, a coin
 * toss between two later arrivals (½).
 */
function laneRoom(lane: LaneView, fits: (car: ParkedCar) => number): number {
  let room = 0;
  for (const p of lane.positions) {
    if (p.car !== null || p.closed) continue;
    let best = 0;
    for (const entry of reachableFrom(lane, p.index)) {
      const away: Side = entry === 'front' ? 'back' : 'front';
      let limit = Infinity;
      let freeBeyond = false;
      for (const i of indexesToward(lane, p.index, away)) {
        const beyond = lane.positions[i];
        const c = beyond?.car;
        if (!c) {
          if (beyond && !beyond.closed && limit === Infinity) freeBeyond = true;
          continue;
        }
        const pinned = lane.access === 'one-end' || carsToward(lane, i, away).length > 0;
        if (pinned) limit = Math.min(limit, fits(c));
        if (limit === Infinity) break;
      }
      best = Math.max(best, limit === Infinity ? (freeBeyond ? 0.5 : 1) : limit);
    }
    room += best;
  }
  return room;
}

/**
 * Where the planner parks `car` (outside the lanes in `avoid`), and the expected blocking it adds
 * there; null when no position is legal. Ties go to the earlier lane, then the deeper position, as
 * in `placeArrival`.
 */
export function placeUnderMixture(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>, weights?: Partial<PlacementWeights>): Placed | null {
  const w = { ...DEFAULT_WEIGHTS, ...weights };
  const view = lotView(ctx, avoid, car);
  const me = arrivingCar(ctx, car);
  const parked: ParkedCar = { vehicleId: me.vehicleId, departure: me.departure, estimate: me.estimate ?? null, movable: me.movable };
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
    const roomBefore = laneRoom(lane, fits);
    for (const position of lane.positions) {
      if (position.car !== null || position.closed || VEHICLE_SIZES.indexOf(me.size) > VEHICLE_SIZES.indexOf(position.maxSize)) continue;
      if (reachableFrom(lane, position.index).length === 0) continue;
      if (!me.movable && !keylessMayStand(lane, position.index, me)) continue;
      const after = laneWithCarAt(lane, position.index, parked);
      const blocking = Math.max(0, laneCost(after, cost) - costBefore);
      let score = w.blockedPair * blocking + w.room * (roomBefore - laneRoom(after, fits));
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
