/**
 * Shared set-up for the HTTP tests of residents, cars, keys and visitors: the demo compound in an
 * in-memory store with an injected clock, plus an empty compound with a manager of its own.
 */
import type { FastifyInstance } from 'fastify';
import type { EpochMs, UserId } from '../../src/core/brand.js';
import type { AppContext } from '../../src/app/context.js';
import type { Backend } from './backends.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../../src/app/demo.js';
import { hashPassword } from '../../src/app/passwords.js';
import { apiRoutes } from '../../src/http/api.js';
import { buildServer } from '../../src/http/server.js';
import { openStore } from '../../src/store/store.js';
import { currentToken, remember, renew } from './renewing-tokens.js';

/** 2026-11-27 20:00 in Shanghai: the evening shift is on duty. */
export const DEMO_NOW = Date.parse('2026-11-27T12:00:00Z') as EpochMs;
export const EMPTY_COMPOUND = 'empty-test';
export const EMPTY_MANAGER_PHONE = '13900000001';
export const PASSWORD = 'demo1234';

export interface ResidentsWorld {
  ctx: AppContext;
  app: FastifyInstance;
  clock: { now: number };
  /** Signs in and returns the `authorization` header value. */
  login(phone: string): Promise<string>;
  /** Calls the API as the user of `phone`; the reply's status and parsed body (loose JSON, as `res.json()` gives it). */
  call(
    phone: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read replies as loose JSON
  ): Promise<{ status: number; body: any }>;
  /** The phone of the first guard (by id) on duty in the demo compound. */
  onDutyGuardPhone(): Promise<string>;
  /** The stored state and the event count of a compound, to show a refused request changed nothing. */
  fingerprint(compoundId: string): Promise<{ stored: unknown; events: number }>;
  close(): Promise<void>;
}

/**
 * The demo world; on SQLite in memory unless a backend is given (e.g. `BACKENDS.at(-1)`: PostgreSQL
 * when set), whose schemas `close` drops.
 */
export async function residentsWorld(backend?: Backend): Promise<ResidentsWorld> {
  const store = backend === undefined ? await openStore({ dataDir: ':memory:' }) : await backend.open();
  const clock = { now: DEMO_NOW as number };
  let n = 0;
  const ctx: AppContext = { store, now: () => clock.now as EpochMs, newId: () => `t${String(++n).padStart(5, '0')}` };
  await loadScenario(ctx, await readScenarioFile(demoScenarioPath()));
  await store.createCompound(EMPTY_COMPOUND, '空白小区', clock.now);
  await store.db
    .insertInto('users')
    .values({
      compound_id: EMPTY_COMPOUND,
      id: 'm-empty',
      role: 'manager',
      name: '测试经理',
      phone: EMPTY_MANAGER_PHONE,
      password_hash: await hashPassword(PASSWORD),
      household_id: null,
      partner_lot_id: null,
    })
    .execute();
  const app = await buildServer({ logger: false, routes: [apiRoutes(ctx)] });
  const tokens = new Map<string, { first: string; expiresAt: number }>();
  const login = async (phone: string): Promise<string> => {
    const cached = tokens.get(phone);
    if (cached !== undefined) {
      // An access token lasts an hour of the test's clock; renew it as an integration would, and
      // sign in again once the refresh token too has run out (30 days).
      const renewed = cached.expiresAt > clock.now ? cached.expiresAt : await renew(app, cached.first);
      if (renewed !== null) {
        cached.expiresAt = renewed;
        return `Bearer ${currentToken(cached.first)}`;
      }
    }
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { phone, password: PASSWORD, kind: 'token' },
    });
    if (res.statusCode !== 200) throw new Error(`login ${phone}: ${res.statusCode} ${res.body}`);
    const signedIn = res.json<{ token: string; refreshToken: string; expiresAt: number }>();
    tokens.set(phone, { first: remember(signedIn), expiresAt: signedIn.expiresAt });
    return `Bearer ${signedIn.token}`;
  };
  return {
    ctx,
    app,
    clock,
    login,
    call: async (phone, method, url, payload) => {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: await login(phone) },
        ...(payload === undefined ? {} : { payload }),
      });
      return { status: res.statusCode, body: res.json() };
    },
    onDutyGuardPhone: async () => {
      const state = await store.state('jinfang');
      const guards = await store.db
        .selectFrom('users')
        .select(['id', 'phone'])
        .where('compound_id', '=', 'jinfang')
        .where('role', '=', 'guard')
        .orderBy('id')
        .execute();
      return guards.find((g) => state.onDuty.has(g.id as UserId))?.phone ?? '';
    },
    fingerprint: async (compoundId) => {
      const { stored, events } = await store.replay(compoundId);
      const visitors = await store.db
        .selectFrom('visitors')
        .selectAll()
        .where('compound_id', '=', compoundId)
        .execute();
      const plates = await store.db
        .selectFrom('vehicle_plates')
        .selectAll()
        .where('compound_id', '=', compoundId)
        .orderBy('vehicle_id')
        .execute();
      const addresses = await store.db
        .selectFrom('household_addresses')
        .selectAll()
        .where('compound_id', '=', compoundId)
        .orderBy('household_id')
        .execute();
      return { stored: { state: stored, visitors, plates, addresses }, events };
    },
    close: async () => {
      await app.close();
      await store.close();
      await backend?.cleanup();
    },
  };
}
