/**
 * @module One form for the decisions of the fast engine (`src/sim/engine.ts`) and of the product
 * driven by the same residents (`driver.ts`), so a test can put them side by side: the cars the
 * guards are asked to park, in the order they are asked, and the position each is given.
 *
 * The engine decides a car's position when a guard takes the park task; the product when the car
 * is checked in at the gate (the task carries it). Both ask in the order the cars reach the gate.
 */
import type { Scenario } from '../core/scenario.js';
import { simulate } from '../sim/engine.js';
import type { Policy } from '../sim/policy.js';
import type { Decision } from './driver.js';

/** A car given a place: when (minute of the residents' timeline), which car, where (null: no place). */
export interface Placement {
  minute: number;
  vehicleId: string;
  positionId: string | null;
}

/**
 * The engine's placements under `policy` up to minute `until`: the policy's answer the first time
 * the engine asks it for each arrival of a car (the engine asks again when a start is deferred;
 * that answer is not a new decision).
 */
export function enginePlacements(
  scenario: Scenario,
  policy: Policy,
  options: { seed: number; startDate: string; days: number; until: number },
): Placement[] {
  const out: Placement[] = [];
  const asked = new Set<string>();
  const recording: Policy = {
    ...policy,
    park: (ctx, car, avoid) => {
      const p = policy.park(ctx, car, avoid);
      const vehicleId = ctx.cars[car]?.id ?? String(car);
      if (ctx.now < options.until && !asked.has(vehicleId)) {
        asked.add(vehicleId);
        out.push({ minute: ctx.now, vehicleId, positionId: p === null ? null : ctx.lot.pos(p).id });
      }
      return p;
    },
  };
  simulate(scenario, recording, {
    days: options.days,
    seed: options.seed,
    startDate: options.startDate,
    onDeparture: (d) => {
      // A car that left may be asked about again on its next arrival.
      asked.delete(scenario.vehicles[d.car]?.id ?? '');
    },
  });
  return out;
}

/** The product's placements from the driver's decisions, up to minute `until`. */
export function productPlacements(decisions: readonly Decision[], until: number): Placement[] {
  return decisions
    .filter((d): d is Extract<Decision, { kind: 'check-in' }> => d.kind === 'check-in' && d.minute < until)
    .map((d) => ({ minute: d.minute, vehicleId: d.vehicleId, positionId: d.positionId }));
}
