import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/support/backends.js';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs } from '../core/brand.js';
import { DomainError } from '../core/errors.js';
import type { NewEvent } from '../core/events.js';
import type { Store } from './store.js';

const at = (s: number) => (T0 + s * 1000) as EpochMs;

async function seeded(store: Store, compoundId = 'c1', cars = 3): Promise<void> {
  await store.createCompound(compoundId, '测试小区', T0);
  await store.transaction(compoundId, async (uow) => {
    for (const event of setupEvents(cars)) await uow.append(event);
  });
}

async function appendAll(
  store: Store,
  compoundId: string,
  events: Omit<NewEvent, 'at' | 'actor'>[],
  start = 100,
): Promise<void> {
  let s = start;
  for (const body of events) {
    await store.transaction(compoundId, (uow) => uow.append({ ...body, at: at(s++), actor: id.guard(1) } as NewEvent));
  }
}

for (const backend of BACKENDS) {
  describe(`store contract on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('creates a compound whose chain starts with compound.created and verifies', async () => {
      const store = await backend.open();
      await store.createCompound('c1', '测试小区', T0);
      const events = await store.events('c1');
      expect(events.map((e) => [e.seq, e.type])).toEqual([[1, 'compound.created']]);
      expect(await store.verify('c1')).toMatchObject({ ok: true, events: 1 });
      await expect(store.createCompound('c1', 'again', T0)).rejects.toMatchObject({ code: 'COMPOUND_EXISTS' });
      await store.close();
    });

    it('writes the state change and its event together, and neither when the work fails', async () => {
      const store = await backend.open();
      await seeded(store);
      const before = await store.events('c1');
      await expect(
        store.transaction('c1', async (uow) => {
          await uow.append({
            type: 'car.checked-in',
            payload: { vehicleId: id.vehicle(1) },
            at: at(50),
            actor: id.guard(1),
          });
          throw new Error('the phone lost its connection');
        }),
      ).rejects.toThrow('the phone lost its connection');
      expect(await store.events('c1')).toHaveLength(before.length);
      expect((await store.state('c1')).vehicles.get(id.vehicle(1))?.location).toEqual({ kind: 'away' });
      await store.close();
    });

    it('refuses an illegal transition with its code and writes nothing', async () => {
      const store = await backend.open();
      await seeded(store);
      const before = await store.replay('c1');
      const error = await store
        .transaction('c1', (uow) =>
          uow.append({
            type: 'car.parked',
            payload: { vehicleId: id.vehicle(1), positionId: id.position('A-0'), taskId: null },
            at: at(1),
            actor: id.guard(1),
          }),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('CAR_NOT_AT_GATE');
      const after = await store.replay('c1');
      expect(after.events).toBe(before.events);
      expect(after.stored).toEqual(before.stored);
      await store.close();
    });

    it('rebuilds exactly the stored state from the ledger after a run of mutations', async () => {
      const store = await backend.open();
      await seeded(store, 'c1', 3);
      await appendAll(store, 'c1', [
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(1) } },
        { type: 'key.checked-out', payload: { keyTag: id.key(1), guardId: id.guard(1), taskId: null } },
        { type: 'car.parked', payload: { vehicleId: id.vehicle(1), positionId: id.position('A-2'), taskId: null } },
        { type: 'key.returned', payload: { keyTag: id.key(1), guardId: id.guard(1) } },
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(2) } },
        { type: 'car.parked', payload: { vehicleId: id.vehicle(2), positionId: id.position('B-1'), taskId: null } },
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(3) } },
        { type: 'car.parked', payload: { vehicleId: id.vehicle(3), positionId: id.position('A-1'), taskId: null } },
        { type: 'key.checked-out', payload: { keyTag: id.key(3), guardId: id.guard(1), taskId: null } },
        {
          type: 'car.moved',
          payload: {
            vehicleId: id.vehicle(3),
            from: id.position('A-1'),
            to: id.position('B-0'),
            reason: 'relocation',
            taskId: null,
          },
        },
        { type: 'car.departed', payload: { vehicleId: id.vehicle(1), by: 'resident' } },
      ]);
      const result = await store.replay('c1');
      expect(result.equal).toBe(true);
      expect(result.stored.vehicles.find((v) => v.id === id.vehicle(3))?.location).toEqual({
        kind: 'parked',
        positionId: 'B-0',
      });
      expect(result.stored.keys.find((k) => k.tag === id.key(3))?.custody).toMatchObject({
        kind: 'with-guard',
        guardId: 'g1',
      });
      expect(result.stored.layout.lanes[2]?.positions[0]?.closures).toHaveLength(1);
      expect(await store.verify('c1')).toMatchObject({ ok: true });
      await store.close();
    });

    it('keeps one chain without gaps under concurrent mutations of one compound', async () => {
      const store = await backend.open();
      await seeded(store, 'c1', 6);
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5, 6].map((n) =>
          store.transaction('c1', (uow) =>
            uow.append({
              type: 'car.checked-in',
              payload: { vehicleId: id.vehicle(n) },
              at: at(n),
              actor: id.guard(1),
            }),
          ),
        ),
      );
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const events = await store.events('c1');
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(await store.verify('c1')).toMatchObject({ ok: true });
      expect((await store.replay('c1')).equal).toBe(true);
      await store.close();
    });

    it('lets exactly one of two conflicting concurrent mutations succeed', async () => {
      const store = await backend.open();
      await seeded(store, 'c1', 2);
      await appendAll(store, 'c1', [
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(1) } },
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(2) } },
      ]);
      const park = (n: number) =>
        store.transaction('c1', (uow) =>
          uow.append({
            type: 'car.parked',
            payload: { vehicleId: id.vehicle(n), positionId: id.position('A-2'), taskId: null },
            at: at(300),
            actor: id.guard(1),
          }),
        );
      const results = await Promise.allSettled([park(1), park(2)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'POSITION_OCCUPIED' });
      await store.close();
    });

    it('keeps compounds apart', async () => {
      const store = await backend.open();
      await seeded(store, 'c1', 1);
      await seeded(store, 'c2', 2);
      expect((await store.state('c1')).vehicles.size).toBe(1);
      expect((await store.state('c2')).vehicles.size).toBe(2);
      expect(await store.compoundIds()).toEqual(['c1', 'c2']);
      expect(await store.verify('c1')).toMatchObject({ ok: true });
      await expect(store.transaction('nowhere', async () => 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await store.close();
    });

    it("reads a car's history through the subject index: its events and its key's, as a scan would", async () => {
      const store = await backend.open();
      await seeded(store, 'c1', 3);
      await appendAll(store, 'c1', [
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(1) } },
        { type: 'key.checked-out', payload: { keyTag: id.key(1), guardId: id.guard(1), taskId: null } },
        { type: 'car.checked-in', payload: { vehicleId: id.vehicle(2) } },
        { type: 'car.parked', payload: { vehicleId: id.vehicle(1), positionId: id.position('A-2'), taskId: null } },
        { type: 'key.returned', payload: { keyTag: id.key(1), guardId: id.guard(1) } },
      ]);
      const all = await store.events('c1');
      for (const n of [1, 2, 3]) {
        const scan = all.filter((e) => {
          const p = e.payload as { vehicleId?: string; keyTag?: string };
          return p.vehicleId === id.vehicle(n) || p.keyTag === id.key(n);
        });
        expect(scan.length).toBeGreaterThan(0);
        expect(await store.eventsAbout('c1', [`vehicle:${id.vehicle(n)}`, `key:${id.key(n)}`])).toEqual(scan);
      }
      await store.close();
    });

    it('verifies on from its checkpoint, and from the start when the checkpoint event was changed', async () => {
      const store = await backend.open();
      await seeded(store, 'c1', 2);
      const first = await store.verify('c1', { fromCheckpoint: true, now: T0 });
      expect(first).toMatchObject({ ok: true });
      await appendAll(store, 'c1', [{ type: 'car.checked-in', payload: { vehicleId: id.vehicle(1) } }]);
      const events = await store.events('c1');
      expect(await store.verify('c1', { fromCheckpoint: true })).toMatchObject({ ok: true, events: events.length });
      // An edit after the checkpoint is found from it.
      const head = events.at(-1)!;
      await store.db
        .updateTable('ledger_events')
        .set({ at: head.at + 1 })
        .where('compound_id', '=', 'c1')
        .where('seq', '=', head.seq)
        .execute();
      expect(await store.verify('c1', { fromCheckpoint: true })).toMatchObject({ ok: false, badSeq: head.seq });
      // A checkpoint event whose stored hash was changed sends the check back to the start.
      await store.db
        .updateTable('ledger_events')
        .set({ at: head.at })
        .where('compound_id', '=', 'c1')
        .where('seq', '=', head.seq)
        .execute();
      expect(await store.verify('c1', { fromCheckpoint: true })).toMatchObject({ ok: true });
      await store.db
        .updateTable('ledger_events')
        .set({ hash: 'f'.repeat(64) })
        .where('compound_id', '=', 'c1')
        .where('seq', '=', head.seq)
        .execute();
      expect(await store.verify('c1', { fromCheckpoint: true })).toMatchObject({
        ok: false,
        badSeq: head.seq,
        problem: 'edited',
      });
      await store.close();
    });

    describe('ledger verify', () => {
      async function tampered(tamper: (store: Store) => Promise<void>) {
        const store = await backend.open();
        await seeded(store, 'c1', 2);
        await tamper(store);
        const result = await store.verify('c1');
        await store.close();
        return result;
      }

      it('names an event whose payload was edited', async () => {
        const result = await tampered((store) =>
          store.db
            .updateTable('ledger_events')
            .set({ payload: '{"vehicleId":"v9"}' })
            .where('compound_id', '=', 'c1')
            .where('seq', '=', 5)
            .execute()
            .then(() => {}),
        );
        expect(result).toMatchObject({ ok: false, badSeq: 5, problem: 'edited' });
        if (!result.ok) expect(result.message).toContain('#5');
      });

      it('names a deleted event', async () => {
        const result = await tampered((store) =>
          store.db
            .deleteFrom('ledger_events')
            .where('compound_id', '=', 'c1')
            .where('seq', '=', 4)
            .execute()
            .then(() => {}),
        );
        expect(result).toMatchObject({ ok: false, badSeq: 4, problem: 'missing' });
        if (!result.ok) expect(result.message).toContain('#4');
      });

      it('names the last event when it was cut off', async () => {
        const store = await backend.open();
        await seeded(store, 'c1', 1);
        const last = (await store.events('c1')).at(-1)!;
        await store.db
          .deleteFrom('ledger_events')
          .where('compound_id', '=', 'c1')
          .where('seq', '=', last.seq)
          .execute();
        const result = await store.verify('c1');
        expect(result).toMatchObject({ ok: false, badSeq: last.seq, problem: 'missing' });
        await store.close();
      });

      it('names two swapped events', async () => {
        const result = await tampered(async (store) => {
          // Swap the contents of events 3 and 4 while keeping their numbers.
          const rows = await store.db
            .selectFrom('ledger_events')
            .selectAll()
            .where('compound_id', '=', 'c1')
            .where('seq', 'in', [3, 4])
            .orderBy('seq')
            .execute();
          const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
          await store.db
            .deleteFrom('ledger_events')
            .where('compound_id', '=', 'c1')
            .where('seq', 'in', [3, 4])
            .execute();
          await store.db
            .insertInto('ledger_events')
            .values([
              { ...b, seq: 3 },
              { ...a, seq: 4 },
            ])
            .execute();
        });
        expect(result).toMatchObject({ ok: false, badSeq: 3, problem: 'reordered' });
        if (!result.ok) expect(result.message).toContain('#3');
      });
    });
  });
}
