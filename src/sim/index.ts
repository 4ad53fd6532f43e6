/**
 * @module The simulator: `simulate` runs a scenario under a policy; policies by name; KPIs. The HTML
 * report is `./report.js`, apart, so that what loads the simulator does not load its charts library.
 */
import { greedyPolicy } from './greedy-policy.js';
import { naivePolicy } from './naive-policy.js';
import { plannerPlusPolicy, plannerPolicy } from './planner-policy.js';
import type { Policy } from './policy.js';

export type { Policy, PolicyContext, SimCar, DepartureKnowledge } from './policy.js';
export type { NightKpi, OverallKpi } from './kpi.js';
export type {
  DepartureTrace,
  MoveTrace,
  SimOptions,
  SimProfiles,
  SimResult,
  TaskTrace,
  ViolationTrace,
} from './engine.js';
export { simulate } from './engine.js';
export { drawBehaviour } from './behaviour.js';

/** The policies by name, in the order a comparison lists them. */
export const POLICIES: Readonly<Record<string, Policy>> = {
  naive: naivePolicy,
  greedy: greedyPolicy,
  planner: plannerPolicy,
  'planner-plus': plannerPlusPolicy,
};
