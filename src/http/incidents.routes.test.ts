/**
 * Incidents, lost keys, key alarms and the notification feed over HTTP on the demo compound: who
 * may do what, what the resident is told and reads, the ledger records, and bad input that leaves
 * the database unchanged.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../app/demo.js';
import { checkKeyAlarms } from '../app/key-alarms.js';
import type { EpochMs, KeyTag, UserId } from '../core/brand.js';
import type { PayloadOf } from '../core/events.js';
import { shanghaiInstant } from '../core/time.js';
import { openStore } from '../store/store.js';
import { EXIF_MARKER, jpegWithGps, png } from '../../test/support/photos.js';
import { apiRoutes } from './api.js';
import { buildServer } from './server.js';
import { injectAs, remember } from '../../test/support/renewing-tokens.js';

const MIN = 60_000;
// Monday 2026-11-02, 10:00 in Shanghai: the day shift g01 and g02 is on duty.
const clock = { now: shanghaiInstant('2026-11-02', '10:00') as number };
let app: FastifyInstance;
let ctx: AppContext;
const C = 'jinfang';
const tokens: Record<string, string> = {};

const PHONES = {
  manager: '13800000001',
  guard: '13800000011', // g01, on duty
  offDutyGuard: '13800000013', // g03
  owner: '13800000103', // r003, household h-d9947c: v001 (key K-v001)
  neighbour: '13800000101', // r001, household h-cc25d4: v003
  partner: '13800000201',
  committee: '13800000301',
} as const;
type Who = keyof typeof PHONES;

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  ctx = { store, now: () => clock.now as EpochMs, newId: () => randomUUID() };
  await loadScenario(ctx, await readScenarioFile(demoScenarioPath()));
  app = await buildServer({ routes: [apiRoutes(ctx)] });
  for (const [who, phone] of Object.entries(PHONES)) {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password: 'demo1234', kind: 'token' },
    });
    tokens[who] = remember(r.json() as { token: string; refreshToken: string });
  }
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

async function call(who: Who | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const r = await injectAs(app, who === null ? null : (tokens[who] ?? null), {
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  const json = String(r.headers['content-type'] ?? '').startsWith('application/json');
  return {
    status: r.statusCode,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: json ? (r.json() as Record<string, any>) : null,
    raw: r.rawPayload,
    headers: r.headers,
  };
}

/** Everything a failed request could have half-written. */
async function dbSnapshot() {
  const db = ctx.store.db;
  const count = async (
    table: 'incidents' | 'incident_photos' | 'notifications' | 'notification_outbox' | 'key_alarms',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const head = await db
    .selectFrom('ledger_heads')
    .select(['seq', 'hash'])
    .where('compound_id', '=', C)
    .executeTakeFirstOrThrow();
  const incidents = await db.selectFrom('incidents').selectAll().orderBy('id').execute();
  const keys = await db.selectFrom('keys').selectAll().orderBy('tag').execute();
  return {
    head,
    incidents,
    keys,
    photos: await count('incident_photos'),
    notifications: await count('notifications'),
    outbox: await count('notification_outbox'),
    alarms: await count('key_alarms'),
  };
}

async function feedOf(who: Who) {
  return (await call(who, 'GET', '/api/notifications')).body as {
    notifications: {
      id: string;
      kind: string;
      title: string;
      body: string;
      ref: string | null;
      readAt: number | null;
    }[];
    unread: number;
  };
}

async function recordsOf(refId: string) {
  return (await ctx.store.events(C)).flatMap((e) =>
    e.type === 'record' && (e.payload as PayloadOf<'record'>).refId === refId ? [e.payload as PayloadOf<'record'>] : [],
  );
}

let PNG: Buffer;
let JPEG: Buffer;
beforeAll(async () => {
  PNG = await png();
  JPEG = await jpegWithGps();
});

describe('incidents over HTTP', () => {
  let damageId = '';

  it('lets a resident report damage to their own car; the managers are told and the ledger records it', async () => {
    clock.now += MIN;
    const r = await call('owner', 'POST', '/api/incidents', {
      kind: 'damage',
      vehicleId: 'v001',
      title: '左后门有新划痕',
      description: '今早取车时发现',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const incident = r.body?.incident;
    damageId = incident.id;
    expect(incident).toMatchObject({
      kind: 'damage',
      vehicleId: 'v001',
      plate: '沪E21171',
      openedBy: 'r003',
      owner: 'mgr1',
      status: 'open',
      title: '左后门有新划痕',
      resolution: null,
    });
    expect(await recordsOf(damageId)).toEqual([
      {
        kind: 'incident.opened',
        refId: damageId,
        vehicleId: 'v001',
        detail: { incidentKind: 'damage', status: 'open', owner: 'mgr1' },
      },
    ]);
    const feed = await feedOf('manager');
    expect(feed.notifications[0]).toMatchObject({ kind: 'incident.opened', ref: damageId, title: '新事件：车辆损伤' });
    expect(feed.notifications[0]?.body).toContain('沪E21171');
    // The reporter is not told of their own report.
    expect((await feedOf('owner')).notifications.filter((n) => n.ref === damageId)).toEqual([]);
  });

  it('shows a resident only the incidents about their own cars, and partners and the committee none', async () => {
    expect((await call('owner', 'GET', '/api/incidents')).body?.incidents.map((i: { id: string }) => i.id)).toEqual([
      damageId,
    ]);
    expect((await call('neighbour', 'GET', '/api/incidents')).body?.incidents).toEqual([]);
    expect((await call('neighbour', 'GET', `/api/incidents/${damageId}`)).status).toBe(404);
    expect(
      (await call('manager', 'GET', '/api/incidents?status=open')).body?.incidents.map((i: { id: string }) => i.id),
    ).toContain(damageId);
    // A guard sees the incidents they opened or own.
    expect((await call('guard', 'GET', '/api/incidents')).body?.incidents).toEqual([]);
    for (const who of ['partner', 'committee'] as const) {
      expect((await call(who, 'GET', '/api/incidents')).status).toBe(403);
      expect((await call(who, 'GET', `/api/incidents/${damageId}`)).status).toBe(403);
      expect((await call(who, 'POST', '/api/incidents', { kind: 'complaint', title: 'x' })).status).toBe(403);
      expect((await call(who, 'GET', '/api/alarms')).status).toBe(403);
      expect((await call(who, 'POST', '/api/keys/K-v001/lost', {})).status).toBe(403);
    }
    expect((await call('committee', 'GET', '/api/notifications')).status).toBe(403);
    expect((await call(null, 'GET', '/api/incidents')).status).toBe(401);
    expect((await call(null, 'POST', '/api/incidents', { bad: true })).status).toBe(401);
  });

  it('answers bad input with the field and the rule and leaves the database unchanged', async () => {
    const cases: [Who, 'POST' | 'PATCH', string, unknown, number, string, string][] = [
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'fire', vehicleId: 'v001', title: 't' },
        400,
        'VALIDATION',
        'body.kind',
      ],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v001', title: '' },
        400,
        'VALIDATION',
        'body.title',
      ],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v001', title: 5 },
        400,
        'VALIDATION',
        'body.title',
      ],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v001', title: 'x'.repeat(101) },
        400,
        'VALIDATION',
        'body.title',
      ],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v 1', title: 't' },
        400,
        'VALIDATION',
        'body.vehicleId',
      ],
      ['owner', 'POST', '/api/incidents', { kind: 'damage', title: 't' }, 400, 'VALIDATION', 'vehicleId'],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'lost-key', vehicleId: 'v001', title: 't' },
        400,
        'VALIDATION',
        'kind',
      ],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v001', keyTag: 'K-v001', title: 't' },
        400,
        'VALIDATION',
        'keyTag',
      ],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v003', title: '不是我的车' },
        404,
        'NOT_FOUND',
        'vehicleId',
      ],
      [
        'owner',
        'POST',
        '/api/incidents',
        { kind: 'complaint', vehicleId: 'v001', title: 't', owner: 'mgr1' },
        400,
        'VALIDATION',
        'owner',
      ],
      [
        'manager',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v999', title: 't' },
        404,
        'NOT_FOUND',
        'vehicleId',
      ],
      [
        'manager',
        'POST',
        '/api/incidents',
        { kind: 'lost-key', keyTag: 'K-nope', title: 't' },
        404,
        'NOT_FOUND',
        'keyTag',
      ],
      [
        'manager',
        'POST',
        '/api/incidents',
        { kind: 'lost-key', vehicleId: 'v003', keyTag: 'K-v001', title: 't' },
        400,
        'KEY_NOT_OF_VEHICLE',
        'keyTag',
      ],
      [
        'manager',
        'POST',
        '/api/incidents',
        { kind: 'complaint', title: 't', owner: 'r001' },
        404,
        'NOT_FOUND',
        'owner',
      ],
      [
        'offDutyGuard',
        'POST',
        '/api/incidents',
        { kind: 'damage', vehicleId: 'v001', title: 't' },
        409,
        'NOT_ON_DUTY',
        'guardId',
      ],
      ['manager', 'PATCH', `/api/incidents/${damageId}`, {}, 400, 'VALIDATION', 'body'],
      ['manager', 'PATCH', `/api/incidents/${damageId}`, { status: 'done' }, 400, 'VALIDATION', 'body.status'],
      ['manager', 'PATCH', `/api/incidents/${damageId}`, { colour: 'red' }, 400, 'VALIDATION', 'body'],
      [
        'manager',
        'PATCH',
        `/api/incidents/${damageId}`,
        { status: 'resolved' },
        400,
        'RESOLUTION_REQUIRED',
        'resolution',
      ],
      [
        'manager',
        'PATCH',
        `/api/incidents/${damageId}`,
        { status: 'rejected', resolution: '   ' },
        400,
        'RESOLUTION_REQUIRED',
        'resolution',
      ],
      ['manager', 'PATCH', `/api/incidents/${damageId}`, { owner: 'r003' }, 404, 'NOT_FOUND', 'owner'],
      ['manager', 'PATCH', '/api/incidents/nope', { status: 'investigating' }, 404, 'NOT_FOUND', 'id'],
      [
        'owner',
        'POST',
        `/api/incidents/${damageId}/photos`,
        { contentType: 'image/gif', data: PNG.toString('base64') },
        400,
        'VALIDATION',
        'body.contentType',
      ],
      [
        'owner',
        'POST',
        `/api/incidents/${damageId}/photos`,
        { contentType: 'image/png', data: '!!!not base64' },
        400,
        'BAD_PHOTO',
        'data',
      ],
      [
        'owner',
        'POST',
        `/api/incidents/${damageId}/photos`,
        { contentType: 'image/jpeg', data: PNG.toString('base64') },
        400,
        'BAD_PHOTO',
        'data',
      ],
      [
        'owner',
        'POST',
        `/api/incidents/${damageId}/photos`,
        { contentType: 'image/png', data: JPEG.toString('base64') },
        400,
        'BAD_PHOTO',
        'data',
      ],
      [
        'neighbour',
        'POST',
        `/api/incidents/${damageId}/photos`,
        { contentType: 'image/png', data: PNG.toString('base64') },
        404,
        'NOT_FOUND',
        'id',
      ],
      ['guard', 'POST', '/api/keys/K-nope/lost', {}, 404, 'NOT_FOUND', 'tag'],
      ['guard', 'POST', '/api/keys/K-v002/lost', {}, 404, 'NOT_FOUND', 'tag'], // v002 gave no consent: no key
      ['guard', 'POST', '/api/keys/K-v001/lost', { description: 7 }, 400, 'VALIDATION', 'body.description'],
      ['offDutyGuard', 'POST', '/api/keys/K-v001/lost', {}, 409, 'NOT_ON_DUTY', 'guardId'],
    ];
    const before = await dbSnapshot();
    for (const [who, method, url, payload, status, code, field] of cases) {
      const r = await call(who, method, url, payload);
      const what = `${who} ${method} ${url} ${JSON.stringify(payload).slice(0, 80)} → ${JSON.stringify(r.body)}`;
      expect(r.status, what).toBe(status);
      expect(r.body?.error.code, what).toBe(code);
      expect(r.body?.error.field, what).toBe(field);
      expect(r.body?.error.message, what).toContain(field.replace(/^body\.?/, ''));
    }
    // A photo over 5 MB (within the request size limit).
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    PNG.copy(big);
    const r = await call('owner', 'POST', `/api/incidents/${damageId}/photos`, {
      contentType: 'image/png',
      data: big.toString('base64'),
    });
    expect([r.status, r.body?.error.code, r.body?.error.field]).toEqual([400, 'BAD_PHOTO', 'data']);
    expect(r.body?.error.message).toContain('5 MB');
    expect(await dbSnapshot()).toEqual(before);
  });

  it('stores photos with their SHA-256 in the ledger and serves them to who may see the incident', async () => {
    const r = await call('owner', 'POST', `/api/incidents/${damageId}/photos`, {
      contentType: 'image/jpeg',
      data: JPEG.toString('base64'),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const photo = r.body?.photo;
    expect(photo).toMatchObject({ contentType: 'image/jpeg', uploadedBy: 'r003' });
    const records = await recordsOf(damageId);
    expect(records.at(-1)).toMatchObject({
      kind: 'incident.updated',
      detail: { changed: 'photos', photoId: photo.id, photoSha256: photo.sha256 },
    });
    const got = await call('manager', 'GET', `/api/incidents/${damageId}/photos/${photo.id}`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.raw.length).toBe(photo.bytes);
    expect(createHash('sha256').update(got.raw).digest('hex')).toBe(photo.sha256);
    expect(JPEG.toString('latin1')).toContain(EXIF_MARKER);
    expect(got.raw.toString('latin1')).not.toContain(EXIF_MARKER);
    expect((await call('neighbour', 'GET', `/api/incidents/${damageId}/photos/${photo.id}`)).status).toBe(404);
    expect((await call('committee', 'GET', `/api/incidents/${damageId}/photos/${photo.id}`)).status).toBe(403);
    const detail = await call('owner', 'GET', `/api/incidents/${damageId}`);
    expect(detail.body?.photos.map((p: { id: string }) => p.id)).toEqual([photo.id]);
  });

  it('lets the manager assign and resolve; the resident is told and reads the resolution', async () => {
    clock.now += MIN;
    let r = await call('manager', 'PATCH', `/api/incidents/${damageId}`, { status: 'investigating', owner: 'g01' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body?.incident).toMatchObject({ status: 'investigating', owner: 'g01' });
    expect((await feedOf('guard')).notifications[0]).toMatchObject({ kind: 'incident.updated', ref: damageId });
    expect((await call('guard', 'GET', '/api/incidents')).body?.incidents.map((i: { id: string }) => i.id)).toEqual([
      damageId,
    ]);
    expect(
      (await call('guard', 'PATCH', `/api/incidents/${damageId}`, { status: 'resolved', resolution: 'x' })).status,
    ).toBe(403);
    expect(
      (await call('owner', 'PATCH', `/api/incidents/${damageId}`, { status: 'resolved', resolution: 'x' })).status,
    ).toBe(403);

    clock.now += MIN;
    r = await call('manager', 'PATCH', `/api/incidents/${damageId}`, {
      status: 'resolved',
      resolution: '查看监控后确认为他人剐蹭，物业已联系对方赔偿。',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await recordsOf(damageId)).map((p) => p.kind)).toEqual([
      'incident.opened',
      'incident.updated',
      'incident.updated',
      'incident.resolved',
    ]);
    const told = (await feedOf('owner')).notifications.filter((n) => n.ref === damageId);
    expect(told[0]).toMatchObject({ kind: 'incident.resolved', title: '您的车辆损伤事件已解决' });
    expect(told[0]?.body).toContain('物业已联系对方赔偿');
    const seen = await call('owner', 'GET', `/api/incidents/${damageId}`);
    expect(seen.body?.incident).toMatchObject({
      status: 'resolved',
      resolution: '查看监控后确认为他人剐蹭，物业已联系对方赔偿。',
    });
    // Closed: no more photos until reopened.
    const before = await dbSnapshot();
    const closed = await call('owner', 'POST', `/api/incidents/${damageId}/photos`, {
      contentType: 'image/jpeg',
      data: JPEG.toString('base64'),
    });
    expect([closed.status, closed.body?.error.code]).toEqual([409, 'INCIDENT_CLOSED']);
    expect(await dbSnapshot()).toEqual(before);
  });

  it('records a lost key and opens its incident in one transaction, with the events since the checkout', async () => {
    // The key went out with guard g01 three hours before it was reported lost.
    const out = clock.now;
    await ctx.store.transaction(C, (uow) =>
      uow.append({
        type: 'key.checked-out',
        payload: { keyTag: 'K-v001' as KeyTag, guardId: 'g01' as UserId, taskId: null },
        at: out as EpochMs,
        actor: 'g01' as UserId,
      }),
    );
    clock.now = out + 3 * 60 * MIN;
    const r = await call('guard', 'POST', '/api/keys/K-v001/lost', { description: '交接时找不到' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body?.event).toMatchObject({ type: 'key.lost' });
    const incident = r.body?.incident;
    expect(incident).toMatchObject({
      kind: 'lost-key',
      keyTag: 'K-v001',
      vehicleId: 'v001',
      openedBy: 'g01',
      owner: 'mgr1',
      status: 'open',
      description: '交接时找不到',
    });
    const ledger = await ctx.store.events(C);
    const lost = ledger.findIndex((e) => e.type === 'key.lost');
    expect(ledger[lost + 1]).toMatchObject({
      type: 'record',
      payload: { kind: 'incident.opened', refId: incident.id, keyTag: 'K-v001' },
    });
    expect((await ctx.store.state(C)).keys.get('K-v001' as KeyTag)?.custody.kind).toBe('lost');
    expect((await feedOf('owner')).notifications[0]).toMatchObject({ kind: 'incident.opened', ref: incident.id });

    const detail = await call('owner', 'GET', `/api/incidents/${incident.id}`);
    expect(detail.status).toBe(200);
    // From the checkout on (three hours back, beyond ±2 h): the checkout, the loss, the car's other
    // incident records of that moment, and this incident's own record last.
    const events = detail.body?.events as { type: string; at: number; payload: { refId?: string } }[];
    expect(events.every((e) => e.at >= out)).toBe(true);
    expect(events.map((e) => e.type)).toContain('key.checked-out');
    expect(events.slice(-2).map((e) => [e.type, e.payload.refId])).toEqual([
      ['key.lost', undefined],
      ['record', incident.id],
    ]);

    // Lost already: refused, and no second incident.
    const before = await dbSnapshot();
    const again = await call('manager', 'POST', '/api/keys/K-v001/lost', {});
    expect([again.status, again.body?.error.code, again.body?.error.field]).toEqual([
      409,
      'KEY_NOT_IN_CUSTODY',
      'keyTag',
    ]);
    expect((await call('owner', 'POST', '/api/keys/K-v003/lost', {})).status).toBe(403);
    expect(await dbSnapshot()).toEqual(before);
  });

  it('shows the damage report with the events of its car within two hours', async () => {
    const detail = await call('manager', 'GET', `/api/incidents/${damageId}`);
    const kinds = detail.body?.events.map(
      (e: { type: string; payload: { kind?: string } }) => e.payload.kind ?? e.type,
    );
    // The car was registered when the demo loaded at 10:00, the report came at 10:01, the key went out at
    // 10:04; the loss three hours later is outside the window.
    expect(kinds).toEqual([
      'vehicle.registered',
      'consent.given',
      'key.received',
      'incident.opened',
      'incident.updated',
      'incident.updated',
      'incident.resolved',
      'key.checked-out',
    ]);
  });
});

describe('key alarms over HTTP', () => {
  it('lists the keys out past the limit for the manager and notifies once', async () => {
    const out = clock.now;
    await ctx.store.transaction(C, (uow) =>
      uow.append({
        type: 'key.checked-out',
        payload: { keyTag: 'K-v003' as KeyTag, guardId: 'g02' as UserId, taskId: null },
        at: out as EpochMs,
        actor: 'g02' as UserId,
      }),
    );
    clock.now = out + 10 * MIN;
    expect((await call('manager', 'GET', '/api/alarms')).body).toEqual({ limitMinutes: 15, alarms: [] });
    clock.now = out + 20 * MIN;
    expect((await call('manager', 'GET', '/api/alarms')).body?.alarms).toMatchObject([
      { keyTag: 'K-v003', guardId: 'g02', minutes: 20, alarmedAt: null },
    ]);
    expect(await checkKeyAlarms(ctx, C, 15)).toHaveLength(1);
    const { alarms } = (await call('manager', 'GET', '/api/alarms')).body as {
      alarms: { alarmedAt: number; plate: string }[];
    };
    expect(alarms).toMatchObject([{ keyTag: 'K-v003', plate: '沪E55356', alarmedAt: out + 20 * MIN }]);
    expect((await feedOf('manager')).notifications[0]).toMatchObject({
      kind: 'key.alarm',
      ref: 'K-v003',
      title: '钥匙超时未归还',
    });
    expect((await call('guard', 'GET', '/api/alarms')).status).toBe(403);
    expect((await call('owner', 'GET', '/api/alarms')).status).toBe(403);
  });
});

describe('the notification feed over HTTP', () => {
  it('lists your own notifications newest first, filters unread and marks one read', async () => {
    const feed = await feedOf('owner');
    expect(feed.notifications.length).toBeGreaterThanOrEqual(2);
    expect(feed.unread).toBe(feed.notifications.length);
    const [newest, older] = feed.notifications;
    expect(newest?.kind).toBe('incident.opened');
    clock.now += MIN;
    const r = await call('owner', 'POST', `/api/notifications/${older?.id}/read`);
    expect(r.status).toBe(200);
    expect(r.body?.readAt).toBe(clock.now);
    clock.now += MIN;
    expect((await call('owner', 'POST', `/api/notifications/${older?.id}/read`)).body?.readAt).toBe(clock.now - MIN);
    const unread = (await call('owner', 'GET', '/api/notifications?unread=true')).body as {
      notifications: { id: string }[];
      unread: number;
    };
    expect(unread.notifications.map((n) => n.id)).not.toContain(older?.id);
    expect(unread.unread).toBe(feed.unread - 1);
    // Another user's notification is not found, and nothing changes.
    const before = await dbSnapshot();
    expect((await call('neighbour', 'POST', `/api/notifications/${newest?.id}/read`)).status).toBe(404);
    expect((await call('owner', 'GET', '/api/notifications?limit=0')).body?.error.field).toBe('query.limit');
    expect((await call('owner', 'GET', '/api/notifications?unread=yes')).body?.error.field).toBe('query.unread');
    expect((await call('owner', 'POST', '/api/notifications/a%20b/read')).body?.error).toMatchObject({
      code: 'VALIDATION',
      field: 'params.id',
    });
    expect((await call('owner', 'GET', '/api/incidents/a%20b')).body?.error).toMatchObject({
      code: 'VALIDATION',
      field: 'params.id',
    });
    expect((await call('manager', 'GET', '/api/incidents?status=closed')).body?.error).toMatchObject({
      code: 'VALIDATION',
      field: 'query.status',
    });
    expect((await call('manager', 'GET', '/api/incidents/no-such/photos/p1')).status).toBe(404);
    expect(await dbSnapshot()).toEqual(before);
  });
});

describe('a shift hand-over mismatch over HTTP', () => {
  it('opens a handover-mismatch incident in the hand-over transaction and tells the managers', async () => {
    // Every key back first: the alarm test left K-v003 out with g02.
    await ctx.store.transaction(C, (uow) =>
      uow.append({
        type: 'key.returned',
        payload: { keyTag: 'K-v003' as KeyTag, guardId: 'g02' as UserId },
        at: clock.now as EpochMs,
        actor: 'g02' as UserId,
      }),
    );
    const state = await ctx.store.state(C);
    const keys = [...state.keys.values()].filter((k) => k.custody.kind === 'in-cabinet').length;
    const cars = [...state.vehicles.values()].filter(
      (v) => v.location.kind === 'parked' || v.location.kind === 'at-gate',
    ).length;
    clock.now += MIN;
    const opened = await call('guard', 'POST', '/api/shifts/handover', { keysCounted: keys, carsCounted: cars });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    // g03 is not on the roster at this hour: the manager puts him on duty (that is the approval).
    const approved = await call('manager', 'POST', '/api/shifts/duty', { guardId: 'g03', onDuty: true });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const confirmed = await call('offDutyGuard', 'POST', `/api/shifts/handover/${opened.body?.id}/confirm`, {
      keysCounted: keys - 1,
      carsCounted: cars,
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const mismatches = (await call('manager', 'GET', '/api/incidents?kind=handover-mismatch')).body?.incidents as {
      id: string;
      openedBy: string;
      description: string;
    }[];
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]).toMatchObject({ openedBy: 'g03' });
    expect(mismatches[0]?.description).toContain(String(opened.body?.id));
    expect((await feedOf('manager')).notifications[0]).toMatchObject({
      kind: 'incident.opened',
      ref: mismatches[0]?.id,
      title: '新事件：交接不符',
    });
    const ledger = await ctx.store.events(C);
    expect(ledger.at(-1)).toMatchObject({
      type: 'record',
      payload: { kind: 'incident.opened', refId: mismatches[0]?.id },
    });
  });
});
