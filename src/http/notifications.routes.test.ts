/**
 * The live notification stream over a real socket: Server-Sent Events with the session cookie,
 * only the signed-in user's notifications, heartbeats, catching up with Last-Event-ID, cleanup when
 * the client goes, and a server that still closes while streams are open.
 */
import type { IncomingMessage } from 'node:http';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../app/actor.js';
import type { AppContext } from '../app/context.js';
import { notificationBusOf } from '../app/notification-bus.js';
import { notify } from '../app/notifications.js';
import { OutboxDispatcher } from '../app/outbox-dispatcher.js';
import { hashPassword } from '../app/passwords.js';
import type { EpochMs } from '../core/brand.js';
import { openStore } from '../store/store.js';
import { accessHook } from './auth.js';
import { authRoutes } from './auth.routes.js';
import { notificationRoutes } from './notifications.routes.js';
import type { RoutePlugin } from './route-helpers.js';
import { buildServer } from './server.js';

const clock = { now: Date.parse('2026-11-27T11:00:00Z') };
let ids = 0;
let ctx: AppContext;
let app: FastifyInstance;
let base = '';
let dispatcher: OutboxDispatcher;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  const store = await openStore({ dataDir: ':memory:' });
  ctx = { store, now: () => clock.now as EpochMs, newId: () => `n${++ids}` };
  await store.createCompound('c1', '测试小区', clock.now);
  const password_hash = await hashPassword('secret-pw');
  const user = (id: string, role: Role, phone: string) => ({
    compound_id: 'c1',
    id,
    role,
    name: id,
    phone,
    password_hash,
    household_id: null,
    partner_lot_id: null,
  });
  await store.db
    .insertInto('users')
    .values([
      user('m1', 'manager', '13900000001'),
      user('m2', 'manager', '13900000002'),
      user('c1', 'committee', '13900000003'),
    ])
    .execute();
  // The API's access check with only the routes this test needs, and a fast heartbeat.
  const api: RoutePlugin = async (root) => {
    root.decorateRequest('principal', null);
    root.addHook('onRequest', accessHook(ctx));
    await root.register(authRoutes(ctx));
    await root.register(notificationRoutes(ctx, { heartbeatMs: 20 }));
  };
  app = await buildServer({ routes: [api] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  for (const [who, phone] of [
    ['m1', '13900000001'],
    ['committee', '13900000003'],
  ] as const) {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password: 'secret-pw' } });
    cookies[who] = String(r.headers['set-cookie']).split(';')[0] ?? '';
  }
  dispatcher = new OutboxDispatcher(ctx, { webhook: null });
});
afterAll(async () => {
  await app.close();
  await ctx.store.close();
});

interface Stream {
  response: IncomingMessage;
  text: () => string;
  ended: Promise<void>;
  close: () => void;
}

function open(headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = get(`${base}/api/notifications/stream`, { headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<void>((done) => response.once('close', () => done()));
      resolve({ response, text: () => text, ended, close: () => request.destroy() });
    });
    request.on('error', reject);
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

async function notifyAndDeliver(userIds: string[], title: string): Promise<string> {
  clock.now += 1000;
  const [n] = await ctx.store.transaction('c1', (uow) =>
    notify(uow, { userIds, kind: 'test', title, body: `${title}的内容` }, ctx),
  );
  await dispatcher.drain();
  return n?.id ?? '';
}

/** The notifications in a stream's text, in order. */
function events(text: string): { id: string; title: string }[] {
  return [...text.matchAll(/id: (\S+)\nevent: notification\ndata: (.+)\n\n/g)].map((m) => ({
    id: m[1] ?? '',
    title: (JSON.parse(m[2] ?? '{}') as { title: string }).title,
  }));
}

describe('GET /api/notifications/stream', () => {
  it('streams your new notifications with the session cookie, with heartbeats, and cleans up when you go', async () => {
    const bus = notificationBusOf(ctx.store);
    const first = await open({ cookie: cookies.m1 ?? '' });
    expect(first.response.statusCode).toBe(200);
    expect(first.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await until(() => bus.listeners('c1', 'm1') === 1);

    const one = await notifyAndDeliver(['m1'], '第一条');
    await notifyAndDeliver(['m2'], '别人的');
    await until(() => events(first.text()).length === 1);
    expect(events(first.text())).toEqual([{ id: one, title: '第一条' }]);
    await until(() => first.text().includes(': heartbeat\n\n'));

    // A reconnecting EventSource sends the last id it saw and gets what it missed first.
    first.close();
    await first.ended;
    await until(() => bus.listeners('c1', 'm1') === 0);
    const two = await notifyAndDeliver(['m1'], '断线时的');
    const second = await open({ cookie: cookies.m1 ?? '', 'last-event-id': one });
    await until(() => events(second.text()).length === 1);
    expect(events(second.text())).toEqual([{ id: two, title: '断线时的' }]);
    const three = await notifyAndDeliver(['m1'], '第三条');
    await until(() => events(second.text()).length === 2);
    expect(events(second.text()).map((e) => e.id)).toEqual([two, three]);
    expect(bus.listeners('c1', 'm1')).toBe(1);
    second.close();
    await second.ended;
    await until(() => bus.listeners() === 0);
  });

  it('refuses a stream without sign-in (401) and to the committee (403)', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/notifications/stream' })).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/notifications/stream',
          headers: { cookie: cookies.committee ?? '' },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lets the server close while a stream is open', async () => {
    const stream = await open({ cookie: cookies.m1 ?? '' });
    await until(() => notificationBusOf(ctx.store).listeners('c1', 'm1') === 1);
    await app.close();
    await stream.ended;
    expect(notificationBusOf(ctx.store).listeners()).toBe(0);
  });
});
