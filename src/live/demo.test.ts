import { describe, expect, it } from 'vitest';
import type { EpochMs } from '../core/brand.js';
import { shanghaiInstant } from '../core/time.js';
import { demoScenarioPath, readScenarioFile } from '../app/demo.js';
import { compoundFigures } from '../app/reports.js';
import { openStore } from '../store/store.js';
import { loadDemoHistory } from './demo.js';

describe('the demo start', () => {
  it('loads the demo compound with its history: cars in place, keys in custody, a ledger, nightly figures', async () => {
    const scenario = await readScenarioFile(demoScenarioPath());
    const store = await openStore({ dataDir: ':memory:' });
    try {
      // 04:00 after the first simulated evening: every car that came home is parked, and the guards
      // have had free time for the chargers.
      const now = shanghaiInstant('2026-12-02', '04:00');
      let n = 0;
      const progress: number[] = [];
      const { driver } = await loadDemoHistory(store, scenario, {
        historyDays: 1,
        seed: 1,
        now,
        newId: () => `d-${++n}`,
        onProgress: (done) => progress.push(done),
      });
      expect(progress).toEqual([1, 2]);
      const id = scenario.compound.id;
      const state = await store.state(id);
      const parked = [...state.vehicles.values()].filter((v) => v.location.kind === 'parked').length;
      expect(parked).toBeGreaterThan(scenario.vehicles.length * 0.8);
      expect([...state.keys.values()].filter((k) => k.custody.kind === 'in-cabinet').length).toBeGreaterThan(0);
      expect(state.onDuty.size).toBe(scenario.roster.guardsPerShift);
      expect(await store.verify(id)).toMatchObject({ ok: true });
      // The EVs asked for their evening's charge at check-in, and the planning pass rotated the chargers.
      expect(driver?.stats.chargingRequests).toBeGreaterThan(0);
      const charging = (await store.events(id)).filter(
        (e) => e.type === 'car.moved' && e.payload.reason === 'charging',
      );
      expect(charging.length).toBeGreaterThan(0);
      const figures = await compoundFigures({ store, now: () => now as EpochMs, newId: () => 'x' }, id, 7);
      const lastNight = figures.nights.at(-1);
      expect(lastNight?.checkIns).toBe(driver?.stats.checkIns);
      expect(Math.max(...figures.profiles.occupancyByHalfHour.map((x) => x ?? 0))).toBeGreaterThan(0);
      expect(Math.max(...figures.profiles.guardBusyMinByHalfHour.map((x) => x ?? 0))).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 600_000);

  it('loads the bare compound with no history: every car out, one ledger event per fact', async () => {
    const scenario = await readScenarioFile(demoScenarioPath());
    const store = await openStore({ dataDir: ':memory:' });
    try {
      const { driver, load } = await loadDemoHistory(store, scenario, {
        historyDays: 0,
        seed: 1,
        now: shanghaiInstant('2026-12-02', '01:00'),
        newId: () => 'unused',
      });
      expect(driver).toBeNull();
      const state = await store.state(scenario.compound.id);
      expect([...state.vehicles.values()].every((v) => v.location.kind === 'away')).toBe(true);
      expect((await store.verify(scenario.compound.id)).events).toBe(load.events);
    } finally {
      await store.close();
    }
  });
});
