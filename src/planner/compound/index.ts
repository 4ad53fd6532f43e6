/**
 * @module The compound planner: everything a compound's day asks the planner for, decided one way
 * for the server and the simulator alike. Where an arriving car goes and where a blocker goes
 * (`place`), which blockers move before a departure and when the planner looks (`prestage`), the
 * night re-sort (`resort`), and the beliefs about departures these rest on (`mixture`, the learnt
 * `departure-spread`, the `habit` learnt from past departures, `knowledgeAt`). Its input is a `PlanningContext`: the `Lot`, the cars, the
 * minute now, and what is known of each departure. Charger rotation tonight
 * (`idleChargers`, `chargerSwap`); a night's charging plan from residents' requests is
 * `src/planner/charging`'s, the partner lot `src/planner/partner-allocation`'s.
 */
export type { ChargerSwap } from './charge.js';
export { CHARGE_BLOCKERS_MAX, chargerSwap, idleChargers, rotatesAt } from './charge.js';
export type { DepartureKnowledge, PlannedCar, PlanningContext } from './context.js';
export { DECLARED_GRACE, believedDeparture, departureProfile, knowledgeAt } from './context.js';
export { DepartureSpread } from './departure-spread.js';
export type { DepartureRecord, Habit } from './habit.js';
export { ESTIMATE_SPREAD, HABIT_WEEKS, knowledgeOf, learnHabit, learntKnowledge } from './habit.js';
export type { CarTraits, LotLane, LotPosition, Side } from './lot.js';
export { Lot } from './lot.js';
export type { Mixture } from './mixture.js';
export { DECLARED_SLIP } from './mixture.js';
export type { Placed } from './place.js';
export { RELOCATION_WEIGHTS, place, proposePlacement } from './place.js';
export {
  NIGHT_END_MINUTE,
  NIGHT_LOOK_MINUTES,
  NIGHT_WORK_MINUTE,
  PRESTAGE_FIRST_LOOK,
  PRESTAGE_LAST_LOOK,
  PRESTAGE_SECOND_LOOK,
  keepsPlace,
  prestageWorth,
  reordersLane,
} from './prestage.js';
export type { ResortMove } from './resort.js';
export { NIGHT_RESORT_BUDGET, resortMove } from './resort.js';
export { positionNumber } from './view.js';
