/**
 * @module Today's practice without planning: the guard parks a car in the first lane with room,
 * as deep as it goes, and relocates only when a resident is waiting. The baseline the planner is
 * measured against.
 */
import type { Policy, PolicyContext } from './policy.js';
import { leastByKey } from './policy.js';

/** The first lane with room, as deep as it goes. */
function firstFree(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>): number | null {
  return leastByKey(ctx, car, avoid, (p) => [ctx.lot.pos(p).lane, -ctx.lot.pos(p).index]);
}

export const naivePolicy: Policy = {
  name: 'naive',
  park: firstFree,
  relocate: firstFree,
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
