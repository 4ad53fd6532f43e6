import { afterAll, describe, expect, it } from 'vitest';
import { ledgerHistory } from '../../bench/ledger-history.js';
import { BACKENDS } from '../../test/support/backends.js';
import type { EpochMs } from '../core/brand.js';
import type { NewEvent } from '../core/events.js';
import { mulberry32 } from '../core/random.js';
import { nightDayOf } from './night.js';
import { compoundFigures, dayProfiles, nightlyFigures } from './reports.js';
import type { Store } from '../store/store.js';

const T0 = Date.parse('2026-10-01T04:00:00Z');
const DAY = 86_400_000;

async function append(store: Store, events: NewEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500)
    await store.transaction('c1', async (uow) => {
      for (const e of events.slice(i, i + 500)) await uow.append(e);
    });
}

/** The figures as the whole ledger gives them: the reference the windowed read must equal. */
async function fromWholeLedger(store: Store, now: number, nights: number) {
  const events = await store.events('c1');
  const since = Date.parse(nightDayOf(now)) - nights * DAY;
  return {
    nights: nightlyFigures(
      events.filter((e) => e.at >= since - DAY),
      now,
      nights,
    ),
    profiles: dayProfiles(events, now, nights),
  };
}

for (const backend of BACKENDS) {
  describe(`compound figures from the window on (${backend.name})`, () => {
    afterAll(() => backend.cleanup());

    it('equal the figures of the whole ledger, as the window moves, the ledger grows and the nights change', async () => {
      const store = await backend.open();
      await store.createCompound('c1', '测试小区', T0);
      const history = [...ledgerHistory({ cars: 200, perDay: 60, start: T0, events: 5000, rand: mulberry32(8) })];
      const cut = Math.floor(history.length * 0.7);
      await append(store, history.slice(0, cut));
      let clock = T0;
      const ctx = { store, now: () => clock as EpochMs, newId: () => 'x' };
      const lastAt = history[cut - 1]!.at;
      const checks: [number, number][] = [
        [T0 + 3 * DAY, 7],
        [lastAt - 5 * DAY, 7],
        [lastAt - 5 * DAY, 7],
        [lastAt - 2 * DAY + 3_600_000, 2],
        [lastAt, 30],
        [lastAt, 1],
      ];
      for (const [now, nights] of checks) {
        clock = now;
        expect(await compoundFigures(ctx, 'c1', nights), `${new Date(now).toISOString()} ${nights}`).toEqual(
          await fromWholeLedger(store, now, nights),
        );
      }
      // More events: the kept carry is brought forward by them.
      await append(store, history.slice(cut));
      for (const nights of [3, 7]) {
        clock = history.at(-1)!.at + 3_600_000;
        expect(await compoundFigures(ctx, 'c1', nights)).toEqual(await fromWholeLedger(store, clock, nights));
      }
      // The window reads fewer events than the ledger holds.
      const first = await store.firstSeqAt('c1', clock - 8 * DAY);
      expect(first).toBeGreaterThan(2000);
      await store.close();
    });
  });
}
