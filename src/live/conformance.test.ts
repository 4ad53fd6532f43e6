/**
 * The conformance of the product with the fast engine: the same seeded residents of a small
 * compound through the engine with the planner policy and through the product (the driver), their
 * decisions side by side.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { smallDemoScenario } from '../../test/support/small-demo.js';
import { loadScenario } from '../app/demo.js';
import { openStore } from '../store/store.js';
import { plannerPolicy } from '../sim/planner-policy.js';
import type { Placement } from './conformance.js';
import { enginePlacements, productPlacements } from './conformance.js';
import type { Decision } from './driver.js';
import { LiveDriver, originOf } from './driver.js';
import { virtualTimeline } from './timeline.js';

const scenario = smallDemoScenario();
const START = '2026-11-03';
const SEED = 11;
/** The warm-up day: every car comes home to an empty lot. */
const FIRST_EVENING = 1440;

let engine: Placement[] = [];
let product: Placement[] = [];

beforeAll(async () => {
  engine = enginePlacements(scenario, plannerPolicy, { seed: SEED, startDate: START, days: 1, until: FIRST_EVENING });
  const store = await openStore({ dataDir: ':memory:' });
  try {
    let n = 0;
    const decisions: Decision[] = [];
    const driver = new LiveDriver({
      scenario,
      seed: SEED,
      store,
      timeline: virtualTimeline(originOf(START)),
      startDate: START,
      days: 1,
      newId: () => `c-${++n}`,
      onDecision: (d) => decisions.push(d),
    });
    await loadScenario(driver.ctx, scenario);
    await driver.run(0, FIRST_EVENING);
    product = productPlacements(decisions, FIRST_EVENING);
  } finally {
    await store.close();
  }
}, 180_000);

describe('the product and the engine, the same seeded residents (first evening, empty lot)', () => {
  it('are asked to park the same cars in the same order, at the same minutes', () => {
    expect(engine.length).toBe(scenario.vehicles.length);
    expect(product.map((p) => [p.vehicleId, Math.round(p.minute)])).toEqual(
      engine.map((p) => [p.vehicleId, Math.round(p.minute)]),
    );
  });

  // WAITS FOR THE ONE-PLANNER MERGE. Today the engine's planner policy (src/sim/planner-policy.ts:
  // mixture beliefs, kept lanes for keyless cars, due lanes) and the server's placement
  // (src/app/tasks.ts proposeParking: placeArrival with reserved positions) are two rules. On this
  // seed 9 of the 24 cars get the same position; v007, the first car, goes to L03-0 in the engine
  // and to L21-2 in the product. When both call the one module in src/planner, turn this into:
  //   expect(product).toEqual(engine)   (vehicleId, minute and positionId of every placement)
  it.todo('give every car the same position (needs the one planner in src/planner for both)');
  // WAITS FOR THE ONE-PLANNER MERGE too, and for a task trace from the engine: its onTask callback
  // reports a task's kind, guard, times and lanes, not the car, from and to; the merge should add
  // them (or a decision callback) so the relocations and pre-staging of the first morning can be
  // compared as (kind, vehicleId, from, to) in the order the guards start them with the driver's
  // 'task' decisions.
  it.todo('schedule the same relocations and pre-staging tasks in the same order on the first morning');
  it.todo('turn away the same cars and free the same cars for their residents (follows from the two above)');
});
