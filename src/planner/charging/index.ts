/** @module Night charging of EVs: the public API of `src/planner/charging`. */
export type {
  ChargeBlock,
  ChargeRequest,
  Charger,
  ChargerSwap,
  ChargingNight,
  ChargingPlan,
  RequestOutcome,
} from './plan-night.js';
export { planCharging } from './plan-night.js';
export type { IntervalFlow } from './flow.js';
export { Dinic } from './flow.js';
