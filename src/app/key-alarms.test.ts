import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { BACKENDS } from '../../test/support/backends.js';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs } from '../core/brand.js';
import type { EventBody, PayloadOf } from '../core/events.js';
import type { Store } from '../store/store.js';
import type { Principal, Role } from './actor.js';
import type { AppContext } from './context.js';
import { checkKeyAlarms, openKeyAlarms, startKeyAlarmJob } from './key-alarms.js';

const MIN = 60_000;
const manager: Principal = {
  compoundId: 'c1',
  userId: 'm1' as never,
  role: 'manager',
  name: '王经理',
  householdId: null,
  partnerLotId: null,
};

async function seeded(store: Store): Promise<AppContext & { clock: { now: number } }> {
  await store.createCompound('c1', '测试小区', T0);
  await store.transaction('c1', async (uow) => {
    for (const event of setupEvents(2)) await uow.append(event);
  });
  const user = (uid: string, role: Role, name: string) => ({
    compound_id: 'c1',
    id: uid,
    role,
    name,
    phone: `1380000${uid.padStart(4, '0')}`,
    password_hash: null,
    household_id: null,
    partner_lot_id: null,
  });
  await store.db
    .insertInto('users')
    .values([user('m1', 'manager', '王经理'), user('m2', 'manager', '李经理'), user('g1', 'guard', '张师傅')])
    .execute();
  await store.db
    .insertInto('vehicle_plates')
    .values({ compound_id: 'c1', vehicle_id: 'v1', plate: '沪A12345' })
    .execute();
  const clock = { now: T0 + 10 * MIN };
  let n = 0;
  return { store, clock, now: () => clock.now as EpochMs, newId: () => `id-${++n}` };
}

async function append(ctx: AppContext & { clock: { now: number } }, body: EventBody): Promise<void> {
  await ctx.store.transaction('c1', (uow) => uow.append({ ...body, at: ctx.clock.now as EpochMs, actor: id.guard(1) }));
}

async function alarmRecords(store: Store) {
  return (await store.events('c1')).flatMap((e) =>
    e.type === 'record' && (e.payload as PayloadOf<'record'>).kind === 'key.alarm'
      ? [e.payload as PayloadOf<'record'>]
      : [],
  );
}

for (const backend of BACKENDS) {
  describe(`key-out alarm on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('alarms the managers and the guard once per checkout when a key is out past the limit', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await seeded(store);
      const out = ctx.clock.now;
      await append(ctx, {
        type: 'key.checked-out',
        payload: { keyTag: id.key(1), guardId: id.guard(1), taskId: null },
      });

      ctx.clock.now = out + 15 * MIN - 1;
      expect(await checkKeyAlarms(ctx, 'c1', 15)).toEqual([]);
      expect(await openKeyAlarms(ctx, manager, 15)).toEqual([]);

      ctx.clock.now = out + 16 * MIN;
      // Two checks at once (two servers): one raises the alarm, the other finds it raised.
      const raised = (await Promise.all([checkKeyAlarms(ctx, 'c1', 15), checkKeyAlarms(ctx, 'c1', 15)])).flat();
      expect(raised).toMatchObject([
        {
          keyTag: 'K1',
          vehicleId: 'v1',
          plate: '沪A12345',
          guardId: 'g1',
          guardName: '张师傅',
          since: out,
          minutes: 16,
          alarmedAt: ctx.clock.now,
        },
      ]);
      expect(await alarmRecords(store)).toEqual([
        {
          kind: 'key.alarm',
          refId: `K1@${out}`,
          keyTag: 'K1',
          vehicleId: 'v1',
          detail: { guardId: 'g1', taskId: null, checkedOutAt: out, minutes: 16, limitMinutes: 15 },
        },
      ]);
      const feed = await store.db
        .selectFrom('notifications')
        .select(['user_id', 'kind', 'ref', 'body'])
        .orderBy('user_id')
        .execute();
      expect(feed.map((f) => [f.user_id, f.kind, f.ref])).toEqual([
        ['g1', 'key.alarm', 'K1'],
        ['m1', 'key.alarm', 'K1'],
        ['m2', 'key.alarm', 'K1'],
      ]);
      expect(feed[1]?.body).toContain('沪A12345');
      expect(await store.db.selectFrom('notification_outbox').select('status').execute()).toHaveLength(3);

      // Later checks of the same checkout raise nothing.
      ctx.clock.now = out + 30 * MIN;
      expect(await checkKeyAlarms(ctx, 'c1', 15)).toEqual([]);
      expect(await alarmRecords(store)).toHaveLength(1);
      expect(await store.db.selectFrom('notifications').select('id').execute()).toHaveLength(3);
      expect(await openKeyAlarms(ctx, manager, 15)).toMatchObject([
        { keyTag: 'K1', guardId: 'g1', minutes: 30, alarmedAt: out + 16 * MIN },
      ]);
      expect((await store.verify('c1')).ok).toBe(true);

      // Returned: no open alarm. Out again: a new checkout, a new alarm.
      await append(ctx, { type: 'key.returned', payload: { keyTag: id.key(1), guardId: id.guard(1) } });
      expect(await openKeyAlarms(ctx, manager, 15)).toEqual([]);
      const again = ctx.clock.now;
      await append(ctx, {
        type: 'key.checked-out',
        payload: { keyTag: id.key(1), guardId: id.guard(1), taskId: null },
      });
      ctx.clock.now = again + 20 * MIN;
      expect(await checkKeyAlarms(ctx, 'c1', 15)).toMatchObject([{ keyTag: 'K1', since: again, minutes: 20 }]);
      expect((await alarmRecords(store)).map((p) => p.refId)).toEqual([`K1@${out}`, `K1@${again}`]);
    });

    it('follows the configured limit and leaves keys in the cabinet alone', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await seeded(store);
      const out = ctx.clock.now;
      await append(ctx, {
        type: 'key.checked-out',
        payload: { keyTag: id.key(2), guardId: id.guard(1), taskId: null },
      });
      ctx.clock.now = out + 6 * MIN;
      expect(await checkKeyAlarms(ctx, 'c1', 15)).toEqual([]);
      expect(await checkKeyAlarms(ctx, 'c1', 5)).toMatchObject([{ keyTag: 'K2', minutes: 6 }]);
      expect((await openKeyAlarms(ctx, manager, 5)).map((a) => a.keyTag)).toEqual(['K2']);
    });

    it('runs periodically for every compound until stopped', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await seeded(store);
      const out = ctx.clock.now;
      await append(ctx, {
        type: 'key.checked-out',
        payload: { keyTag: id.key(1), guardId: id.guard(1), taskId: null },
      });
      ctx.clock.now = out + 20 * MIN;
      const job = startKeyAlarmJob(ctx, { limitMinutes: 15, intervalMs: 5 });
      while ((await alarmRecords(store)).length === 0) await new Promise((r) => setTimeout(r, 5));
      await job.stop();
      expect(await alarmRecords(store)).toHaveLength(1);
    });
  });
}
