/**
 * Renovation registration and construction waste through the HTTP API, on every store backend:
 * registration (forbidden work and hours refused, nothing written) → approval (the stairway told)
 * → deposit → waste declared → point full → collection confirmed with a photo → stray report
 * traced to the renovation → reminder, escalation and deduction → deposit returned less it; every
 * step in the ledger, which verifies and replays; the committee's figures hold no household.
 */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../src/app/demo.js';
import { demoRenovationPath, loadRenovationSection, readRenovationSection } from '../src/app/renovation-demo.js';
import { checkWaste } from '../src/app/waste.js';
import type { EpochMs } from '../src/core/brand.js';
import { STRAY_DEDUCTION_FEN, DEFAULT_DEPOSIT_FEN } from '../src/core/renovation.js';
import { apiRoutes } from '../src/http/api.js';
import { buildServer } from '../src/http/server.js';
import type { Store } from '../src/store/store.js';
import { BACKENDS } from './support/backends.js';

/** 2026-11-27 10:00 in Shanghai. */
const START = Date.parse('2026-11-27T02:00:00Z');
const HOUR = 3600_000;
const MANAGER = '13800000001';
/** r001: 1号1单元302. */
const RESIDENT = '13800000101';
/** r003: 1号1单元201, the same stairway. */
const NEIGHBOUR = '13800000103';
/** r002: 2号3单元601, another building. */
const FAR_RESIDENT = '13800000102';
const HAULER = '13800000401';
const COMMITTEE = '13800000301';

for (const backend of BACKENDS) {
  describe(`renovation and waste (${backend.name})`, () => {
    let store: Store;
    let app: FastifyInstance;
    let ctx: AppContext;
    const clock = { now: START };
    const tokens = new Map<string, string>();
    let photo: string;

    beforeAll(async () => {
      store = await backend.open();
      let n = 0;
      ctx = { store, now: () => clock.now as EpochMs, newId: () => `r${String(++n).padStart(5, '0')}` };
      await loadScenario(ctx, await readScenarioFile(demoScenarioPath()));
      await loadRenovationSection(ctx, await readRenovationSection(demoRenovationPath()));
      app = await buildServer({ logger: false, routes: [apiRoutes(ctx)] });
      photo = (
        await sharp({ create: { width: 16, height: 12, channels: 3, background: '#8a7' } })
          .jpeg()
          .toBuffer()
      ).toString('base64');
    }, 60_000);

    afterAll(async () => {
      await app.close();
      await store.close();
      await backend.cleanup();
    });

    async function auth(phone: string): Promise<string> {
      const cached = tokens.get(phone);
      if (cached !== undefined) return cached;
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { phone, password: 'demo1234', kind: 'token' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const header = `Bearer ${res.json<{ token: string }>().token}`;
      tokens.set(phone, header);
      return header;
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async function call(phone: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object): Promise<any> {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: await auth(phone) },
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: res.statusCode, body: res.json() };
    }

    async function fingerprint(): Promise<unknown> {
      const count = async (table: 'renovations' | 'waste_declarations' | 'stray_reports' | 'ledger_events') =>
        (await store.db.selectFrom(table).selectAll().where('compound_id', '=', 'jinfang').execute()).length;
      return [
        await count('renovations'),
        await count('waste_declarations'),
        await count('stray_reports'),
        await count('ledger_events'),
      ];
    }

    async function refused(phone: string, url: string, payload: object, status: number, code: string, field: string) {
      const before = await fingerprint();
      const { status: got, body } = await call(phone, 'POST', url, payload);
      expect(got, JSON.stringify(body)).toBe(status);
      expect(body.error.code).toBe(code);
      expect(body.error.field).toBe(field);
      expect(await fingerprint()).toEqual(before);
      return body.error.message as string;
    }

    async function feed(phone: string): Promise<{ kind: string; title: string; ref: string | null }[]> {
      return (await call(phone, 'GET', '/api/notifications')).body.notifications;
    }

    const plan = {
      contractorName: '赵师傅',
      contractorPhone: '13911112222',
      workers: 3,
      startsOn: '2026-11-27',
      endsOn: '2026-12-20',
      kinds: ['walls', 'plumbing'],
      hoursFrom: '08:30',
      hoursTo: '17:30',
    };
    let renovationId = '';
    let collectionId = '';
    let strayId = '';

    it('refuses forbidden work and hours outside the rule, naming the field and the rule, writing nothing', async () => {
      const message = await refused(
        RESIDENT,
        '/api/renovations',
        { ...plan, kinds: ['walls', 'load-bearing-walls'] },
        400,
        'RENOVATION_FORBIDDEN',
        'body.kinds[1]',
      );
      expect(message).toContain('load-bearing');
      expect(message).toContain('住宅室内装饰装修管理办法');
      await refused(
        RESIDENT,
        '/api/renovations',
        { ...plan, hoursFrom: '07:00' },
        400,
        'RENOVATION_RULE',
        'body.hoursFrom',
      );
      await refused(
        RESIDENT,
        '/api/renovations',
        { ...plan, startsOn: '2026-11-20' },
        400,
        'RENOVATION_RULE',
        'body.startsOn',
      );
      await refused(
        RESIDENT,
        '/api/renovations',
        { ...plan, householdId: 'someone-else' },
        403,
        'FORBIDDEN',
        'householdId',
      );
    });

    it('registers the work as pending and tells the managers', async () => {
      const { status, body } = await call(RESIDENT, 'POST', '/api/renovations', plan);
      expect(status, JSON.stringify(body)).toBe(201);
      expect(body.renovation).toMatchObject({ status: 'pending', building: '1号', unit: '1单元', room: '302' });
      renovationId = body.renovation.id;
      expect((await feed(MANAGER)).some((n) => n.kind === 'renovation.registered' && n.ref === renovationId)).toBe(
        true,
      );
      await refused(RESIDENT, '/api/renovations', plan, 409, 'RENOVATION_STATE', 'renovationId');
    });

    it('approves it and tells the neighbours of the stairway, not those of other buildings', async () => {
      await refused(
        MANAGER,
        '/api/waste-declarations',
        { renovationId, pointId: 'wp-south', bags: 2, kind: 'construction' },
        409,
        'RENOVATION_STATE',
        'body.renovationId',
      );
      const { status, body } = await call(MANAGER, 'POST', `/api/renovations/${renovationId}/decision`, {
        approve: true,
      });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.renovation.status).toBe('approved');
      expect((await feed(NEIGHBOUR)).some((n) => n.kind === 'renovation.neighbour' && n.ref === renovationId)).toBe(
        true,
      );
      expect((await feed(FAR_RESIDENT)).some((n) => n.ref === renovationId)).toBe(false);
      expect((await feed(RESIDENT)).some((n) => n.kind === 'renovation.approved')).toBe(true);
      await refused(
        MANAGER,
        `/api/renovations/${renovationId}/decision`,
        { approve: true },
        409,
        'RENOVATION_STATE',
        'renovationId',
      );
      const deposit = await call(MANAGER, 'POST', `/api/renovations/${renovationId}/deposit`, {});
      expect(deposit.body.renovation.depositStatus).toBe('received');
    });

    it('takes bags up to the point’s capacity, schedules a collection when it fills, refuses past it', async () => {
      const points = (await call(RESIDENT, 'GET', '/api/waste-points')).body.points;
      const south = points.find((p: { id: string }) => p.id === 'wp-south');
      expect(south).toMatchObject({ bags: 18, capacityBags: 60, collectionScheduled: false });
      const first = await call(RESIDENT, 'POST', '/api/waste-declarations', {
        renovationId,
        pointId: 'wp-south',
        bags: 30,
        kind: 'construction',
      });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body.declaration.feeFen).toBe(30 * 800);
      collectionId = first.body.declaration.collectionId;
      expect(collectionId).toBeTruthy();
      expect((await feed(HAULER)).some((n) => n.kind === 'waste.collection' && n.ref === collectionId)).toBe(true);
      const message = await refused(
        RESIDENT,
        '/api/waste-declarations',
        { renovationId, pointId: 'wp-south', bags: 13, kind: 'construction' },
        409,
        'POINT_FULL',
        'body.bags',
      );
      expect(message).toContain('at most 12 more');
    });

    it('lets the hauler confirm the pickup with a photo, once, and empties the point', async () => {
      const list = (await call(HAULER, 'GET', '/api/waste-collections')).body.collections;
      expect(list.map((c: { id: string }) => c.id)).toContain(collectionId);
      await refused(
        HAULER,
        `/api/waste-collections/${collectionId}/confirm`,
        { photo: { contentType: 'image/jpeg', data: Buffer.from('not a photo').toString('base64') } },
        400,
        'BAD_PHOTO',
        'body.photo.data',
      );
      const { status, body } = await call(HAULER, 'POST', `/api/waste-collections/${collectionId}/confirm`, {
        photo: { contentType: 'image/jpeg', data: photo },
      });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.collection).toMatchObject({ status: 'done', bags: 48 });
      const south = (await call(MANAGER, 'GET', '/api/waste-points')).body.points.find(
        (p: { id: string }) => p.id === 'wp-south',
      );
      expect(south).toMatchObject({ bags: 0, collectionScheduled: false });
      await refused(
        HAULER,
        `/api/waste-collections/${collectionId}/confirm`,
        { photo: { contentType: 'image/jpeg', data: photo } },
        409,
        'COLLECTION_DONE',
        'collectionId',
      );
      const image = await app.inject({
        method: 'GET',
        url: `/api/waste-photos/${body.collection.photoId}`,
        headers: { authorization: await auth(MANAGER) },
      });
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/jpeg');
    });

    it('traces a stray report to the renovation under way in that stairway, else to the property company', async () => {
      const guard = await store.db
        .selectFrom('guards_on_duty')
        .innerJoin('users', (j) =>
          j
            .onRef('users.compound_id', '=', 'guards_on_duty.compound_id')
            .onRef('users.id', '=', 'guards_on_duty.guard_id'),
        )
        .select('users.phone')
        .where('guards_on_duty.compound_id', '=', 'jinfang')
        .executeTakeFirstOrThrow();
      const traced = await call(guard.phone, 'POST', '/api/stray-reports', {
        building: '1号',
        unit: '1单元',
        place: '单元门口左侧',
        photo: { contentType: 'image/jpeg', data: photo },
      });
      expect(traced.status, JSON.stringify(traced.body)).toBe(201);
      expect(traced.body.report).toMatchObject({ renovationId, responsible: 'renovation', status: 'open' });
      strayId = traced.body.report.id;
      expect((await feed(RESIDENT)).some((n) => n.kind === 'stray.reported' && n.ref === strayId)).toBe(true);
      const property = await call(MANAGER, 'POST', '/api/stray-reports', {
        building: '2号',
        unit: '1单元',
        place: '自行车棚后',
        photo: { contentType: 'image/jpeg', data: photo },
      });
      expect(property.body.report).toMatchObject({ renovationId: null, responsible: 'property' });
      await refused(
        MANAGER,
        '/api/stray-reports',
        { building: '99号', unit: '1单元', place: 'x', photo: { contentType: 'image/jpeg', data: photo } },
        404,
        'NOT_FOUND',
        'body.unit',
      );
      const mine = (await call(RESIDENT, 'GET', '/api/stray-reports')).body.reports;
      expect(mine.map((r: { id: string }) => r.id)).toEqual([strayId]);
    });

    it('reminds, then escalates and deducts from the deposit once; closing waits for the report to clear', async () => {
      clock.now = START + 13 * HOUR;
      expect(await checkWaste(ctx, 'jinfang')).toMatchObject({ reminded: 2, escalated: 0 });
      clock.now = START + 25 * HOUR;
      // Access tokens last an hour of the clock: sign in again.
      tokens.clear();
      expect(await checkWaste(ctx, 'jinfang')).toMatchObject({ reminded: 0, escalated: 2 });
      expect(await checkWaste(ctx, 'jinfang')).toMatchObject({ reminded: 0, escalated: 0 });
      await refused(MANAGER, `/api/renovations/${renovationId}/close`, {}, 409, 'RENOVATION_STATE', 'renovationId');
      const cleared = await call(RESIDENT, 'POST', `/api/stray-reports/${strayId}/clear`, {});
      expect(cleared.body.report).toMatchObject({ status: 'cleared', deductedFen: STRAY_DEDUCTION_FEN });
      const { status, body } = await call(MANAGER, 'POST', `/api/renovations/${renovationId}/close`, {});
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({
        refundFen: DEFAULT_DEPOSIT_FEN - STRAY_DEDUCTION_FEN,
        owedFen: 0,
        renovation: { status: 'closed', depositStatus: 'returned', deductedFen: STRAY_DEDUCTION_FEN },
      });
    });

    it('records every step in a ledger that verifies and replays', async () => {
      const events = await store.events('jinfang');
      const kinds = events
        .filter((e) => e.type === 'record' && e.payload.refId !== undefined)
        .map((e) => (e.type === 'record' ? e.payload.kind : ''));
      for (const kind of [
        'renovation.registered',
        'renovation.approved',
        'renovation.deposit',
        'waste.declared',
        'waste.collection-scheduled',
        'waste.collected',
        'stray.reported',
        'stray.reminded',
        'stray.escalated',
        'stray.cleared',
        'renovation.closed',
      ]) {
        expect(kinds, kind).toContain(kind);
      }
      const collected = events.find((e) => e.type === 'record' && e.payload.kind === 'waste.collected');
      expect(collected?.type === 'record' && typeof collected.payload.detail.photoSha256).toBe('string');
      expect(JSON.stringify(events)).not.toContain('赵师傅');
      expect(JSON.stringify(events)).not.toContain('13911112222');
      expect((await store.verify('jinfang')).ok).toBe(true);
      expect((await store.replay('jinfang')).equal).toBe(true);
    });

    it('gives the committee monthly figures without any household or flat', async () => {
      const { status, body } = await call(COMMITTEE, 'GET', '/api/reports/waste?months=2');
      expect(status, JSON.stringify(body)).toBe(200);
      const month = body.months.find((m: { month: string }) => m.month === '2026-11');
      expect(month).toMatchObject({ renovationsDone: 1, strayReported: 2, strayCleared: 1, strayEscalated: 2 });
      expect(month.renovationsActive).toBeGreaterThanOrEqual(3);
      const south = month.points.find((p: { pointId: string }) => p.pointId === 'wp-south');
      expect(south).toMatchObject({ declaredBags: 48, collectedBags: 48, collections: 1 });
      const text = JSON.stringify(body);
      expect(text).not.toMatch(/单元|householdId|302/);
      expect((await call(RESIDENT, 'GET', '/api/reports/waste')).status).toBe(403);
    });
  });
}
