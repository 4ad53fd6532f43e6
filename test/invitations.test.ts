/** A manager invites a resident; the one-time code sets the password once, for that phone only. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { demoScenarioPath, loadScenario, readScenarioFile } from '../src/app/demo.js';
import type { EpochMs } from '../src/core/brand.js';
import { shanghaiInstant } from '../src/core/time.js';
import { apiRoutes } from '../src/http/api.js';
import { buildServer } from '../src/http/server.js';
import { openStore } from '../src/store/store.js';
import { injectAs, remember } from './support/renewing-tokens.js';

let clock: number = shanghaiInstant('2026-11-30', '10:00');
let app: FastifyInstance;
let ctx: AppContext;
let manager = '';

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  let n = 0;
  ctx = { store, now: () => clock as EpochMs, newId: () => `inv${++n}` };
  await loadScenario(ctx, await readScenarioFile(demoScenarioPath()));
  app = await buildServer({ routes: [apiRoutes(ctx)] });
  manager = remember(
    (
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { phone: '13800000001', password: 'demo1234', kind: 'token' },
      })
    ).json(),
  );
}, 60_000);
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

const invite = (payload: object) => injectAs(app, manager, { method: 'POST', url: '/api/invitations', payload });
const activate = (payload: object) => app.inject({ method: 'POST', url: '/api/auth/activate', payload });

describe('invitations', () => {
  it('creates the account with a one-time code that sets the password once', async () => {
    const r = await invite({ role: 'resident', name: '李新', phone: '13700000001', householdId: 'h-d9947c' });
    expect(r.statusCode, r.body).toBe(200);
    const { code } = r.json() as { code: string };
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    // Not yet active: no password signs in.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { phone: '13700000001', password: 'anything-at-all' },
        })
      ).statusCode,
    ).toBe(401);
    expect((await activate({ phone: '13700000001', code: 'ZZZZ-ZZZZ', password: 'a-good-password' })).statusCode).toBe(
      401,
    );
    expect((await activate({ phone: '13800000101', code, password: 'a-good-password' })).json()).toMatchObject({
      error: { code: 'INVITATION_INVALID', field: 'body.code' },
    });
    const ok = await activate({
      phone: '13700000001',
      code: code.toLowerCase().replace('-', ' '),
      password: 'a-good-password',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ user: { role: 'resident', householdId: 'h-d9947c' } });
    expect((await activate({ phone: '13700000001', code, password: 'another-password' })).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { phone: '13700000001', password: 'a-good-password' },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('refuses an expired code', async () => {
    const { code } = (await invite({ role: 'guard', name: '赵强', phone: '13700000002' })).json() as { code: string };
    clock += 8 * 24 * 3600_000;
    expect((await activate({ phone: '13700000002', code, password: 'a-good-password' })).statusCode).toBe(401);
  });

  it('refuses a taken phone, an unknown household and a resident without one, writing nothing', async () => {
    const users = await ctx.store.db.selectFrom('users').select('id').execute();
    expect((await invite({ role: 'guard', name: '重复', phone: '13800000001' })).json()).toMatchObject({
      error: { code: 'PHONE_TAKEN', field: 'body.phone' },
    });
    expect(
      (await invite({ role: 'resident', name: '无户', phone: '13700000003', householdId: 'nowhere' })).json(),
    ).toMatchObject({ error: { code: 'NOT_FOUND', field: 'body.householdId' } });
    expect((await invite({ role: 'resident', name: '无户', phone: '13700000003' })).json()).toMatchObject({
      error: { code: 'VALIDATION', field: 'body.householdId' },
    });
    expect((await invite({ role: 'manager', name: '越权', phone: '13700000004' })).statusCode).toBe(400);
    expect(await ctx.store.db.selectFrom('users').select('id').execute()).toHaveLength(users.length);
  });
});
