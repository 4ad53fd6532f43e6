import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { BACKENDS } from '../../test/support/backends.js';
import { T0 } from '../../test/support/small-compound.js';
import type { EpochMs } from '../core/brand.js';
import type { Store } from '../store/store.js';
import { openStore } from '../store/store.js';
import type { AppContext } from './context.js';
import type { Notification } from './notification-bus.js';
import { notificationBusOf } from './notification-bus.js';
import { notify } from './notifications.js';
import { OutboxDispatcher } from './outbox-dispatcher.js';
import type { WebhookPayload } from './webhook.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './webhook.js';

const SECRET = 'test-secret-0123456789';

interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
  status: number;
}

/** A gateway on 127.0.0.1 that answers 500 to its first `failFirst` requests, then 200. */
async function receiver(
  failFirst: number,
): Promise<{ url: string; received: Received[]; accepted: () => WebhookPayload[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = received.length < failFirst ? 500 : 200;
      received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    accepted: () => received.filter((r) => r.status === 200).map((r) => JSON.parse(r.raw) as WebhookPayload),
  };
}

function testContext(store: Store): AppContext & { clock: { now: number } } {
  const clock = { now: T0 as number };
  let n = 0;
  return { store, clock, now: () => clock.now as EpochMs, newId: () => `id-${++n}` };
}

async function compound(store: Store): Promise<void> {
  await store.createCompound('c1', '测试小区', T0);
  await store.db
    .insertInto('users')
    .values({
      compound_id: 'c1',
      id: 'm1',
      role: 'manager',
      name: '王经理',
      phone: '13800000001',
      password_hash: null,
      household_id: null,
      partner_lot_id: null,
    })
    .execute();
}

async function outboxRows(store: Store) {
  return store.db.selectFrom('notification_outbox').selectAll().orderBy('created_at').execute();
}

for (const backend of BACKENDS) {
  describe(`notification outbox on ${backend.name}`, () => {
    afterAll(() => backend.cleanup());

    it('retries a failing gateway with backoff and delivers once, signed, with one idempotency id', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      await compound(store);
      const ctx = testContext(store);
      const gateway = await receiver(2);
      const dispatcher = new OutboxDispatcher(ctx, {
        webhook: { url: gateway.url, secret: SECRET, allowHttp: true },
        backoffBaseMs: 1000,
        maxAttempts: 5,
      });
      await store.transaction('c1', (uow) =>
        notify(
          uow,
          { userIds: ['m1'], kind: 'key.alarm', title: '钥匙超时未归还', body: '钥匙 K1 已取出 20 分钟。', ref: 'K1' },
          ctx,
        ),
      );

      expect(await dispatcher.drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      // Not due again until the backoff has passed: the injected clock has not moved.
      expect(await dispatcher.drain()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      ctx.clock.now += 1000;
      expect(await dispatcher.drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      ctx.clock.now += 1000;
      expect(await dispatcher.drain()).toEqual({ sent: 0, retrying: 0, failed: 0 }); // the second backoff is 2 s
      ctx.clock.now += 1000;
      expect(await dispatcher.drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(await dispatcher.drain()).toEqual({ sent: 0, retrying: 0, failed: 0 });

      expect(gateway.received.map((r) => r.status)).toEqual([500, 500, 200]);
      for (const r of gateway.received) {
        expect(verifySignature(SECRET, r.raw, r.headers[SIGNATURE_HEADER] as string)).toBe(true);
        expect(verifySignature('another-secret-000000', r.raw, r.headers[SIGNATURE_HEADER] as string)).toBe(false);
        expect(r.headers[TIMESTAMP_HEADER]).toMatch(/^\d+$/);
      }
      expect(new Set(gateway.received.map((r) => r.headers[DELIVERY_HEADER])).size).toBe(1);
      const [delivery] = gateway.accepted();
      expect(gateway.accepted()).toHaveLength(1);
      expect(delivery).toMatchObject({
        id: gateway.received[0]?.headers[DELIVERY_HEADER],
        type: 'notification',
        compoundId: 'c1',
        attempt: 3,
        recipient: { userId: 'm1', name: '王经理', phone: '13800000001' },
        notification: { kind: 'key.alarm', title: '钥匙超时未归还', ref: 'K1' },
      });
      expect(await outboxRows(store)).toMatchObject([
        { status: 'sent', attempts: 3, last_error: null, locked_until: null },
      ]);
    });

    it('marks a delivery failed after the last attempt', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      await compound(store);
      const ctx = testContext(store);
      const gateway = await receiver(99);
      const dispatcher = new OutboxDispatcher(ctx, {
        webhook: { url: gateway.url, secret: SECRET, allowHttp: true },
        backoffBaseMs: 10,
        maxAttempts: 3,
      });
      await store.transaction('c1', (uow) =>
        notify(uow, { userIds: ['m1'], kind: 'test', title: 't', body: 'b' }, ctx),
      );
      for (let i = 0; i < 5; i++) {
        await dispatcher.drain();
        ctx.clock.now += 1000;
      }
      expect(gateway.received).toHaveLength(3);
      expect(await outboxRows(store)).toMatchObject([
        { status: 'failed', attempts: 3, last_error: 'webhook: the gateway answered 500' },
      ]);
    });

    it('delivers nothing that a rolled-back transaction wrote', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      await compound(store);
      const ctx = testContext(store);
      const gateway = await receiver(0);
      const heard: Notification[] = [];
      notificationBusOf(store).subscribe('c1', 'm1', (n) => heard.push(n));
      await expect(
        store.transaction('c1', async (uow) => {
          await notify(uow, { userIds: ['m1'], kind: 'test', title: '不该送出', body: 'b' }, ctx);
          throw new Error('the use case failed after notifying');
        }),
      ).rejects.toThrow('the use case failed');
      const dispatcher = new OutboxDispatcher(ctx, { webhook: { url: gateway.url, secret: SECRET, allowHttp: true } });
      expect(await dispatcher.drain()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      expect(gateway.received).toEqual([]);
      expect(heard).toEqual([]);
      expect(await outboxRows(store)).toEqual([]);
      expect(await store.db.selectFrom('notifications').selectAll().execute()).toEqual([]);
    });

    it('resumes unsent rows in a dispatcher started fresh, publishing each to the live feed once', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      await compound(store);
      const ctx = testContext(store);
      const gateway = await receiver(1);
      const heard: string[] = [];
      notificationBusOf(store).subscribe('c1', 'm1', (n) => heard.push(n.title));
      await store.transaction('c1', async (uow) => {
        await notify(uow, { userIds: ['m1', 'm1'], kind: 'test', title: '第一条', body: 'b' }, ctx);
        await notify(uow, { userIds: ['m1'], kind: 'test', title: '第二条', body: 'b' }, ctx);
      });
      // The first dispatcher tries one row (the gateway fails it) and is stopped, as by a shutdown.
      const first = new OutboxDispatcher(ctx, {
        webhook: { url: gateway.url, secret: SECRET, allowHttp: true },
        batchSize: 1,
        backoffBaseMs: 10,
      });
      expect(await first.drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      await first.stop();
      ctx.clock.now += 60_000;

      const fresh = new OutboxDispatcher(ctx, { webhook: { url: gateway.url, secret: SECRET, allowHttp: true } });
      expect(await fresh.drain()).toEqual({ sent: 2, retrying: 0, failed: 0 });
      expect(
        gateway
          .accepted()
          .map((p) => p.notification.title)
          .sort(),
      ).toEqual(['第一条', '第二条']);
      expect(heard.sort()).toEqual(['第一条', '第二条']);
      expect((await outboxRows(store)).map((r) => r.status)).toEqual(['sent', 'sent']);
    });

    it('is woken by the commit of a notification, not only by its poll', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      await compound(store);
      const ctx = testContext(store);
      const gateway = await receiver(0);
      // Longer than the test may run: only the wake after the commit delivers in time.
      const dispatcher = new OutboxDispatcher(ctx, {
        webhook: { url: gateway.url, secret: SECRET, allowHttp: true },
        pollMs: 600_000,
      });
      dispatcher.start();
      onTestFinished(() => dispatcher.stop());
      // The passes at start have found nothing; the next poll is minutes away.
      await new Promise((r) => setTimeout(r, 50));
      await dispatcher.drain();
      const delivered = new Promise<Notification>((resolve) => notificationBusOf(store).subscribe('c1', 'm1', resolve));
      await store.transaction('c1', (uow) =>
        notify(uow, { userIds: ['m1'], kind: 'test', title: '提交即送', body: 'b' }, ctx),
      );
      expect((await delivered).title).toBe('提交即送');
    });

    it('runs on its own once started: a wake after commit delivers without waiting for the poll', async () => {
      const store = await backend.open();
      onTestFinished(() => store.close());
      await compound(store);
      const ctx = {
        store,
        now: () => Date.now() as EpochMs,
        newId: (() => {
          let n = 0;
          return () => `r-${++n}`;
        })(),
      };
      const gateway = await receiver(2);
      const dispatcher = new OutboxDispatcher(ctx, {
        webhook: { url: gateway.url, secret: SECRET, allowHttp: true },
        backoffBaseMs: 1,
        pollMs: 5,
      });
      dispatcher.start();
      onTestFinished(() => dispatcher.stop());
      const delivered = new Promise<Notification>((resolve) => notificationBusOf(store).subscribe('c1', 'm1', resolve));
      await store.transaction('c1', (uow) =>
        notify(uow, { userIds: ['m1'], kind: 'test', title: '实时', body: 'b' }, ctx),
      );
      notificationBusOf(store).wake();
      expect((await delivered).title).toBe('实时');
      while ((await outboxRows(store))[0]?.status !== 'sent') await new Promise((r) => setTimeout(r, 5));
      expect(gateway.accepted()).toHaveLength(1);
      await dispatcher.stop();
    });
  });
}

describe('notification outbox across a restart', () => {
  it('delivers after the database is reopened what was committed before the server stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parkbutler-outbox-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const before = await openStore({ dataDir: dir });
    await compound(before);
    const ctx = testContext(before);
    await before.transaction('c1', (uow) =>
      notify(uow, { userIds: ['m1'], kind: 'test', title: '停机前', body: 'b' }, ctx),
    );
    await before.close();

    const after = await openStore({ dataDir: dir });
    onTestFinished(() => after.close());
    const gateway = await receiver(0);
    const dispatcher = new OutboxDispatcher(testContext(after), {
      webhook: { url: gateway.url, secret: SECRET, allowHttp: true },
    });
    expect(await dispatcher.drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(gateway.accepted().map((p) => p.notification.title)).toEqual(['停机前']);
  });
});
