import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentsWorld, type ResidentsWorld } from './support/residents.js';

const MANAGER = '13800000001';
/** r003, household h-d9947c: v001 (consent, key K-v001) and v002 (no consent). */
const RESIDENT = '13800000103';
/** r001, household h-cc25d4. */
const OTHER_RESIDENT = '13800000101';

let world: ResidentsWorld;
let onDutyGuard: string;
let offDutyGuard: string;

beforeAll(async () => {
  world = await residentsWorld();
  const state = await world.ctx.store.state('jinfang');
  const guards = await world.ctx.store.db
    .selectFrom('users')
    .select(['id', 'phone'])
    .where('role', '=', 'guard')
    .orderBy('id')
    .execute();
  onDutyGuard = guards.find((g) => state.onDuty.has(g.id as never))?.phone ?? '';
  offDutyGuard = guards.find((g) => !state.onDuty.has(g.id as never))?.phone ?? '';
  expect(onDutyGuard).not.toBe('');
}, 30_000);

afterAll(() => world.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
async function call(phone: string, method: Method, url: string, payload?: object) {
  const res = await world.app.inject({
    method,
    url,
    headers: { authorization: await world.login(phone) },
    ...(payload === undefined ? {} : { payload }),
  });
  const json = (res.headers['content-type'] ?? '').toString().startsWith('application/json');
  return { status: res.statusCode, body: json ? res.json() : undefined, res };
}

/** Runs a request that must fail and asserts that the compound's data did not change. */
async function refused(
  phone: string,
  method: Method,
  url: string,
  payload: object | undefined,
  status: number,
  code: string,
  field?: string,
) {
  const before = await world.fingerprint('jinfang');
  const { status: got, body } = await call(phone, method, url, payload);
  expect(got, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  if (field !== undefined) expect(body.error.field).toBe(field);
  expect(await world.fingerprint('jinfang')).toEqual(before);
  return body.error as { code: string; message: string; field?: string };
}

async function plateOf(vehicleId: string): Promise<string | undefined> {
  const row = await world.ctx.store.db
    .selectFrom('vehicle_plates')
    .select('plate')
    .where('compound_id', '=', 'jinfang')
    .where('vehicle_id', '=', vehicleId)
    .executeTakeFirst();
  return row?.plate;
}

let newCar = '';

describe('a resident registers a car', () => {
  it('for their own household, with the plate beside the ledger', async () => {
    const { status, body } = await call(RESIDENT, 'POST', '/api/vehicles', {
      plate: '沪a 77777',
      size: 'small',
      ev: true,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    newCar = body.vehicleId;
    expect(body.event.type).toBe('vehicle.registered');
    const v = (await world.ctx.store.state('jinfang')).vehicles.get(newCar as never);
    expect(v).toMatchObject({ householdId: 'h-d9947c', size: 'small', ev: true, consent: null });
    expect(await plateOf(newCar)).toBe('沪A77777');
    const events = await world.ctx.store.events('jinfang', body.event.seq);
    expect(JSON.stringify(events)).not.toContain('77777');
  });

  it('refuses bad input with the field and the rule, changing nothing', async () => {
    await refused(RESIDENT, 'POST', '/api/vehicles', { plate: '沪A77777' }, 409, 'DUPLICATE_PLATE', 'plate');
    await refused(RESIDENT, 'POST', '/api/vehicles', { plate: '沪A7777' }, 400, 'BAD_PLATE', 'plate');
    await refused(
      RESIDENT,
      'POST',
      '/api/vehicles',
      { plate: '沪A77778', size: 'huge' },
      400,
      'VALIDATION',
      'body.size',
    );
    await refused(RESIDENT, 'POST', '/api/vehicles', { plate: 12345 }, 400, 'VALIDATION', 'body.plate');
    await refused(
      RESIDENT,
      'POST',
      '/api/vehicles',
      { plate: '沪A77778', householdId: 'h-cc25d4' },
      403,
      'FORBIDDEN',
      'householdId',
    );
    await refused(onDutyGuard, 'POST', '/api/vehicles', { plate: '沪A77778' }, 403, 'FORBIDDEN');
  });

  it('a manager names the household, which must exist', async () => {
    await refused(MANAGER, 'POST', '/api/vehicles', { plate: '沪A77778' }, 400, 'VALIDATION', 'householdId');
    await refused(
      MANAGER,
      'POST',
      '/api/vehicles',
      { plate: '沪A77778', householdId: 'nowhere' },
      404,
      'NOT_FOUND',
      'householdId',
    );
    const { status } = await call(MANAGER, 'POST', '/api/vehicles', { plate: '沪A77778', householdId: 'h-cc25d4' });
    expect(status).toBe(200);
  });
});

describe('the manager edits a car', () => {
  it('changes size and EV through vehicle.updated', async () => {
    const { status, body } = await call(MANAGER, 'PATCH', `/api/vehicles/${newCar}`, { size: 'large', ev: false });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(['vehicle.updated']);
    expect((await world.ctx.store.state('jinfang')).vehicles.get(newCar as never)).toMatchObject({
      size: 'large',
      ev: false,
    });
    expect((await world.ctx.store.replay('jinfang')).equal).toBe(true);
  });

  it('changes the plate in vehicle_plates with a record that holds no plate', async () => {
    const { status, body } = await call(MANAGER, 'PATCH', `/api/vehicles/${newCar}`, {
      plate: '沪A66666',
      size: 'large',
    });
    expect(status).toBe(200);
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(['record']);
    expect(await plateOf(newCar)).toBe('沪A66666');
    const [event] = await world.ctx.store.events('jinfang', body.events[0].seq);
    expect(event?.payload).toEqual({ kind: 'vehicle.plate-changed', refId: newCar, vehicleId: newCar, detail: {} });
  });

  it('refuses bad edits, changing nothing', async () => {
    await refused(MANAGER, 'PATCH', `/api/vehicles/${newCar}`, {}, 400, 'VALIDATION');
    await refused(MANAGER, 'PATCH', `/api/vehicles/${newCar}`, { plate: '沪E21171' }, 409, 'DUPLICATE_PLATE', 'plate');
    await refused(MANAGER, 'PATCH', `/api/vehicles/${newCar}`, { plate: 'ABC' }, 400, 'BAD_PLATE', 'plate');
    await refused(MANAGER, 'PATCH', '/api/vehicles/nope', { size: 'small' }, 404, 'NOT_FOUND', 'vehicleId');
    await refused(RESIDENT, 'PATCH', `/api/vehicles/${newCar}`, { size: 'small' }, 403, 'FORBIDDEN');
  });
});

describe('key-custody consent and the spare key', () => {
  it('publishes the consent text', async () => {
    const { status, body } = await call(RESIDENT, 'GET', '/api/consent');
    expect(status).toBe(200);
    expect(body).toMatchObject({ version: '1', current: true });
    expect(body.paragraphs.join('')).toContain('钥匙柜');
    expect((await call(RESIDENT, 'GET', '/api/consent?version=0')).status).toBe(404);
  });

  it('refuses the key before consent', async () => {
    await refused(onDutyGuard, 'POST', '/api/keys', { vehicleId: newCar }, 409, 'CONSENT_REQUIRED', 'vehicleId');
  });

  it('records consent with the text version; refuses an unknown version, a repeat and another household’s car', async () => {
    await refused(
      RESIDENT,
      'POST',
      `/api/vehicles/${newCar}/consent`,
      { textVersion: '9' },
      400,
      'UNKNOWN_CONSENT_VERSION',
      'textVersion',
    );
    await refused(
      OTHER_RESIDENT,
      'POST',
      `/api/vehicles/${newCar}/consent`,
      { textVersion: '1' },
      404,
      'NOT_FOUND',
      'vehicleId',
    );
    await refused(onDutyGuard, 'POST', `/api/vehicles/${newCar}/consent`, { textVersion: '1' }, 403, 'FORBIDDEN');
    const { status, body } = await call(RESIDENT, 'POST', `/api/vehicles/${newCar}/consent`, { textVersion: '1' });
    expect(status).toBe(200);
    expect(body.event.type).toBe('consent.given');
    await refused(
      RESIDENT,
      'POST',
      `/api/vehicles/${newCar}/consent`,
      { textVersion: '1' },
      409,
      'CONSENT_ALREADY_GIVEN',
    );
  });

  it('a guard on duty accepts the key under the next free tag; off duty or twice is refused', async () => {
    await refused(offDutyGuard, 'POST', '/api/keys', { vehicleId: newCar }, 409, 'NOT_ON_DUTY');
    await refused(
      onDutyGuard,
      'POST',
      '/api/keys',
      { vehicleId: newCar, tag: 'K-v001' },
      409,
      'KEY_ALREADY_IN_CUSTODY',
      'keyTag',
    );
    await refused(
      onDutyGuard,
      'POST',
      '/api/keys',
      { vehicleId: newCar, tag: 'bad tag!' },
      400,
      'VALIDATION',
      'body.tag',
    );
    await refused(onDutyGuard, 'POST', '/api/keys', { vehicleId: 'nope' }, 404, 'NOT_FOUND', 'vehicleId');
    const { status, body } = await call(onDutyGuard, 'POST', '/api/keys', { vehicleId: newCar });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.tag).toBe('K0001');
    await refused(onDutyGuard, 'POST', '/api/keys', { vehicleId: newCar }, 409, 'KEY_EXISTS');
    const v = (await world.ctx.store.state('jinfang')).vehicles.get(newCar as never);
    expect(v?.keyTag).toBe('K0001');
  });

  it('consent cannot be withdrawn while the guards hold the key; after the key goes back it can', async () => {
    await refused(RESIDENT, 'DELETE', `/api/vehicles/${newCar}/consent`, undefined, 409, 'KEY_ALREADY_IN_CUSTODY');
    await refused(offDutyGuard, 'POST', '/api/keys/K0001/release', undefined, 409, 'NOT_ON_DUTY');
    await refused(onDutyGuard, 'POST', '/api/keys/K9999/release', undefined, 404, 'NOT_FOUND', 'keyTag');
    await refused(RESIDENT, 'POST', '/api/keys/K0001/release', undefined, 403, 'FORBIDDEN');
    expect((await call(onDutyGuard, 'POST', '/api/keys/K0001/release')).body.event.type).toBe('key.released');
    expect((await call(RESIDENT, 'DELETE', `/api/vehicles/${newCar}/consent`)).body.event.type).toBe(
      'consent.withdrawn',
    );
    await refused(RESIDENT, 'DELETE', `/api/vehicles/${newCar}/consent`, undefined, 409, 'CONSENT_NOT_GIVEN');
  });

  it('a key handed back earlier comes back under its old tag', async () => {
    await call(RESIDENT, 'POST', `/api/vehicles/${newCar}/consent`, { textVersion: '1' });
    const { body } = await call(onDutyGuard, 'POST', '/api/keys', { vehicleId: newCar });
    expect(body.tag).toBe('K0001');
    const replay = await world.ctx.store.replay('jinfang');
    expect(replay.equal).toBe(true);
    expect((await world.ctx.store.verify('jinfang')).ok).toBe(true);
  });
});

describe('key tag labels', () => {
  it('an SVG label with the tag id and the QR code of the tag id, and no plate', async () => {
    const { res } = await call(onDutyGuard, 'GET', '/api/keys/K0001/label.svg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(res.body).toContain('>K0001</text>');
    const qr = await QRCode.toString('K0001', { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
    const modules = /<path stroke="#000000" d="([^"]+)"/.exec(qr)?.[1];
    expect(modules).toBeDefined();
    expect(res.body).toContain(modules);
    expect(res.body).not.toContain('沪A66666');
  });

  it('a printable page of several labels', async () => {
    const { res } = await call(MANAGER, 'GET', '/api/keys/labels.html?tags=K0001,K0002,K-v001');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body.match(/<div class="label"><svg/g)).toHaveLength(3);
    expect(res.body).toContain('@page');
  });

  it('refuses a bad tag naming it, and residents', async () => {
    const bad = await call(MANAGER, 'GET', '/api/keys/labels.html?tags=K0001,bad!');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION', field: 'query.tags[1]' });
    expect((await call(RESIDENT, 'GET', '/api/keys/K0001/label.svg')).status).toBe(403);
    expect((await call(MANAGER, 'GET', '/api/keys/a%20b/label.svg')).status).toBe(400);
  });
});

describe('access to the routes of residents, cars, keys and visitors', () => {
  const ROUTES: [Method, string, object | undefined][] = [
    ['POST', '/api/imports/households', { csv: 1 }],
    ['GET', '/api/imports/households.csv', undefined],
    ['POST', '/api/vehicles', { plate: 1 }],
    ['PATCH', '/api/vehicles/v001', { size: 'huge' }],
    ['GET', '/api/consent', undefined],
    ['POST', '/api/vehicles/v001/consent', { textVersion: 1 }],
    ['DELETE', '/api/vehicles/v001/consent', undefined],
    ['POST', '/api/keys', { vehicleId: '!' }],
    ['POST', '/api/keys/K-v001/release', undefined],
    ['GET', '/api/keys/K-v001/label.svg', undefined],
    ['GET', '/api/keys/labels.html?tags=K0001', undefined],
    ['POST', '/api/visitors', { plate: 1 }],
    ['GET', '/api/visitors', undefined],
  ];

  it.each(ROUTES)('%s %s: 401 without sign-in, before the body is looked at', async (method, url, payload) => {
    const res = await world.app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it.each(ROUTES)('%s %s: 403 for a partner and the committee', async (method, url, payload) => {
    for (const phone of ['13800000201', '13800000301']) {
      const res = await world.app.inject({
        method,
        url,
        headers: { authorization: await world.login(phone) },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(res.statusCode).toBe(403);
    }
  });
});
