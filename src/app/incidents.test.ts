import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { BACKENDS } from '../../test/support/backends.js';
import { EXIF_MARKER, jpegWithGps, png } from '../../test/support/photos.js';
import { T0, id, setupEvents } from '../../test/support/small-compound.js';
import type { EpochMs, UserId } from '../core/brand.js';
import type { PayloadOf } from '../core/events.js';
import type { Store } from '../store/store.js';
import type { Principal, Role } from './actor.js';
import type { AppContext } from './context.js';
import {
  HOUSEHOLD_PHOTO_QUOTA,
  INCIDENT_PHOTO_QUOTA,
  addIncidentPhoto,
  incidentDetail,
  incidentPhoto,
  openIncident,
  reportLostKey,
} from './incidents.js';

const MIN = 60_000;
const principal = (userId: string, role: Principal['role'], householdId: string | null = null): Principal => ({
  compoundId: 'c1',
  userId: userId as UserId,
  role,
  name: userId,
  householdId: householdId as never,
  partnerLotId: null,
});
const manager = principal('m1', 'manager');
const guard = principal('g1', 'guard');
const resident = principal('r1', 'resident', 'h1');

async function seeded(store: Store): Promise<AppContext & { clock: { now: number } }> {
  await store.createCompound('c1', '测试小区', T0);
  await store.transaction('c1', async (uow) => {
    for (const event of setupEvents(2)) await uow.append(event);
  });
  const user = (uid: string, role: Role, household: string | null) => ({
    compound_id: 'c1',
    id: uid,
    role,
    name: uid,
    phone: `1390000${uid.padStart(4, '0')}`,
    password_hash: null,
    household_id: household,
    partner_lot_id: null,
  });
  await store.db
    .insertInto('users')
    .values([
      user('m1', 'manager', null),
      user('g1', 'guard', null),
      user('r1', 'resident', 'h1'),
      user('r2', 'resident', 'h2'),
    ])
    .execute();
  const clock = { now: T0 + 10 * MIN };
  let n = 0;
  return { store, clock, now: () => clock.now as EpochMs, newId: () => `id-${++n}` };
}

async function counts(store: Store) {
  const n = async (t: 'incidents' | 'notifications' | 'notification_outbox' | 'incident_photos') =>
    Number(
      (
        await store.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    incidents: await n('incidents'),
    notifications: await n('notifications'),
    outbox: await n('notification_outbox'),
    photos: await n('incident_photos'),
    events: (await store.events('c1')).length,
  };
}

for (const backend of BACKENDS) {
  describe(`incidents on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it("opens an incident inside the caller's transaction, and nothing of it when that transaction fails", async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await seeded(store);
      const before = await counts(store);
      // A shift hand-over that finds a mismatch, then fails for another reason: nothing stays.
      await expect(
        store.transaction('c1', async (uow) => {
          await openIncident(uow, ctx, 'system', {
            kind: 'handover-mismatch',
            keyTag: id.key(2),
            title: '交接时钥匙数不符',
            description: '少一把',
          });
          throw new Error('the hand-over failed');
        }),
      ).rejects.toThrow('the hand-over failed');
      expect(await counts(store)).toEqual(before);

      const incident = await store.transaction('c1', (uow) =>
        openIncident(uow, ctx, 'system', {
          kind: 'handover-mismatch',
          keyTag: id.key(2),
          title: '交接时钥匙数不符',
          description: '少一把',
        }),
      );
      expect(incident).toMatchObject({
        kind: 'handover-mismatch',
        keyTag: 'K2',
        vehicleId: 'v2',
        owner: 'm1',
        openedBy: 'system',
        status: 'open',
      });
      expect(await counts(store)).toMatchObject({ incidents: 1, events: before.events + 1 });
      // The manager and the resident of v2's household are told.
      const told = await store.db.selectFrom('notifications').select(['user_id', 'ref']).orderBy('user_id').execute();
      expect(told).toEqual([
        { user_id: 'm1', ref: incident.id },
        { user_id: 'r2', ref: incident.id },
      ]);
      expect((await store.verify('c1')).ok).toBe(true);
    });

    it('stores photos re-encoded without EXIF, and refuses a resident the incidents of other cars', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await seeded(store);
      const incident = await store.transaction('c1', (uow) =>
        openIncident(uow, ctx, 'm1' as UserId, {
          kind: 'damage',
          vehicleId: id.vehicle(1),
          title: '划痕',
          description: '',
        }),
      );
      const jpeg = await jpegWithGps();
      const photo = await addIncidentPhoto(ctx, resident, incident.id, 'image/jpeg', jpeg.toString('base64'));
      const got = await incidentPhoto(ctx, manager, incident.id, photo.id);
      expect(got.contentType).toBe('image/jpeg');
      expect(got.data.toString('latin1')).not.toContain(EXIF_MARKER);
      expect(createHash('sha256').update(got.data).digest('hex')).toBe(photo.sha256);
      await expect(incidentDetail(ctx, principal('r2', 'resident', 'h2'), incident.id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        field: 'id',
      });
      await expect(incidentDetail(ctx, guard, incident.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await incidentDetail(ctx, resident, incident.id)).photos).toMatchObject([
        { id: photo.id, bytes: got.data.length },
      ]);
    });

    it('keeps photos within the quotas of the incident and of the household, writing nothing over them', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await seeded(store);
      const open = () =>
        store.transaction('c1', (uow) =>
          openIncident(uow, ctx, 'm1' as UserId, {
            kind: 'damage',
            vehicleId: id.vehicle(1),
            title: '划痕',
            description: '',
          }),
        );
      const data = (await png()).toString('base64');
      const first = await open();
      for (let i = 0; i < INCIDENT_PHOTO_QUOTA.photos; i++)
        await addIncidentPhoto(ctx, manager, first.id, 'image/png', data);
      let before = await counts(store);
      await expect(addIncidentPhoto(ctx, manager, first.id, 'image/png', data)).rejects.toMatchObject({
        code: 'PHOTO_QUOTA',
        field: 'data',
      });
      expect(await counts(store)).toEqual(before);

      // The household's residents already uploaded photos of nearly the allowed bytes elsewhere.
      const second = await open();
      await store.db
        .insertInto('incident_photos')
        .values({
          compound_id: 'c1',
          id: 'old',
          incident_id: 'elsewhere',
          content_type: 'image/jpeg',
          bytes: HOUSEHOLD_PHOTO_QUOTA.bytes - 100,
          sha256: '0',
          data: Buffer.from('x'),
          uploaded_by: 'r1',
          created_at: T0,
        })
        .execute();
      before = await counts(store);
      const over = addIncidentPhoto(ctx, resident, second.id, 'image/png', data);
      await expect(over).rejects.toMatchObject({ code: 'PHOTO_QUOTA', field: 'data' });
      await expect(over).rejects.toThrow('your household');
      expect(await counts(store)).toEqual(before);
      // Staff photos do not count against a household.
      await addIncidentPhoto(ctx, manager, second.id, 'image/png', data);
    });

    it('records a key lost and its incident together; a key not held is refused with nothing written', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      const ctx = await seeded(store);
      const { event, incident } = await reportLostKey(ctx, guard, id.key(1), '');
      expect(event.type).toBe('key.lost');
      const records = (await store.events('c1'))
        .filter((e) => e.type === 'record')
        .map((e) => e.payload as PayloadOf<'record'>);
      expect(records).toEqual([
        {
          kind: 'incident.opened',
          refId: incident.id,
          vehicleId: 'v1',
          keyTag: 'K1',
          detail: { incidentKind: 'lost-key', status: 'open', owner: 'm1' },
        },
      ]);
      const before = await counts(store);
      await expect(reportLostKey(ctx, guard, id.key(1), '')).rejects.toMatchObject({ code: 'KEY_NOT_IN_CUSTODY' });
      expect(await counts(store)).toEqual(before);
    });
  });
}
