import { afterAll, describe, expect, it } from 'vitest';
import type { Pair } from '../../test/support/store-pair.js';
import { PAIR_BACKENDS } from '../../test/support/store-pair.js';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs, TaskId } from '../core/brand.js';
import { mulberry32 } from '../core/random.js';
import { activeDepartureRowsIn } from '../store/departure.repository.js';
import type { Store } from '../store/store.js';
import { insertTask, openTasksOf } from '../store/task.repository.js';
import type { Principal } from './actor.js';
import type { AppContext } from './context.js';
import type { DepartureInput } from './departures.js';
import {
  cancelDeparture,
  checkInWithin,
  checkoutKey,
  declareDeparture,
  depart,
  planAhead,
  returnKey,
} from './operations.js';
import { completeTask, failTask, startTask } from './tasks.js';

const MIN = 60_000;
const guard: Principal = {
  compoundId: 'c1',
  userId: id.guard(1),
  role: 'guard',
  name: 'g1',
  householdId: null,
  partnerLotId: null,
};

/** The open tasks and active departures as a mutation of `store` reads them, and as the tables hold them. */
async function keptAndStored(store: Store): Promise<{ kept: unknown; stored: unknown }> {
  const kept = await store.transaction('c1', async (uow) => ({
    tasks: await openTasksOf(uow),
    departures: await activeDepartureRowsIn(uow),
  }));
  const byId = <T extends { id: string }>(rows: T[]): T[] => rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  const stored = {
    tasks: byId(
      await store.root
        .selectFrom('tasks')
        .selectAll()
        .where('compound_id', '=', 'c1')
        .where('status', 'in', ['queued', 'started'])
        .execute(),
    ),
    departures: byId(
      await store.root
        .selectFrom('departures')
        .selectAll()
        .where('compound_id', '=', 'c1')
        .where('status', '=', 'active')
        .execute(),
    ),
  };
  const k = kept as { tasks: { id: string }[]; departures: { id: string }[] };
  return { kept: { tasks: byId([...k.tasks]), departures: byId([...k.departures]) }, stored };
}

for (const backend of PAIR_BACKENDS) {
  describe(`tables kept with the state on ${backend.name}`, () => {
    const pairs: Pair[] = [];
    afterAll(async () => {
      for (const p of pairs.splice(0)) await p.close();
    });

    it('equal the tables after random operations through two stores on one database', async () => {
      const pair = await backend.pair();
      pairs.push(pair);
      const { a, b } = pair;
      await a.createCompound('c1', '测试小区', T0);
      await a.transaction('c1', async (uow) => {
        for (const event of setupEvents(4)) await uow.append(event);
      });
      const clock = { now: T0 + 10 * MIN };
      let n = 0;
      const contexts = [a, b].map((store): AppContext => ({
        store,
        now: () => clock.now as EpochMs,
        newId: () => `id-${++n}`,
      }));
      const rand = mulberry32(7);
      const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
      const vehicle = () => id.vehicle(1 + Math.floor(rand() * 4));
      const departureInput = (): DepartureInput => {
        const r = rand();
        if (r < 0.4) return { kind: 'now' };
        if (r < 0.7) return { kind: 'once', at: clock.now + Math.floor(1 + rand() * 600) * MIN };
        return { kind: 'standing', time: pick(['07:30', '08:00', '18:00'])!, weekdays: [1, 2, 3, 4, 5, 6, 7] };
      };
      let done = 0;
      for (let op = 0; op < 250; op++) {
        clock.now += Math.floor(rand() * 20) * MIN;
        const ctx = pick(contexts)!;
        const tasks = await ctx.store.transaction('c1', (uow) => openTasksOf(uow));
        const departures = await ctx.store.transaction('c1', (uow) => activeDepartureRowsIn(uow));
        const task = pick(tasks)?.id as TaskId | undefined;
        const operations: (() => Promise<unknown>)[] = [
          () => ctx.store.transaction('c1', (uow) => checkInWithin(ctx, uow, guard, vehicle(), undefined)),
          () => declareDeparture(ctx, guard, vehicle(), departureInput()),
          () => depart(ctx, guard, vehicle()),
          () => planAhead(ctx, 'c1'),
          async () => {
            const d = pick(departures);
            if (d !== undefined) await cancelDeparture(ctx, guard, d.id);
          },
          async () => {
            if (task !== undefined) await completeTask(ctx, guard, task, {});
          },
          async () => {
            if (task !== undefined) await startTask(ctx, guard, task);
          },
          async () => {
            if (task !== undefined) await failTask(ctx, guard, task, 'the car does not start');
          },
          async () => {
            const t = tasks.find((x) => x.id === task);
            if (t === undefined) return;
            const keyTag = id.key(Number(t.vehicle_id.slice(1)));
            await checkoutKey(ctx, guard, keyTag, t.id);
            await completeTask(ctx, guard, t.id as TaskId, {});
            await returnKey(ctx, guard, keyTag);
          },
        ];
        const operation = pick(operations)!;
        const mode = rand();
        try {
          if (mode < 0.2) {
            // A request's own transaction, committed or rolled back with the request.
            const request = await ctx.store.beginRequest();
            try {
              await request.run(operation);
              if (mode < 0.1) await request.commit();
              else await request.rollback();
            } catch (error) {
              await request.rollback();
              throw error;
            }
          } else {
            await operation();
          }
          done++;
        } catch {
          // refused: nothing of it stays, which the comparison below checks
        }
        for (const store of [a, b]) {
          const { kept, stored } = await keptAndStored(store);
          expect(kept, `op ${op}`).toEqual(stored);
        }
      }
      expect(done).toBeGreaterThan(100);
      // The rows kept were used, not read again each time.
      for (const store of [a, b]) expect(store.states.counts.tableHits).toBeGreaterThan(100);
    });

    it('refuses to commit a change of a kept table without an event', async () => {
      const pair = await backend.pair();
      pairs.push(pair);
      const { a } = pair;
      await a.createCompound('c1', '测试小区', T0);
      await a.transaction('c1', async (uow) => {
        for (const event of setupEvents(1)) await uow.append(event);
      });
      const row = {
        compound_id: 'c1',
        id: 't1',
        kind: 'park' as const,
        vehicle_id: 'v1',
        from_position: null,
        to_position: 'A-0',
        reason: 'arrival',
        status: 'queued' as const,
        guard_id: null,
        due_at: T0,
        created_at: T0,
        started_at: null,
        finished_at: null,
        note: null,
        departure_id: null,
      };
      await expect(a.transaction('c1', (uow) => insertTask(uow, row))).rejects.toThrow(/appended no event/);
      expect(await a.root.selectFrom('tasks').select('id').execute()).toEqual([]);
    });
  });
}
