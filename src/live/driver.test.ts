import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/support/backends.js';
import { smallDemoScenario } from '../../test/support/small-demo.js';
import { loadScenario } from '../app/demo.js';
import { compoundFigures } from '../app/reports.js';
import type { Store } from '../store/store.js';
import type { Decision } from './driver.js';
import { LiveDriver, originOf } from './driver.js';
import { virtualTimeline } from './timeline.js';

const scenario = smallDemoScenario();
const START = '2026-11-03';

/** Plays the small compound from the warm-up day's midnight up to minute `until`; returns the driver and its decisions. */
async function play(store: Store, until: number, seed = 3): Promise<{ driver: LiveDriver; decisions: Decision[] }> {
  const days = Math.ceil(until / 1440);
  let n = 0;
  const decisions: Decision[] = [];
  const driver = new LiveDriver({
    scenario,
    seed,
    store,
    timeline: virtualTimeline(originOf(START)),
    startDate: START,
    days,
    newId: () => `t-${++n}`,
    onDecision: (d) => decisions.push(d),
  });
  await loadScenario(driver.ctx, scenario);
  await driver.run(0, until);
  return { driver, decisions };
}

for (const backend of BACKENDS) {
  describe(`the live driver (${backend.name})`, () => {
    afterAll(() => backend.cleanup());

    it('plays two days through the use cases: cars parked, moved and gone, a ledger that verifies and replays', async () => {
      const store = await backend.open();
      try {
        const { driver } = await play(store, 2 * 1440);
        const id = scenario.compound.id;
        const s = driver.stats;
        expect(s.checkIns).toBeGreaterThan(scenario.vehicles.length);
        expect(s.departures).toBeGreaterThan(0);
        expect(s.tasksDone).toBeGreaterThanOrEqual(s.checkIns - s.turnedAway);
        expect(s.handovers).toBeGreaterThanOrEqual(2);
        expect(s.declarations).toBeGreaterThan(0);
        expect(await store.verify(id)).toMatchObject({ ok: true });
        expect((await store.replay(id)).equal).toBe(true);
        // At noon of the second day: the cars that stayed home stand in their places, keys back in the cabinet.
        const state = await store.state(id);
        const parked = [...state.vehicles.values()].filter((v) => v.location.kind === 'parked');
        expect(parked.length).toBeGreaterThan(0);
        expect([...state.keys.values()].every((k) => k.custody.kind === 'in-cabinet')).toBe(true);
        const figures = await compoundFigures(driver.ctx, id, 2);
        expect(figures.nights.reduce((sum, n) => sum + n.checkIns, 0)).toBe(s.checkIns);
        expect(figures.nights.reduce((sum, n) => sum + n.departures, 0)).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    }, 180_000);

    it('makes the same decisions for the same seed, and others for another (to 09:00 of the first day)', async () => {
      const runs: Decision[][] = [];
      for (const seed of [5, 5, 6]) {
        const store = await backend.open();
        try {
          runs.push((await play(store, 1440 + 9 * 60, seed)).decisions);
        } finally {
          await store.close();
        }
      }
      expect(runs[0]!.length).toBeGreaterThan(0);
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).not.toEqual(runs[0]);
    }, 180_000);
  });
}
