/**
 * PIPL over HTTP on the demo compound: a resident's export holds his and his household's data and
 * nobody else's; erasure removes names, phones, plates, addresses and photos, is refused while the
 * guards hold the household's key, and leaves the ledger chain valid and replayable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASED_NAME } from '../src/app/privacy.js';
import { png } from './support/photos.js';
import { BACKENDS } from './support/backends.js';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

const C = 'jinfang';
const R003 = '13800000103'; // household with v001 (key K-v001 in the cabinet) and v002
const R004 = '13800000104'; // household with v023, away, no key with the guards
const MANAGER = '13800000001';
let world: ResidentsWorld;

beforeAll(async () => {
  world = await residentsWorld(BACKENDS.at(-1));
}, 120_000);
afterAll(() => world.close());

async function call(phone: string, method: 'GET' | 'POST', url: string, payload?: object) {
  return world.app.inject({
    method,
    url,
    headers: { authorization: await world.login(phone) },
    ...(payload === undefined ? {} : { payload }),
  });
}

async function userRow(phone: string) {
  return world.ctx.store.db
    .selectFrom('users')
    .selectAll()
    .where('compound_id', '=', C)
    .where('phone', '=', phone)
    .executeTakeFirstOrThrow();
}

describe('personal data export', () => {
  it('gives a resident his account, household, cars, keys and their ledger events, and nothing of others', async () => {
    const r = await call(R003, 'GET', '/api/me/export');
    expect(r.statusCode, r.body).toBe(200);
    const data = r.json<{
      user: { phone: string };
      household: { id: string; building: string };
      vehicles: { id: string; plate: string }[];
      keys: { tag: string }[];
      ledger: { type: string; payload: { vehicleId?: string; householdId?: string } }[];
    }>();
    expect(data.user.phone).toBe(R003);
    expect(data.household.building).toMatch(/号$/);
    expect(data.household.id).toMatch(/^h-[0-9a-f]{6}$/);
    expect(data.vehicles.map((v) => v.id).sort()).toEqual(['v001', 'v002']);
    expect(data.vehicles.every((v) => typeof v.plate === 'string' && v.plate.length >= 7)).toBe(true);
    expect(data.keys.map((k) => k.tag)).toEqual(['K-v001']);
    expect(data.ledger.filter((e) => e.type === 'vehicle.registered').map((e) => e.payload.vehicleId)).toEqual(
      expect.arrayContaining(['v001', 'v002']),
    );
    const carsInLedger = new Set(data.ledger.flatMap((e) => (e.payload.vehicleId ? [e.payload.vehicleId] : [])));
    expect([...carsInLedger].sort()).toEqual(['v001', 'v002']);
    expect(r.headers['cache-control']).toBe('no-store');
    expect((await world.app.inject({ method: 'GET', url: '/api/me/export' })).statusCode).toBe(401);
    // Staff have no household: their export is their account, notifications and own actions.
    const manager = await call(MANAGER, 'GET', '/api/me/export');
    expect(manager.statusCode, manager.body).toBe(200);
    expect(manager.json()).toMatchObject({ user: { phone: MANAGER }, household: null, vehicles: [] });
  });
});

describe('erasure', () => {
  it('is refused while the guards hold the household’s key, writing nothing', async () => {
    const before = await world.fingerprint(C);
    const r = await call(R003, 'POST', '/api/me/erasure', { confirm: true });
    expect([r.statusCode, r.json().error.code, r.json().error.field]).toEqual([409, 'ERASURE_BLOCKED', 'householdId']);
    expect(r.json().error.message).toContain('K-v001');
    expect(await world.fingerprint(C)).toEqual(before);
    expect((await userRow(R003)).name).not.toBe(ERASED_NAME);
  });

  it('needs confirm: true, and is for residents only', async () => {
    expect((await call(R004, 'POST', '/api/me/erasure', {})).statusCode).toBe(400);
    expect((await call(R004, 'POST', '/api/me/erasure', { confirm: 'yes' })).statusCode).toBe(400);
    expect((await call(MANAGER, 'POST', '/api/me/erasure', { confirm: true })).statusCode).toBe(403);
  });

  it('removes name, phone, plate, address and photos; the ledger still verifies and replays', async () => {
    const me = await userRow(R004);
    const exported = (await call(R004, 'GET', '/api/me/export')).json<{
      household: { id: string; building: string; unit: string; room: string };
      vehicles: { id: string; plate: string }[];
    }>();
    const plate = exported.vehicles[0]?.plate ?? '';
    expect(plate.length).toBeGreaterThanOrEqual(7);
    // The gate cameras read his car last night, and a near read of another car proposed his plate.
    const read = (id: string, p: string, vehicleId: string | null, proposals: string | null) =>
      ({
        compound_id: C,
        id,
        camera_id: 'main-in',
        gate: '北门',
        direction: 'in',
        plate: p,
        confidence: 90,
        read_at: world.clock.now - 3600_000,
        outcome: vehicleId === null ? 'proposed' : 'resident',
        barrier: vehicleId === null ? 'no' : 'ok',
        vehicle_id: vehicleId,
        duplicate_of: null,
        proposals,
        alarm: null,
        decision: null,
        decided_by: null,
        decided_at: null,
      }) as const;
    await world.ctx.store.db
      .insertInto('gate_reads')
      .values([
        read('gr-own', plate, 'v023', null),
        read('gr-near', '苏Z00000', null, JSON.stringify([{ plate, vehicleId: 'v023', reason: 'province' }])),
      ])
      .execute();
    const withReads = (await call(R004, 'GET', '/api/me/export')).json<{
      gateReads: { id: string; plate: string }[];
    }>();
    expect(withReads.gateReads.map((g) => [g.id, g.plate])).toEqual([['gr-own', plate]]);
    expect(JSON.stringify((await call(R003, 'GET', '/api/me/export')).json())).not.toContain(plate);
    // A damage report with a photo about his car.
    const incident = await call(R004, 'POST', '/api/incidents', {
      kind: 'damage',
      vehicleId: 'v023',
      title: `${me.name}的车被刮`,
    });
    expect(incident.statusCode, incident.body).toBe(201);
    const incidentId = incident.json<{ incident: { id: string } }>().incident.id;
    const photo = await call(R004, 'POST', `/api/incidents/${incidentId}/photos`, {
      contentType: 'image/png',
      data: (await png()).toString('base64'),
    });
    expect(photo.statusCode, photo.body).toBe(201);
    const token = await world.login(R004);

    const r = await call(R004, 'POST', '/api/me/erasure', { confirm: true });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      erased: { userId: me.id, household: true, vehicles: 1, photos: 1 },
      event: { type: 'record' },
    });

    // Signed out for good: the token is gone, the phone signs in no more.
    const after = await world.app.inject({ method: 'GET', url: '/api/me/export', headers: { authorization: token } });
    expect(after.statusCode).toBe(401);
    const login = await world.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone: R004, password: 'demo1234' },
    });
    expect(login.statusCode).toBe(401);

    // No name, phone, plate or address left in the personal-data tables.
    const db = world.ctx.store.db;
    const dump = JSON.stringify([
      await db.selectFrom('users').selectAll().where('compound_id', '=', C).execute(),
      await db.selectFrom('vehicle_plates').selectAll().where('compound_id', '=', C).execute(),
      await db.selectFrom('household_addresses').selectAll().where('compound_id', '=', C).execute(),
      await db.selectFrom('incidents').selectAll().where('compound_id', '=', C).execute(),
      await db.selectFrom('notifications').selectAll().where('compound_id', '=', C).execute(),
      await db.selectFrom('gate_reads').selectAll().where('compound_id', '=', C).execute(),
    ]);
    expect(dump).not.toContain(R004);
    expect(dump).not.toContain(me.name);
    expect(dump).not.toContain(plate);
    const reads = await db.selectFrom('gate_reads').selectAll().where('compound_id', '=', C).orderBy('id').execute();
    expect(reads.map((g) => [g.id, g.plate, g.proposals])).toEqual([
      ['gr-near', '苏Z00000', null],
      ['gr-own', '（已删除）', null],
    ]);
    expect(
      await db
        .selectFrom('household_addresses')
        .selectAll()
        .where('household_id', '=', exported.household.id)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(await db.selectFrom('incident_photos').select('id').where('incident_id', '=', incidentId).execute()).toEqual(
      [],
    );
    expect((await userRow(`erased:${me.id}`)).name).toBe(ERASED_NAME);

    // The chain is intact and the state still replays from it; the ledger never held the data.
    expect((await world.ctx.store.verify(C)).ok).toBe(true);
    expect((await world.ctx.store.replay(C)).equal).toBe(true);
    const ledger = JSON.stringify(await world.ctx.store.events(C));
    for (const text of [R004, me.name, plate, exported.household.building + exported.household.room])
      expect(ledger).not.toContain(text);
    const records = (await world.ctx.store.events(C)).filter((e) => e.type === 'record').map((e) => e.payload);
    expect(records.at(-1)).toMatchObject({ kind: 'privacy.erased', refId: me.id });
  });
});
