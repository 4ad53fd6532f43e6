/**
 * @module The planner as a guard policy: a thin adapter over the compound planner
 * (`src/planner/compound`), the same decisions the server makes. `planner` makes the moves the
 * product has tasks for but one (room made at the gate, below), so its figures are the product's;
 * `planner-plus` adds more moves the product has no task for yet (see `plannerPlusPolicy`), to
 * measure what they would bring. The naive and greedy policies are the simulator's own baselines.
 */
import {
  CHARGE_BLOCKERS_MAX,
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

/**
 * The planner with the product's moves: a move task takes one car from one place to another, so
 * every blocker of a retrieval goes to a place the planner chooses (none is held on the road to go
 * back in), no lane is reordered, a charger swap takes only an EV that can drive off and gives up
 * when the car on the charger has no place elsewhere. One move the product lacks stays: a car the
 * planner finds no place for gets room made by moving another (`makesRoom`), where the product
 * turns it away — rare (the demo, 14 days, seeds 1–3: every car needing a place housed with it,
 * 99.8% without), and the capacity rule (every car housed on a night the check has room for)
 * holds only with it. The conformance test runs the engine without it.
 */
export const plannerPolicy: Policy = {
  name: 'planner',
  park: (ctx, car, avoid) => place(ctx, car, avoid)?.p ?? null,
  relocate: (ctx, car, avoid) => place(ctx, car, avoid, RELOCATION_WEIGHTS)?.p ?? null,
  keepsPlace: (ctx, blocker, forCar, from, to, leavingNow) =>
    !leavingNow && keepsPlace(ctx, blocker, forCar, from, to, false),
  prestageWorth,
  putBackDeep: true,
  prestageLeadMinutes: PRESTAGE_FIRST_LOOK,
  prestageLastLookMinutes: PRESTAGE_LAST_LOOK,
  prestageEstimated: true,
  prestageDeclaredAtNight: true,
  nightResortBudget: NIGHT_RESORT_BUDGET,
  resortMove,
  rotatesChargers: true,
  chargeShifts: 0,
  tradesChargers: false,
  makesRoom: true,
  allocatesPartner: true,
};

/**
 * The planner with more moves guards make by hand that the product has no task for yet: a blocker
 * held on the road during a retrieval and put back once the car has left (`keepsPlace` with
 * `leavingNow`), a one-end lane reordered at night so a declared leaver stands in front
 * (`reordersLane`), and for a charger swap up to `CHARGE_BLOCKERS_MAX` cars shifted to let an EV
 * out, or the car on the charger traded into the EV's place.
 */
export const plannerPlusPolicy: Policy = {
  ...plannerPolicy,
  name: 'planner-plus',
  keepsPlace,
  reordersLane,
  chargeShifts: CHARGE_BLOCKERS_MAX,
  tradesChargers: true,
};
