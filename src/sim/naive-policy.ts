/**
 * @module Today's practice without planning: the guard parks a car in the first lane with room,
 * as deep as it goes, and relocates only when a resident is waiting. The baseline the planner is
 * measured against.
 */
import type { Policy, PolicyContext } from './policy.js';
import { legalPositions } from './policy.js';

function firstFree(ctx: PolicyContext, car: number, avoid: ReadonlySet<number>): number | null {
  const legal = legalPositions(ctx, car, avoid);
  let best: number | null = null;
  for (const p of legal) {
    const pos = ctx.lot.pos(p);
    if (best === null) {
      best = p;
      continue;
    }
    const b = ctx.lot.pos(best);
    if (pos.lane < b.lane || (pos.lane === b.lane && pos.index > b.index)) best = p;
  }
  return best;
}

export const naivePolicy: Policy = {
  name: 'naive',
  park: firstFree,
  relocate: firstFree,
  prestageLeadMinutes: null,
  prestageEstimated: false,
  nightResortBudget: 0,
  resortMove: () => null,
  rotatesChargers: false,
  makesRoom: false,
  allocatesPartner: false,
};
