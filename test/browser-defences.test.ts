/**
 * Issue 14, item 3: browser defences. Security headers and the CSP on the app, the docs and the
 * API; changes with the session cookie only from the app's own origin; changes only as JSON (or a
 * type the route declares); every malformed header a 4xx, never a 500.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { hashPassword } from '../src/app/passwords.js';
import type { EpochMs } from '../src/core/brand.js';
import { apiRoutes } from '../src/http/api.js';
import { buildServer } from '../src/http/server.js';
import { openStore } from '../src/store/store.js';

const PASSWORD = 'right-password';
const HOST = 'parking.test';
let app: FastifyInstance;
let ctx: AppContext;
let webRoot: string;
const APP_JS = `console.log(${JSON.stringify('泊车管家 '.repeat(200))});`;
let cookie = '';
let bearer = '';

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  let n = 0;
  ctx = { store, now: () => Date.parse('2026-12-01T02:00:00Z') as EpochMs, newId: () => `b${++n}` };
  await store.createCompound('c1', 'c1', ctx.now());
  await store.db
    .insertInto('users')
    .values({
      compound_id: 'c1',
      id: 'm1',
      role: 'manager',
      name: 'm1',
      phone: '13900000001',
      password_hash: await hashPassword(PASSWORD),
      household_id: null,
      partner_lot_id: null,
    })
    .execute();
  webRoot = mkdtempSync(join(tmpdir(), 'pb-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(webRoot, 'app.js'), APP_JS);
  writeFileSync(join(webRoot, 'app.js.br'), brotliCompressSync(APP_JS));
  app = await buildServer({ routes: [apiRoutes(ctx)], webRoot });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { host: HOST },
    payload: { phone: '13900000001', password: PASSWORD },
  });
  cookie = String(login.headers['set-cookie']).split(';')[0]!;
  bearer = (login.json() as { token: string }).token;
});
afterAll(async () => {
  await app.close();
  await ctx.store.close();
  rmSync(webRoot, { recursive: true, force: true });
});

const inject = (options: InjectOptions) => app.inject({ ...options, headers: { host: HOST, ...options.headers } });

describe('security headers', () => {
  it('sends the CSP and the other security headers on the app, the docs, the API and a 404', async () => {
    for (const url of ['/', '/lanes/A', '/docs/', '/api/health', '/openapi.json', '/api/nothing-here']) {
      const r = await inject({ method: 'GET', url });
      const csp = String(r.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toContain('upgrade-insecure-requests');
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(r.headers['referrer-policy'], url).toBe('same-origin');
      expect(r.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
    }
  });
});

describe("the app's files", () => {
  it('are sent as the brotli copy the build wrote when the browser takes it, else as they are', async () => {
    const br = await inject({ method: 'GET', url: '/app.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(APP_JS);
    const plain = await inject({ method: 'GET', url: '/app.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(APP_JS);
  });
});

describe('changes with the session cookie come from the app itself', () => {
  const revoke = (headers: Record<string, string>) =>
    inject({ method: 'POST', url: '/api/auth/sessions/revoke', headers });

  it('refuses a cookie-borne change from another site or origin with 403 CROSS_SITE_REQUEST', async () => {
    for (const headers of <Record<string, string>[]>[
      { cookie, 'sec-fetch-site': 'cross-site' },
      { cookie, 'sec-fetch-site': 'same-site' },
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'null' },
      { cookie, origin: `http://${HOST}.evil.example` },
    ]) {
      const r = await revoke(headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
      expect(r.json()).toMatchObject({ error: { code: 'CROSS_SITE_REQUEST' } });
    }
    // Sign-in too: another site cannot sign a browser in to an account of its choosing.
    const login = await inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { phone: '13900000001', password: PASSWORD },
    });
    expect(login.statusCode).toBe(403);
  });

  it('accepts the same origin, a typed URL, a client that is no browser, and a bearer token from anywhere', async () => {
    for (const headers of <Record<string, string>[]>[
      { cookie, 'sec-fetch-site': 'same-origin' },
      { cookie, 'sec-fetch-site': 'none' },
      { cookie, origin: `http://${HOST}` },
      { cookie },
      { authorization: `Bearer ${bearer}`, 'sec-fetch-site': 'cross-site' },
    ]) {
      expect((await revoke(headers)).statusCode, JSON.stringify(headers)).toBe(200);
    }
  });
});

describe('changes are JSON', () => {
  const auth = () => ({ authorization: `Bearer ${bearer}` });

  it('refuses text/plain, forms and multipart with 415, on routes with a body and without', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      for (const [url, payload] of [
        ['/api/auth/sessions/revoke', ''],
        ['/api/auth/password', '{"currentPassword":"a","newPassword":"bbbbbbbb"}'],
        ['/api/auth/login', '{"phone":"13900000001","password":"x"}'],
      ] as const) {
        const r = await inject({
          method: 'POST',
          url,
          headers: { ...auth(), 'content-type': type },
          payload,
        });
        expect(r.statusCode, `${type} ${url}`).toBe(415);
        expect(r.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
      }
    }
  });

  it('accepts JSON, a change with no body at all, and a type the route declares (text/csv)', async () => {
    const json = await inject({
      method: 'POST',
      url: '/api/auth/sessions/revoke',
      headers: { ...auth(), 'content-type': 'application/json; charset=utf-8' },
      payload: '{}',
    });
    expect(json.statusCode).toBe(200);
    expect((await inject({ method: 'POST', url: '/api/auth/sessions/revoke', headers: auth() })).statusCode).toBe(200);
    const csv = await inject({
      method: 'POST',
      url: '/api/imports/households',
      headers: { ...auth(), 'content-type': 'text/csv' },
      payload: 'building,unit,room\n',
    });
    expect(csv.statusCode).not.toBe(415);
  });
});

describe('malformed headers', () => {
  it('answers every malformed header with a 4xx, never a 500', async () => {
    const cases: Record<string, string>[] = [
      { cookie: 'pb_session=%E0%A4%A' },
      { cookie: 'pb_session=%' },
      { cookie: 'pb_session="unterminated' },
      { cookie: 'pb_session' },
      { cookie: ';;;=;=' },
      { cookie: `pb_session=${'a'.repeat(5000)}` },
      { cookie: 'pb_session=c1.' },
      { cookie: 'pb_session=.x' },
      { authorization: 'Bearer' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { authorization: 'Bearer a b c' },
      { authorization: `Bearer ${'x'.repeat(5000)}` },
      { 'content-type': ';;;' },
      { 'content-type': 'application/json; charset=nope' },
      { 'idempotency-key': 'short' },
      { 'sec-fetch-site': '\u00ff' },
      { origin: 'not a url' },
      { 'content-length': 'abc' },
      { 'x-forwarded-proto': 'gopher', 'x-forwarded-for': 'nonsense' },
    ];
    const failures: string[] = [];
    for (const headers of cases) {
      for (const [method, url] of [
        ['GET', '/api/auth/me'],
        ['POST', '/api/auth/sessions/revoke'],
        ['POST', '/api/auth/login'],
        ['GET', '/'],
      ] as const) {
        const r = await inject({ method, url, headers: { ...headers } });
        if (r.statusCode >= 500) failures.push(`${method} ${url} ${JSON.stringify(headers)} → ${r.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers a malformed session cookie with 401, not 500', async () => {
    const r = await inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'pb_session=%E0%A4%A' } });
    expect(r.statusCode).toBe(401);
  });
});
