/**
 * @module Where the compound planner puts a car, arriving or making way: evening placement's one
 * score (`placeArrival`: expected blocking, blocking time, room left for later arrivals, chargers,
 * size) under the mixture beliefs of `mixture.ts`, outside the lanes kept for keyless cars still
 * to come and the lanes whose resident is due to leave now.
 */
import type { VehicleId } from '../../core/brand.js';
import type { PlacementBeliefs, PlacementResult, PlacementWeights } from '../placement/index.js';
import { bestPosition, placeArrival, shareLeavingBy } from '../placement/index.js';
import type { PlanningContext, PlannedCar } from './context.js';
import type { Mixture } from './mixture.js';
import { blockCost, mixtureOf } from './mixture.js';
import { arrivingCar, lotView, positionNumber } from './view.js';

/** A position chosen for a car, and the expected blocking it adds there. */
export interface Placed {
  p: number;
  blocking: number;
}

const carNumbers = new WeakMap<readonly PlannedCar[], Map<VehicleId, number>>();

/** Each car's mixture belief now, by vehicle id, computed once per lookup function. */
function mixtureLookup(ctx: PlanningContext): (id: VehicleId) => Mixture {
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

/**
 * The placement score's beliefs under the cars' mixtures now: a pair costs the probability that the
 * car behind leaves while the blocker still stands there; a car leaves room for the cars that stay
 * in or leave before it (the departure profile's share by its usual time).
 */
export function mixtureBeliefs(ctx: PlanningContext): PlacementBeliefs {
  const of = mixtureLookup(ctx);
  const share = shareLeavingBy(ctx.departureProfile);
  const fitsMemo = new Map<VehicleId, number>();
  return {
    pairCost: (blocker, blocked) => blockCost(of(blocker.vehicleId), of(blocked.vehicleId)),
    fits: (c) => {
      let f = fitsMemo.get(c.vehicleId);
      if (f === undefined) {
        const m = of(c.vehicleId);
        f = 1 - m.leaves + m.leaves * share(m.at - ctx.nightBase);
        fitsMemo.set(c.vehicleId, f);
      }
      return f;
    },
  };
}

/**
 * Empty lanes kept for cars without a key that are still to come: such a car may stand only where
 * it is in no one's way, which in a packed lot means an empty lane. Lanes of one first (chargers
 * last), then the shortest empty lanes. Best-fit placement alone fills the front of every lane and
 * leaves those cars nowhere to go.
 */
function keylessReserve(ctx: PlanningContext): number[] {
  const want = ctx.keylessToCome();
  if (want === 0) return [];
  const { lot } = ctx;
  const empty = lot.lanes
    .map((lane, l) => ({ l, lane }))
    .filter(({ lane }) => lane.positions.every((p) => lot.at(p) === -1 && !lot.pos(p).closed))
    .sort(
      (a, b) =>
        a.lane.positions.length - b.lane.positions.length ||
        Number(a.lane.positions.some((p) => lot.pos(p).chargerKw !== null)) -
          Number(b.lane.positions.some((p) => lot.pos(p).chargerKw !== null)) ||
        a.l - b.l,
    );
  return empty.slice(0, want).map(({ l }) => l);
}

/**
 * Minutes around now in which a declared departure keeps a guard out of its lane: parking or
 * moving a car there takes a few minutes in the lane, and a resident due then cannot drive out
 * past him (before: the slip seen, a few minutes; after: the walk over and the move itself).
 */
const DUE_BEFORE = 5;
const DUE_AFTER = 12;

/** Lanes holding a car whose declared departure falls in the next few minutes (or just passed). */
function dueLanes(ctx: PlanningContext): number[] {
  const { lot, now } = ctx;
  const due: number[] = [];
  lot.lanes.forEach((lane, l) => {
    for (const p of lane.positions) {
      const c = lot.at(p);
      if (c === -1) continue;
      const declared = ctx.knowledge(c).declared;
      if (declared !== null && declared >= now - DUE_BEFORE && declared <= now + DUE_AFTER) {
        due.push(l);
        return;
      }
    }
  });
  return due;
}

/**
 * Tries `choose` outside the lanes kept for keyless cars still to come and the lanes whose
 * resident is due to leave now; failing that, outside the kept lanes only; failing that, outside
 * `avoid` only.
 */
function outsideKeptLanes<T>(
  ctx: PlanningContext,
  car: number,
  avoid: ReadonlySet<number>,
  choose: (avoid: ReadonlySet<number>) => T | null,
): T | null {
  const reserve = (ctx.cars[car] as PlannedCar).movable ? keylessReserve(ctx) : [];
  const due = dueLanes(ctx);
  const tries = due.length > 0 ? [[...reserve, ...due], reserve] : [reserve];
  for (const extra of tries) {
    if (extra.length === 0) continue;
    const p = choose(new Set([...avoid, ...extra]));
    if (p !== null) return p;
  }
  return choose(avoid);
}

/**
 * Placement weights for a blocker that must make way: most relocations happen in the morning, when
 * few arrivals are still to come, so the room left for later arrivals counts for less than in the
 * evening (0.03 instead of 0.1 per position; 0, 0.02 and 0.05 were worse over seeds 1–4).
 */
export const RELOCATION_WEIGHTS: Partial<PlacementWeights> = { room: 0.03 };

/**
 * Where the planner puts `car` (not on the lot now) outside the lanes in `avoid`, and the expected
 * blocking it adds there; null when no position is legal.
 */
export function place(
  ctx: PlanningContext,
  car: number,
  avoid: ReadonlySet<number>,
  weights?: Partial<PlacementWeights>,
): Placed | null {
  return outsideKeptLanes(ctx, car, avoid, (outside) => {
    const best = bestPosition(lotView(ctx, outside, car), arrivingCar(ctx, car), {
      beliefs: mixtureBeliefs(ctx),
      ...(weights === undefined ? {} : { weights }),
    });
    const p = best === null ? null : positionNumber(ctx.lot, best.positionId);
    return p === null || best === null ? null : { p, blocking: best.expectedBlocking };
  });
}

/**
 * `place` with the placement's whole answer (the reason for the guard's screen, the alternatives):
 * what the server proposes at the gate. Not placed when no position is legal.
 */
export function proposePlacement(
  ctx: PlanningContext,
  car: number,
  avoid: ReadonlySet<number>,
  weights?: Partial<PlacementWeights>,
): PlacementResult {
  let last: PlacementResult | null = null;
  const placed = outsideKeptLanes(ctx, car, avoid, (outside) => {
    last = placeArrival(lotView(ctx, outside), arrivingCar(ctx, car), {
      beliefs: mixtureBeliefs(ctx),
      ...(weights === undefined ? {} : { weights }),
    });
    return last.status === 'placed' ? last : null;
  });
  return placed ?? (last as PlacementResult | null) ?? placeArrival({ lanes: [] }, arrivingCar(ctx, car));
}
