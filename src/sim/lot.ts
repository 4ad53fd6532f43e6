/** @module The simulator's lot is the compound planner's (`src/planner/compound/lot.ts`). */
export type { CarTraits, LotLane, LotPosition, Side } from '../planner/compound/lot.js';
export { Lot } from '../planner/compound/lot.js';
