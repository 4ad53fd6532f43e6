/** @module Partner lot allocation: the public API of `src/planner/partner-allocation`. */
export type {
  AllocationInput,
  AllocationReason,
  AllocationResult,
  ExpectedCar,
  PartnerAssignment,
} from './allocate.js';
export { allocatePartner } from './allocate.js';
