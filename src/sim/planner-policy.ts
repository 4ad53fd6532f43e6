/**
 * @module The planner as a guard policy: a thin adapter over the compound planner
 * (`src/planner/compound`), the same decisions the server makes. The naive and greedy policies
 * are the simulator's own baselines.
 */
import {
  NIGHT_RESORT_BUDGET,
  PRESTAGE_FIRST_LOOK,
  PRESTAGE_LAST_LOOK,
  RELOCATION_WEIGHTS,
  keepsPlace,
  place,
  prestageWorth,
  reordersLane,
  resortMove,
} from '../planner/compound/index.js';
import type { Policy } from './policy.js';

export const plannerPolicy: Policy = {
  name: 'planner',
  park: (ctx, car, avoid) => place(ctx, car, avoid)?.p ?? null,
  relocate: (ctx, car, avoid) => place(ctx, car, avoid, RELOCATION_WEIGHTS)?.p ?? null,
  keepsPlace,
  prestageWorth,
  reordersLane,
  putBackDeep: true,
  prestageLeadMinutes: PRESTAGE_FIRST_LOOK,
  prestageLastLookMinutes: PRESTAGE_LAST_LOOK,
  prestageEstimated: true,
  prestageDeclaredAtNight: true,
  nightResortBudget: NIGHT_RESORT_BUDGET,
  resortMove,
  rotatesChargers: true,
  makesRoom: true,
  allocatesPartner: true,
};
