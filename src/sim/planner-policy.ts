/**
 * @module The planner as a guard policy: evening placement by declared (else habitual) departure
 * with `placeArrival`; blockers relocated by the same rule; pre-staging before known departures;
 * a budgeted night re-sort; charger rotation; the partner lot when the compound is short.
 *
 * The re-sort is glue written here until the planner's budgeted re-sort (`src/planner/pmp`) lands:
 * one move at a time, always the move of a reachable blocker that lowers the count of risky pairs
 * for the morning the most, to where `placeArrival` would put it.
 */
import type { PlacementOptions } from '../planner/placement/index.js';
import { placeArrival } from '../planner/placement/index.js';
import type { Lot } from './lot.js';
import { arrivingCar, lotView, positionIndex } from './planner-view.js';
import type { Policy, PolicyContext, ResortMove, SimCar } from './policy.js';
import { believedDeparture } from './policy.js';

const indexes = new WeakMap<Lot, Map<string, number>>();

/**
 * Empty lanes kept for cars without a key that are still to come: such a car may stand only where
 * it is in no one's way, which in a packed lot means an empty lane. Lanes of one first (chargers
 * last), then the shortest empty lanes. Best-fit placement alone fills the front of every lane and
 * leaves those cars nowhere to go.
 */
function keylessReserve(ctx: PolicyContext): number[] {
  const want = ctx.keylessToCome();
  if (want === 0) return [];
  const { lot } = ctx;
  const empty = lot.lanes
    .map((lane, l) => ({ l, lane }))
    .filter(({ lane }) => lane.positions.every((p) => lot.at(p) === -1 && !lot.pos(p).closed))
    .sort(
      (a, b) =>
        a.lane.positions.length - b.lane.positions.length ||
        Number(a.lane.positions.some((p) => lot.pos(p).chargerKw !== null)) - Number(b.lane.positions.some((p) => lot.pos(p).chargerKw !== null)) ||
        a.l - b.l,
    );
  return empty.slice(0, want).map(({ l }) => l);
}

function place(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>, weights?: PlacementOptions['weights']): number | null {
  if ((ctx.cars[car] as SimCar).movable) {
    const reserve = keylessReserve(ctx);
    if (reserve.length > 0) {
      const p = placeWith(ctx, car, new Set([...avoid, ...reserve]), weights);
      if (p !== null) return p;
    }
  }
  return placeWith(ctx, car, avoid, weights);
}

/**
 * Placement weights for a blocker that must make way: most relocations happen in the morning, when
 * few arrivals are still to come, so the room left for later arrivals counts for less than in the
 * evening (0.03 instead of 0.1 per position; 0, 0.02 and 0.05 were worse over seeds 1–4).
 */
const RELOCATION_WEIGHTS: PlacementOptions['weights'] = { room: 0.03 };

function relocateBlocker(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>): number | null {
  return place(ctx, car, avoid, RELOCATION_WEIGHTS);
}

function placeWith(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>, weights?: PlacementOptions['weights']): number | null {
  const view = lotView(ctx, avoid, car);
  const options: PlacementOptions = { departureProfile: ctx.departureProfile, weights };
  const result = placeArrival(view, arrivingCar(ctx, car), options);
  if (result.status !== 'placed' || result.positionId === null) return null;
  let index = indexes.get(ctx.lot);
  if (index === undefined) {
    index = positionIndex(ctx.lot);
    indexes.set(ctx.lot, index);
  }
  return index.get(result.positionId) ?? null;
}

/**
 * Pairs at risk tomorrow morning: a car stands in the way of one that may leave before it (a
 * declared time within 5 minutes counts, since residents slip; a guess counts within its spread).
 */
function atRisk(ctx: PolicyContext, blocker: number, blocked: number): boolean {
  const a = ctx.knowledge(blocker);
  const b = ctx.knowledge(blocked);
  const margin = (a.declared !== null ? 5 : a.spread / 2) + (b.declared !== null ? 5 : b.spread / 2);
  return believedDeparture(a) + margin > believedDeparture(b);
}

/** The risky pairs of the lot and, for each car in someone's way, the earliest departure it delays. */
function risks(ctx: PolicyContext): { count: number; blockers: Map<number, number> } {
  const { lot } = ctx;
  const movable = (c: number): boolean => (ctx.cars[c] as SimCar).movable;
  const blockers = new Map<number, number>();
  let count = 0;
  for (let p = 0; p < lot.positions.length; p++) {
    const car = lot.at(p);
    if (car === -1) continue;
    const mine = believedDeparture(ctx.knowledge(car));
    if (!Number.isFinite(mine) || mine - ctx.now > 20 * 60) continue;
    for (const b of lot.blockersOf(p, movable) ?? []) {
      if (!atRisk(ctx, b, car)) continue;
      count++;
      blockers.set(b, Math.min(blockers.get(b) ?? Infinity, mine));
    }
  }
  return { count, blockers };
}

function resortMove(ctx: PolicyContext, avoid: ReadonlySet<number>): ResortMove | null {
  const { lot } = ctx;
  const before = risks(ctx);
  const candidates = [...before.blockers.entries()]
    .filter(([car]) => lot.reachable(lot.where(car)))
    .sort((a, b) => a[1] - b[1] || a[0] - b[0])
    .map(([car]) => car);
  let best: ResortMove | null = null;
  let bestGain = 0;
  for (const car of candidates.slice(0, 8)) {
    const from = lot.where(car);
    if (avoid.has(lot.pos(from).lane)) continue;
    lot.remove(car);
    const to = place(ctx, car, new Set([...avoid, lot.pos(from).lane]));
    if (to !== null) {
      lot.place(car, to);
      const gain = before.count - risks(ctx).count;
      lot.remove(car);
      if (gain > bestGain) {
        bestGain = gain;
        best = { car, to };
      }
    }
    lot.place(car, from);
  }
  return best;
}

export const plannerPolicy: Policy = {
  name: 'planner',
  park: place,
  relocate: relocateBlocker,
  prestageLeadMinutes: 45,
  prestageEstimated: true,
  nightResortBudget: 40,
  resortMove,
  rotatesChargers: true,
  makesRoom: true,
  allocatesPartner: true,
};
