/**
 * Issue 4, acceptance 2: the authorization matrix. Every route of the API document × every role,
 * plus a user of another compound and an anonymous caller. A route added without an entry here
 * fails the first test. Anonymous calls get 401 before any validation of body or ids.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/app/actor.js';
import type { AppContext } from '../src/app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../src/app/demo.js';
import { hashPassword } from '../src/app/passwords.js';
import type { EpochMs } from '../src/core/brand.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiRoutes } from '../src/http/api.js';
import { buildServer } from '../src/http/server.js';
import { openStore } from '../src/store/store.js';

const ALL: Role[] = ['manager', 'guard', 'resident', 'partner', 'committee'];

/** Who may call each route: the access rules of the product, written out so a change is deliberate. */
const MATRIX: Record<string, Role[] | 'public'> = {
  'POST /api/auth/login': 'public',
  'POST /api/auth/activate': 'public',
  'POST /api/invitations': ['manager'],
  'POST /api/auth/logout': ALL,
  'GET /api/auth/me': ALL,
  'POST /api/auth/refresh': 'public',
  'GET /api/auth/sessions': ALL,
  'POST /api/auth/sessions/revoke': ALL,
  'POST /api/auth/password': ALL,
  'GET /api/users': ['manager'],
  'POST /api/users/{userId}/disable': ['manager'],
  'POST /api/users/{userId}/enable': ['manager'],
  'POST /api/users/{userId}/sessions/revoke': ['manager'],
  'POST /api/users/{userId}/unlock': ['manager'],
  'GET /api/compounds/{compoundId}/lot': ['manager', 'guard', 'resident', 'committee'],
  'POST /api/compounds/{compoundId}/check-ins': ['guard'],
  'POST /api/compounds/{compoundId}/plan': ['guard', 'manager'],
  'GET /api/vehicles': ['resident', 'manager', 'guard'],
  'POST /api/vehicles': ['resident', 'manager'],
  'GET /api/vehicles/{vehicleId}': ['manager', 'guard', 'resident'],
  'PATCH /api/vehicles/{vehicleId}': ['manager'],
  'GET /api/vehicles/{vehicleId}/history': ['manager', 'guard', 'resident'],
  'POST /api/vehicles/{vehicleId}/depart': ['guard', 'resident'],
  'GET /api/vehicles/{vehicleId}/departures': ['manager', 'guard', 'resident'],
  'POST /api/vehicles/{vehicleId}/departures': ['resident', 'manager', 'guard'],
  'DELETE /api/departures/{departureId}': ['resident', 'manager'],
  'POST /api/vehicles/{vehicleId}/consent': ['resident'],
  'DELETE /api/vehicles/{vehicleId}/consent': ['resident'],
  'GET /api/consent': ['resident', 'manager', 'guard'],
  'GET /api/keys': ['manager', 'guard'],
  'POST /api/keys': ['guard'],
  'POST /api/keys/{tag}/checkout': ['guard'],
  'POST /api/keys/{tag}/return': ['guard'],
  'POST /api/keys/{tag}/release': ['guard'],
  'POST /api/keys/{tag}/lost': ['guard', 'manager'],
  'GET /api/keys/{tag}/label.svg': ['manager', 'guard'],
  'GET /api/keys/labels.html': ['manager', 'guard'],
  'GET /api/alarms': ['manager'],
  'POST /api/imports/households': ['manager'],
  'GET /api/imports/households.csv': ['manager'],
  'POST /api/visitors': ['resident', 'guard'],
  'GET /api/visitors': ['guard', 'manager', 'resident'],
  'GET /api/tasks': ['guard', 'manager'],
  'POST /api/tasks/{taskId}/start': ['guard'],
  'POST /api/tasks/{taskId}/complete': ['guard'],
  'POST /api/tasks/{taskId}/fail': ['guard'],
  'POST /api/tasks/{taskId}/reassign': ['manager'],
  'GET /api/shifts': ['manager', 'guard', 'committee'],
  'POST /api/shifts/roster': ['manager'],
  'POST /api/shifts/swap': ['manager', 'guard'],
  'POST /api/shifts/swap/{swapId}/accept': ['guard'],
  'POST /api/shifts/swap/{swapId}/decline': ['guard'],
  'POST /api/shifts/duty': ['guard', 'manager'],
  'POST /api/shifts/handover': ['guard'],
  'POST /api/shifts/handover/{handoverId}/confirm': ['guard'],
  'GET /api/ledger/verify': ['manager', 'committee'],
  'GET /api/me/export': ['manager', 'guard', 'resident', 'partner', 'committee'],
  'POST /api/me/erasure': ['resident'],
  'GET /api/reports/nights': ['manager', 'committee'],
  'GET /api/reports/shifts': ['manager'],
  'GET /api/notifications': ['manager', 'guard', 'resident', 'partner'],
  'POST /api/notifications/{id}/read': ['manager', 'guard', 'resident', 'partner'],
  'GET /api/notifications/stream': ['manager', 'guard', 'resident', 'partner'],
  'POST /api/incidents': ['manager', 'guard', 'resident'],
  'GET /api/incidents': ['manager', 'guard', 'resident'],
  'GET /api/incidents/{id}': ['manager', 'guard', 'resident'],
  'PATCH /api/incidents/{id}': ['manager'],
  'POST /api/incidents/{id}/photos': ['manager', 'guard', 'resident'],
  'GET /api/incidents/{id}/photos/{photoId}': ['manager', 'guard', 'resident'],
  'PUT /api/compounds/{compoundId}/lanes/{laneId}': ['manager'],
  'GET /api/partner-lots': ['manager', 'guard', 'resident', 'partner'],
  'GET /api/partner-lots/{id}': ['manager', 'guard', 'resident', 'partner'],
  'PATCH /api/partner-lots/{id}': ['manager'],
  'PUT /api/partner-lots/{id}/exceptions/{night}': ['manager'],
  'GET /api/partner-lots/{id}/cars': ['manager', 'guard', 'partner'],
  'POST /api/partner-lots/check': ['manager'],
  'GET /api/bookings': ['manager', 'guard', 'resident', 'partner'],
  'POST /api/bookings': ['resident', 'manager'],
  'POST /api/bookings/standing': ['resident', 'manager'],
  'POST /api/bookings/{id}/cancel': ['resident', 'manager'],
  'POST /api/bookings/{id}/check-in': ['resident', 'partner', 'manager'],
  'POST /api/bookings/{id}/check-out': ['resident', 'partner', 'manager'],
  'POST /api/bookings/{id}/valet': ['resident', 'guard', 'manager'],
  'POST /api/compounds/{compoundId}/closures': ['manager'],
  'GET /api/compounds/{compoundId}/forecast': ['manager', 'guard', 'committee'],
  'GET /api/compounds/{compoundId}/partner-allocation': ['manager', 'guard'],
  'POST /api/compounds/{compoundId}/partner-allocation': ['manager'],
  'POST /api/vehicles/{vehicleId}/charging-requests': ['resident', 'manager'],
  'POST /api/compounds/{compoundId}/charging-plan': ['manager', 'guard'],
  'POST /api/renovations': ['resident', 'manager'],
  'GET /api/renovations': ['resident', 'manager', 'guard'],
  'POST /api/renovations/{id}/decision': ['manager'],
  'POST /api/renovations/{id}/deposit': ['manager'],
  'POST /api/renovations/{id}/close': ['manager'],
  'GET /api/waste-points': ['manager', 'guard', 'resident', 'partner'],
  'PUT /api/waste-points/{id}': ['manager'],
  'POST /api/waste-declarations': ['resident', 'manager'],
  'GET /api/waste-collections': ['manager', 'partner'],
  'POST /api/waste-collections': ['manager'],
  'POST /api/waste-collections/{id}/confirm': ['partner'],
  'POST /api/stray-reports': ['resident', 'guard', 'manager'],
  'GET /api/stray-reports': ['resident', 'guard', 'manager'],
  'POST /api/stray-reports/{id}/clear': ['resident', 'guard', 'manager'],
  'GET /api/waste-photos/{id}': ['manager', 'guard', 'resident', 'partner'],
  'GET /api/reports/waste': ['committee', 'manager'],
  // The cameras prove themselves with their own secret or address, not a session.
  'POST /api/gate/{compoundId}/cameras/{cameraId}/vzenith': 'public',
  'POST /api/gate/{compoundId}/cameras/{cameraId}/reads': 'public',
  'POST /api/gate/{compoundId}/cameras/{cameraId}/heartbeat': 'public',
  'GET /api/gate/cameras': ['manager'],
  'PUT /api/gate/cameras/{cameraId}': ['manager'],
  'GET /api/gate/rule': ['manager', 'guard'],
  'PUT /api/gate/rule': ['manager'],
  'GET /api/gate/decisions': ['guard', 'manager'],
  'GET /api/gate/reads': ['guard', 'manager'],
  'POST /api/gate/reads/{readId}/decision': ['guard', 'manager'],
  'GET /api/fees/rules': ['manager', 'committee', 'resident'],
  'PUT /api/fees/rules/{effectiveFrom}': ['manager'],
  'GET /api/fees/cards': ['manager', 'resident'],
  'POST /api/fees/cards': ['manager'],
  'POST /api/fees/cards/{cardId}/end': ['manager'],
  'POST /api/fees/cards/{cardId}/pauses': ['manager', 'resident'],
  'POST /api/fees/bills': ['manager'],
  'GET /api/fees/accounts/{householdId}': ['manager', 'resident'],
  'POST /api/fees/payments': ['manager'],
  'POST /api/fees/charging-sessions': ['manager', 'guard'],
  'GET /api/messages/templates': ['manager'],
  'GET /api/messages/deliveries': ['manager'],
  'GET /api/me/channels': ['resident'],
  'PUT /api/me/channels': ['resident'],
  'GET /api/fees/payments/{paymentId}/receipt': ['manager', 'resident'],
  'GET /api/fees/summary': ['manager', 'committee'],
  // The payment gateway signs its callback with the shared secret instead of a session.
  'POST /api/fees/gateway/{compoundId}/callback': 'public',
  'POST /api/condition-records': ['guard'],
  'GET /api/vehicles/{vehicleId}/condition-records': ['guard', 'manager', 'resident'],
  'POST /api/condition-records/{recordId}/acknowledge': ['resident'],
  'GET /api/condition-records/{recordId}/photos/{photoId}': ['guard', 'manager', 'resident'],
};

/** Ids of the demo compound put into every path. */
const PARAMS: Record<string, string> = {
  compoundId: 'jinfang',
  vehicleId: 'v001',
  tag: 'K-v001',
  taskId: 'no-such-task',
  departureId: 'no-such-departure',
  handoverId: 'no-such-handover',
  swapId: 'no-such-swap',
  id: 'no-such-id',
  photoId: 'no-such-photo',
  laneId: 'L01',
  userId: 'no-such-user',
  cameraId: 'no-such-camera',
  readId: 'no-such-read',
  effectiveFrom: '2026-12-01',
  cardId: 'no-such-card',
  householdId: 'h-d9947c',
  paymentId: 'no-such-payment',
  recordId: 'no-such-record',
};

let app: FastifyInstance;
let ctx: AppContext;
const tokens = new Map<string, string>();
let routes: { method: string; path: string; key: string }[] = [];
let phoneOf: (role: Role) => string;

function urlOf(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? 'x');
}

async function signIn(phone: string): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { phone, password: 'demo1234', kind: 'token' },
  });
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as { token: string }).token;
}

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  let n = 0;
  ctx = { store, now: () => shanghaiInstant('2026-11-30', '20:00') as EpochMs, newId: () => `authz${++n}` };
  const scenario = await readScenarioFile(demoScenarioPath());
  await loadScenario(ctx, scenario);
  // Another compound with a manager of its own.
  await store.createCompound('elsewhere', '别处小区', ctx.now());
  await store.db
    .insertInto('users')
    .values({
      compound_id: 'elsewhere',
      id: 'm-else',
      role: 'manager',
      name: '外人',
      phone: '13900000001',
      password_hash: await hashPassword('demo1234'),
      household_id: null,
      partner_lot_id: null,
    })
    .execute();
  app = await buildServer({ routes: [apiRoutes(ctx)] });
  await app.ready();
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => m !== 'head')
      .map((m) => ({ method: m.toUpperCase(), path, key: `${m.toUpperCase()} ${path}` })),
  );
  phoneOf = (role: Role) => scenario.users.find((u) => u.role === role)!.phone;
  for (const role of ALL) tokens.set(role, await signIn(phoneOf(role)));
  tokens.set('other-compound', await signIn('13900000001'));
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

async function request(route: { method: string; path: string }, token: string | null) {
  return app.inject({
    method: route.method as 'GET',
    url: urlOf(route.path),
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(route.method === 'GET' || route.method === 'DELETE'
      ? {}
      : { payload: { bogus: ['not', 'what', 'any', 'route', 'wants'] } }),
  });
}

describe('the authorization matrix', () => {
  it('has an entry for every route of the API and no entry for a route that does not exist', () => {
    const apiRoutes = routes.filter((r) => r.path.startsWith('/api/') && r.path !== '/api/health').map((r) => r.key);
    expect([...apiRoutes].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it('answers 401 to an anonymous caller on every route but sign-in, before looking at the body or the ids', async () => {
    for (const route of routes.filter((r) => MATRIX[r.key] !== 'public' && r.path !== '/api/health')) {
      const r = await request(route, null);
      expect(r.statusCode, route.key).toBe(401);
      expect(r.json(), route.key).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('lets each role through exactly the routes it may use', async () => {
    const failures: string[] = [];
    // Sign-out last: it ends the session the other calls use.
    const ordered = [...routes]
      .filter((r) => MATRIX[r.key] !== 'public' && r.path.startsWith('/api/') && r.path !== '/api/health')
      .sort((a, b) => Number(a.key.includes('logout')) - Number(b.key.includes('logout')));
    for (const route of ordered) {
      const allowed = MATRIX[route.key] as Role[];
      for (const role of ALL) {
        if (route.key.endsWith('/stream')) continue; // checked below: an allowed stream never ends
        const r = await request(route, tokens.get(role)!);
        const deniedByRole =
          r.statusCode === 403 &&
          (r.json() as { error: { message: string } }).error.message.startsWith(`a ${role} may not`);
        if (allowed.includes(role) && (r.statusCode === 401 || deniedByRole))
          failures.push(`${route.key} should let a ${role} in, got ${r.statusCode}`);
        if (!allowed.includes(role) && !deniedByRole)
          failures.push(`${route.key} should refuse a ${role} with 403, got ${r.statusCode} ${r.body.slice(0, 80)}`);
      }
    }
    expect(failures).toEqual([]);
    // The sign-out calls ended every role's session: sign in again for the tests below.
    for (const role of ALL) tokens.set(role, await signIn(phoneOf(role)));
    tokens.set('other-compound', await signIn('13900000001'));
  }, 120_000);

  it('refuses the live stream to the roles without a feed', async () => {
    for (const role of ['committee'] as const) {
      const r = await app.inject({
        method: 'GET',
        url: '/api/notifications/stream',
        headers: { authorization: `Bearer ${tokens.get(role)!}` },
      });
      expect(r.statusCode).toBe(403);
    }
  });

  it("never shows a user of another compound this compound's things", async () => {
    const failures: string[] = [];
    const other = tokens.get('other-compound')!;
    for (const route of routes.filter(
      (r) =>
        MATRIX[r.key] !== undefined &&
        MATRIX[r.key] !== 'public' &&
        !r.key.includes('logout') &&
        !r.key.endsWith('/stream'),
    )) {
      const allowed = MATRIX[route.key] as Role[];
      if (!allowed.includes('manager')) continue;
      const r = await request(route, other);
      if (route.key === 'GET /api/keys/{tag}/label.svg') {
        // Labels are printed for any well-formed tag, before tags are assigned: it renders the tag of the URL and the caller's own compound.
        if (r.body.includes('金纺')) failures.push(`${route.key} named the demo compound`);
        continue;
      }
      if (r.statusCode >= 200 && r.statusCode < 300) {
        if (/\{(compoundId|vehicleId|tag)\}/.test(route.path))
          failures.push(`${route.key} answered ${r.statusCode} for the demo compound's ids`);
        if (/jinfang|"v0\d\d"|K-v0/.test(r.body)) failures.push(`${route.key} leaked the demo compound's data`);
      }
    }
    expect(failures).toEqual([]);
  });
});
