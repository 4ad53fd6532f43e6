/**
 * @module A departure-aware guard without a planner: park each car where it blocks the fewest
 * cars that leave before it (declared times, else habits), in front of the car that leaves soonest
 * after it (the tightest fit), EVs at a free charger when that costs no blocking; relocate on
 * demand, by the same rule.
 */
import type { Policy, PolicyContext, SimCar } from './policy.js';
import { believedDeparture, leastByKey } from './policy.js';

/** Cars of the lane that would have `car` among their blockers if it stood on `p`. */
function blockedBy(ctx: PolicyContext, car: number, p: number): { earlier: number; gap: number } {
  const { lot } = ctx;
  const mine = believedDeparture(ctx.knowledge(car));
  const lane = lot.lane(lot.pos(p).lane);
  const movable = (c: number): boolean => (ctx.cars[c] as SimCar).movable;
  lot.place(car, p);
  let earlier = 0;
  let gap = Number.POSITIVE_INFINITY;
  for (const q of lane.positions) {
    const other = lot.at(q);
    if (other === -1 || other === car) continue;
    const blockers = lot.blockersOf(q, movable);
    if (blockers === null || !blockers.includes(car)) continue;
    const theirs = believedDeparture(ctx.knowledge(other));
    if (theirs < mine) earlier++;
    else gap = Math.min(gap, theirs - mine);
  }
  lot.remove(car);
  return { earlier, gap };
}

function bestPosition(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>): number | null {
  const wantsCharge = ctx.wantsCharge(car);
  return leastByKey(ctx, car, avoid, (p) => {
    const pos = ctx.lot.pos(p);
    const { earlier, gap } = blockedBy(ctx, car, p);
    const charger = pos.chargerKw !== null ? (wantsCharge ? 0 : 1) : wantsCharge ? 1 : 0;
    return [earlier, charger, Math.min(gap, 10_000), -pos.index, pos.lane];
  });
}

export const greedyPolicy: Policy = {
  name: 'greedy',
  park: bestPosition,
  relocate: bestPosition,
  putBackDeep: false,
  prestageLeadMinutes: null,
  prestageEstimated: false,
  nightResortBudget: 0,
  resortMove: () => null,
  rotatesChargers: false,
  chargeShifts: 0,
  tradesChargers: false,
  makesRoom: false,
  allocatesPartner: false,
};
