/**
 * Issue 14, item 1: sign-in and sessions. Growing delays and a lockout per phone, kept in the
 * database so two servers on one database share them; the same answers and the same scrypt for
 * unknown phones; a per-address limit; sessions listed and ended, passwords changed, accounts
 * disabled; short access tokens with one-use refresh tokens; expired sessions purged; the cookie's
 * `Secure` and `__Host-` name over TLS behind a trusted proxy. On every backend.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { hashPassword, passwordHasher } from '../src/app/passwords.js';
import { purgeExpiredSessions } from '../src/app/sessions.js';
import { FREE_FAILURES, LOCK_AFTER_FAILURES, delayAfterFailures } from '../src/app/sign-in-limits.js';
import type { EpochMs } from '../src/core/brand.js';
import { apiRoutes } from '../src/http/api.js';
import type { ServerOptions } from '../src/http/server.js';
import { buildServer } from '../src/http/server.js';
import { BACKENDS } from './support/backends.js';

const PASSWORD = 'right-password';
const MANAGER = '13900000001';
const GUARD = '13900000002';
const OTHER_MANAGER = '13900000009';
const UNKNOWN = '13900000077';
const T0 = Date.parse('2026-12-01T02:00:00Z');

for (const backend of BACKENDS) {
  describe(`sign-in and sessions (${backend.name})`, () => {
    let ctx: AppContext;
    const clock = { now: T0 };
    const servers: FastifyInstance[] = [];
    let app: FastifyInstance;

    async function server(options: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
      const s = await buildServer({ routes: [apiRoutes(ctx)], ...options });
      servers.push(s);
      return s;
    }

    beforeEach(async () => {
      clock.now = T0;
      const store = await backend.open();
      let n = 0;
      ctx = { store, now: () => clock.now as EpochMs, newId: () => `s${++n}` };
      const hash = await hashPassword(PASSWORD);
      for (const [compound, id, role, phone] of [
        ['c1', 'm1', 'manager', MANAGER],
        ['c1', 'g1', 'guard', GUARD],
        ['c2', 'm2', 'manager', OTHER_MANAGER],
      ] as const) {
        if (!(await store.compoundIds()).includes(compound)) await store.createCompound(compound, compound, T0);
        await store.db
          .insertInto('users')
          .values({
            compound_id: compound,
            id,
            role,
            name: id,
            phone,
            password_hash: hash,
            household_id: null,
            partner_lot_id: null,
          })
          .execute();
      }
      app = await server();
    });
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      await ctx.store.close();
    });
    afterAll(() => backend.cleanup());

    const login = (phone: string, password = PASSWORD, on = app, extra: Partial<InjectOptions> = {}) =>
      on.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password, kind: 'token' }, ...extra });
    const tokenOf = async (phone: string) => {
      const r = await login(phone);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { token: string; refreshToken: string; expiresAt: number };
    };
    const as = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

    it('answers wrong passwords with growing delays (429 and Retry-After, no sleeping) and lets the right one in after the wait', async () => {
      for (let i = 1; i <= FREE_FAILURES; i++) expect((await login(GUARD, 'wrong')).statusCode).toBe(401);
      // The next failure starts the delay.
      expect((await login(GUARD, 'wrong')).statusCode).toBe(401);
      const delayed = await login(GUARD);
      expect(delayed.statusCode).toBe(429);
      expect(delayed.json()).toMatchObject({ error: { code: 'SIGN_IN_DELAYED' } });
      expect(Number(delayed.headers['retry-after'])).toBe(delayAfterFailures(FREE_FAILURES + 1) / 1000);
      clock.now += delayAfterFailures(FREE_FAILURES + 1);
      expect((await login(GUARD, 'wrong')).statusCode).toBe(401);
      const longer = await login(GUARD);
      expect(Number(longer.headers['retry-after'])).toBe(delayAfterFailures(FREE_FAILURES + 2) / 1000);
      expect(delayAfterFailures(FREE_FAILURES + 2)).toBeGreaterThan(delayAfterFailures(FREE_FAILURES + 1));
      clock.now += delayAfterFailures(FREE_FAILURES + 2);
      expect((await login(GUARD)).statusCode).toBe(200);
      // Success starts the count again.
      expect((await login(GUARD, 'wrong')).statusCode).toBe(401);
      expect((await login(GUARD)).statusCode).toBe(200);
    });

    it('locks the phone at the limit, tells the managers, and a manager lifts the lock', async () => {
      for (let i = 1; i <= LOCK_AFTER_FAILURES; i++) {
        expect((await login(GUARD, 'wrong')).statusCode).toBe(401);
        clock.now += delayAfterFailures(i);
      }
      clock.now += 24 * 3600_000 - 1;
      const locked = await login(GUARD);
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
      const alerts = await ctx.store.db
        .selectFrom('notifications')
        .selectAll()
        .where('kind', '=', 'account.locked')
        .execute();
      expect(alerts.map((a) => [a.compound_id, a.user_id, a.ref])).toEqual([['c1', 'm1', 'g1']]);

      const manager = (await tokenOf(MANAGER)).token;
      const other = (await tokenOf(OTHER_MANAGER)).token;
      expect((await as(other, 'POST', '/api/users/g1/unlock')).statusCode).toBe(404);
      const guardTry = await as(manager, 'POST', '/api/users/g1/unlock');
      expect(guardTry.json()).toEqual({ userId: 'g1', wasLocked: true });
      expect((await login(GUARD)).statusCode).toBe(200);
    });

    it('keeps the counts in the database: failures on one server delay and lock the phone on another', async () => {
      const second = await server();
      for (let i = 1; i <= FREE_FAILURES + 1; i++)
        expect((await login(GUARD, 'wrong', i % 2 === 0 ? app : second)).statusCode).toBe(401);
      expect((await login(GUARD, PASSWORD, second)).statusCode).toBe(429);
      expect((await login(GUARD, PASSWORD, app)).statusCode).toBe(429);
    });

    it('answers an unknown phone exactly as a known one with wrong passwords, delays and lock included', async () => {
      const statuses = async (phone: string) => {
        const seen: string[] = [];
        for (let i = 1; i <= LOCK_AFTER_FAILURES + 1; i++) {
          const r = await login(phone, 'wrong');
          seen.push(`${r.statusCode} ${(r.json() as { error: { code: string; message: string } }).error.message}`);
          if (r.statusCode === 401) clock.now += delayAfterFailures(i);
        }
        return seen;
      };
      const known = await statuses(GUARD);
      clock.now = T0;
      expect(await statuses(UNKNOWN)).toEqual(known);
      expect(known.at(-1)).toMatch(/^429 /);
    });

    it('runs scrypt for unknown phones and not-yet-activated accounts as for known ones, at sign-in and activation', async () => {
      await ctx.store.db
        .insertInto('users')
        .values({
          compound_id: 'c1',
          id: 'r-new',
          role: 'resident',
          name: 'new',
          phone: '13900000005',
          password_hash: null,
          household_id: null,
          partner_lot_id: null,
        })
        .execute();
      const derive = vi.spyOn(passwordHasher, 'derive');
      try {
        const count = async (work: () => Promise<unknown>) => {
          derive.mockClear();
          await work();
          return derive.mock.calls.length;
        };
        const known = await count(() => login(GUARD, 'wrong'));
        expect(known).toBe(1);
        expect(await count(() => login(UNKNOWN, 'wrong'))).toBe(known);
        expect(await count(() => login('13900000005', 'wrong'))).toBe(known);
        const activate = (phone: string) =>
          app.inject({
            method: 'POST',
            url: '/api/auth/activate',
            payload: { phone, code: 'AAAA-BBBB', password: 'a-new-password' },
          });
        const activateKnown = await count(() => activate('13900000005'));
        expect(activateKnown).toBeGreaterThan(0);
        expect(await count(() => activate('13900000066'))).toBe(activateKnown);
      } finally {
        derive.mockRestore();
      }
    });

    it('limits sign-in calls per client address (in memory), not per phone', async () => {
      const limited = await server({ signInPerMinute: 3 });
      const from = (ip: string) => ({ remoteAddress: ip });
      for (let i = 0; i < 3; i++)
        expect((await login(`1390000010${i}`, 'x', limited, from('10.0.0.1'))).statusCode).toBe(401);
      const refused = await login(GUARD, PASSWORD, limited, from('10.0.0.1'));
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await login(GUARD, PASSWORD, limited, from('10.0.0.2'))).statusCode).toBe(200);
    });

    it('lists your sessions, ends the others, and changes the password (ending the others too)', async () => {
      const phone1 = await tokenOf(GUARD);
      const phone2 = await tokenOf(GUARD);
      const listed = await as(phone1.token, 'GET', '/api/auth/sessions');
      const sessions = (listed.json() as { sessions: { kind: string; current: boolean }[] }).sessions;
      expect(sessions.filter((s) => s.kind === 'token')).toHaveLength(2);
      expect(sessions.filter((s) => s.kind === 'refresh')).toHaveLength(2);
      expect(sessions.filter((s) => s.current)).toHaveLength(1);

      expect((await as(phone1.token, 'POST', '/api/auth/sessions/revoke')).json()).toEqual({ revoked: 3 });
      expect((await as(phone2.token, 'GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await as(phone1.token, 'GET', '/api/auth/me')).statusCode).toBe(200);

      const phone3 = await tokenOf(GUARD);
      const wrong = await as(phone1.token, 'POST', '/api/auth/password', {
        currentPassword: 'not-it',
        newPassword: 'another-password',
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json()).toMatchObject({ error: { code: 'WRONG_PASSWORD', field: 'body.currentPassword' } });
      const changed = await as(phone1.token, 'POST', '/api/auth/password', {
        currentPassword: PASSWORD,
        newPassword: 'another-password',
      });
      expect(changed.json()).toEqual({ revoked: 2 });
      expect((await as(phone3.token, 'GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await login(GUARD)).statusCode).toBe(401);
      expect((await login(GUARD, 'another-password')).statusCode).toBe(200);
    });

    it('disables an account at once: its tokens fail, it cannot sign in or refresh; enabling lets it sign in again', async () => {
      const manager = (await tokenOf(MANAGER)).token;
      const guard = await tokenOf(GUARD);
      expect((await as(guard.token, 'GET', '/api/auth/me')).statusCode).toBe(200);
      const disabled = await as(manager, 'POST', '/api/users/g1/disable');
      expect(disabled.json()).toEqual({ userId: 'g1', disabled: true, revoked: 2 });
      expect((await as(guard.token, 'GET', '/api/auth/me')).statusCode).toBe(401);
      const refresh = await app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        payload: { refreshToken: guard.refreshToken },
      });
      expect(refresh.statusCode).toBe(401);
      const signIn = await login(GUARD);
      expect(signIn.statusCode).toBe(403);
      expect(signIn.json()).toMatchObject({ error: { code: 'ACCOUNT_DISABLED' } });
      // A wrong password for a disabled account is just a wrong password.
      expect((await login(GUARD, 'wrong')).statusCode).toBe(401);

      expect((await as(manager, 'POST', '/api/users/m1/disable')).json()).toMatchObject({
        error: { code: 'SELF_DISABLE' },
      });
      const other = (await tokenOf(OTHER_MANAGER)).token;
      expect((await as(other, 'POST', '/api/users/g1/enable')).statusCode).toBe(404);
      expect((await as(manager, 'POST', '/api/users/g1/enable')).json()).toMatchObject({ disabled: false });
      expect((await login(GUARD)).statusCode).toBe(200);
    });

    it("writes each manager's account action to the ledger with its change, and nothing for a refused one", async () => {
      const manager = (await tokenOf(MANAGER)).token;
      await tokenOf(GUARD);
      const recordsOf = async (compoundId: string) =>
        (await ctx.store.events(compoundId))
          .filter((e) => e.type === 'record')
          .map((e) => ({ actor: e.actor, ...(e.payload as object) }));
      expect((await as(manager, 'POST', '/api/users/g1/disable')).statusCode).toBe(200);
      expect((await as(manager, 'POST', '/api/users/g1/enable')).statusCode).toBe(200);
      expect((await as(manager, 'POST', '/api/users/g1/sessions/revoke')).statusCode).toBe(200);
      expect((await as(manager, 'POST', '/api/users/g1/unlock')).statusCode).toBe(200);
      expect(await recordsOf('c1')).toEqual([
        {
          actor: 'm1',
          kind: 'account.disabled',
          refId: 'g1',
          detail: { userId: 'g1', disabled: true, revoked: 2 },
        },
        { actor: 'm1', kind: 'account.enabled', refId: 'g1', detail: { userId: 'g1', disabled: false, revoked: 0 } },
        {
          actor: 'm1',
          kind: 'account.sessions-revoked',
          refId: 'g1',
          detail: { userId: 'g1', disabled: false, revoked: 0 },
        },
        { actor: 'm1', kind: 'account.unlocked', refId: 'g1', detail: { userId: 'g1', wasLocked: false } },
      ]);
      // Refused actions (another compound's account, one's own) leave neither a change nor a record.
      const other = (await tokenOf(OTHER_MANAGER)).token;
      expect((await as(other, 'POST', '/api/users/g1/disable')).statusCode).toBe(404);
      expect((await as(manager, 'POST', '/api/users/m1/disable')).statusCode).toBe(409);
      expect(await recordsOf('c2')).toEqual([]);
      expect(await recordsOf('c1')).toHaveLength(4);
      expect((await ctx.store.verify('c1')).ok).toBe(true);
    });

    it("lists the compound's accounts to its manager, paged, with their state and no phone", async () => {
      for (let i = 1; i <= LOCK_AFTER_FAILURES; i++) {
        await login(GUARD, 'wrong');
        clock.now += delayAfterFailures(i);
      }
      const manager = (await tokenOf(MANAGER)).token;
      const first = await as(manager, 'GET', '/api/users?limit=1');
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({
        users: [
          {
            userId: 'g1',
            role: 'guard',
            name: 'g1',
            householdId: null,
            partnerLotId: null,
            activated: true,
            disabled: false,
            locked: true,
          },
        ],
        page: { offset: 0, limit: 1, total: 2, nextOffset: 1 },
      });
      const second = (await as(manager, 'GET', '/api/users?limit=1&offset=1')).json() as {
        users: { userId: string; locked: boolean }[];
        page: { nextOffset: number | null };
      };
      expect(second.users.map((u) => [u.userId, u.locked])).toEqual([['m1', false]]);
      expect(second.page.nextOffset).toBeNull();
      const guards = (await as(manager, 'GET', '/api/users?role=guard')).json() as { users: { userId: string }[] };
      expect(guards.users.map((u) => u.userId)).toEqual(['g1']);
      expect((await as(manager, 'GET', '/api/users?role=chief')).statusCode).toBe(400);
      const other = (await tokenOf(OTHER_MANAGER)).token;
      const theirs = (await as(other, 'GET', '/api/users')).json() as { users: { userId: string }[] };
      expect(theirs.users.map((u) => u.userId)).toEqual(['m2']);
    });

    it("ends another account's sessions without disabling it", async () => {
      const manager = (await tokenOf(MANAGER)).token;
      const guard = await tokenOf(GUARD);
      expect((await as(manager, 'POST', '/api/users/g1/sessions/revoke')).json()).toEqual({
        userId: 'g1',
        disabled: false,
        revoked: 2,
      });
      expect((await as(guard.token, 'GET', '/api/auth/me')).statusCode).toBe(401);
      expect((await login(GUARD)).statusCode).toBe(200);
    });

    it('gives integrations a 1-hour access token and a refresh token that works once', async () => {
      const first = await tokenOf(GUARD);
      expect(first.expiresAt).toBe(T0 + 3600_000);
      // A refresh token opens nothing but the exchange.
      expect((await as(first.refreshToken, 'GET', '/api/auth/me')).statusCode).toBe(401);
      clock.now += 3600_000;
      expect((await as(first.token, 'GET', '/api/auth/me')).statusCode).toBe(401);
      const exchange = (refreshToken: string) =>
        app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
      const renewed = await exchange(first.refreshToken);
      expect(renewed.statusCode, renewed.body).toBe(200);
      const second = renewed.json() as { token: string; refreshToken: string };
      expect((await as(second.token, 'GET', '/api/auth/me')).statusCode).toBe(200);
      expect((await exchange(first.refreshToken)).statusCode).toBe(401);
      expect((await exchange(second.refreshToken)).statusCode).toBe(200);
      expect((await exchange('c1.made-up')).statusCode).toBe(401);
    });

    it('purges expired sessions and tokens and nothing else', async () => {
      await tokenOf(GUARD); // a token (1 h) and a refresh token (30 days)
      const session = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { phone: MANAGER, password: PASSWORD },
      }); // 12 h
      expect(session.statusCode).toBe(200);
      const count = async () =>
        (await ctx.store.db.selectFrom('sessions').select('kind').where('compound_id', '=', 'c1').execute())
          .map((r) => r.kind)
          .sort();
      expect(await count()).toEqual(['refresh', 'session', 'token']);
      clock.now += 2 * 3600_000;
      expect(await purgeExpiredSessions(ctx, 'c1')).toMatchObject({ sessions: 1 });
      expect(await count()).toEqual(['refresh', 'session']);
      clock.now += 30 * 24 * 3600_000;
      expect(await purgeExpiredSessions(ctx, 'c1')).toMatchObject({ sessions: 2 });
      expect(await count()).toEqual([]);
    });

    it('sets a Secure __Host- cookie over TLS behind a trusted proxy, and a plain one otherwise', async () => {
      const proxied = await server({ trustProxy: true });
      const viaProxy = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'parking.example.cn' };
      const signIn = (on: FastifyInstance) =>
        on.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: viaProxy,
          payload: { phone: GUARD, password: PASSWORD },
        });
      const tls = String((await signIn(proxied)).headers['set-cookie']);
      expect(tls).toMatch(/^__Host-pb_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      // Without trustProxy the forwarded headers are not believed: plain HTTP, no Secure.
      const plain = String((await signIn(app)).headers['set-cookie']);
      expect(plain).toMatch(/^pb_session=/);
      expect(plain).not.toMatch(/Secure/);

      const cookieValue = tls.split(';')[0]!;
      const me = (cookie: string) =>
        proxied.inject({ method: 'GET', url: '/api/auth/me', headers: { ...viaProxy, cookie } });
      expect((await me(cookieValue)).statusCode).toBe(200);
      // Over TLS only the __Host- cookie counts; a plain pb_session set by anyone else does not.
      expect((await me(cookieValue.replace('__Host-pb_session', 'pb_session'))).statusCode).toBe(401);
    });
  });
}
