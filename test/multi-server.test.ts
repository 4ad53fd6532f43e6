/**
 * Several servers on one PostgreSQL (issue 14, item 6): three servers start together on an empty
 * database (the demo is loaded once, none dies), residents listen to their live feed on every
 * server, and a mixed workload goes to the servers in turn. Afterwards: no 5xx, every server's
 * feed has every notification of its user, each webhook delivery arrived once, no car has two
 * open tasks, and the ledger verifies and replays. Runs when DATABASE_URL is set (CI sets it).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/store.js';
import type { Reply } from './support/durable.js';
import { call, createDatabase, demo, dropDatabase, signIn } from './support/durable.js';
import { startServer } from './support/processes.js';

const adminUrl = process.env.DATABASE_URL ?? '';
const SERVERS = 3;

/** Reads a live feed until aborted, collecting the ids of its notifications; resolves once connected. */
async function listen(url: string, token: string, abort: AbortSignal, ids: string[]): Promise<void> {
  const response = await fetch(`${url}/api/notifications/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((r) => (connected = r));
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
        if (text.includes(': connected')) connected();
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const id = /^id: (.+)$/m.exec(block)?.[1];
          if (id !== undefined && /^event: notification$/m.test(block)) ids.push(id);
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  await ready;
}

describe.runIf(adminUrl !== '')('three servers on one PostgreSQL', () => {
  let url = '';
  afterAll(async () => {
    if (url !== '') await dropDatabase(adminUrl, url);
  });

  it('start together, share live feeds, and deliver each notification once', async () => {
    url = await createDatabase(adminUrl);
    const deliveries: string[] = [];
    const gateway = createServer((req, res) => {
      deliveries.push(String(req.headers['x-parkbutler-delivery']));
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const env = {
      DATABASE_URL: url,
      PARKBUTLER_WEBHOOK_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/hook`,
      PARKBUTLER_WEBHOOK_SECRET: 'multi-server-test-secret',
      PARKBUTLER_WEBHOOK_ALLOW_HTTP: '1', // the test's gateway listens on loopback
    };
    const servers = await Promise.all(Array.from({ length: SERVERS }, () => startServer(env)));
    const abort = new AbortController();
    try {
      const at = (i: number): string => servers[i % SERVERS]!.url;
      const manager = await signIn(at(0), 'manager');
      const guard = await signIn(at(1), 'guard', 0);
      const residents = demo.users.filter((u) => u.role === 'resident');
      const feeds = new Map<string, { token: string; ids: string[][] }>();
      for (const [n, resident] of residents.entries()) {
        const { token } = await signIn(at(n), 'resident', n);
        const ids = servers.map(() => [] as string[]);
        await Promise.all(servers.map((s, i) => listen(s.url, token, abort.signal, ids[i]!)));
        feeds.set(resident.id, { token, ids });
      }

      const replies: Reply[] = [];
      const send = async (i: number, method: string, path: string, token: string, body?: unknown): Promise<Reply> => {
        const r = await call(at(i), method, path, token, body);
        replies.push(r);
        return r;
      };
      await send(2, 'POST', '/api/shifts/duty', manager.token, { onDuty: true, guardId: guard.userId });
      const households = new Set(residents.map((r) => r.householdId));
      const cars = [
        ...demo.vehicles.filter((v) => households.has(v.householdId)),
        ...demo.vehicles.filter((v) => !households.has(v.householdId)).slice(0, 24),
      ];
      // The mix, round-robin over the servers: check-in, park, a resident's "where is my car", a departure.
      let i = 0;
      await Promise.all(
        [0, 1, 2].map(async (lane) => {
          for (let c = lane; c < cars.length; c += 3) {
            const car = cars[c]!;
            const checkIn = await send(i++, 'POST', '/api/compounds/jinfang/check-ins', guard.token, {
              plate: car.plate,
            });
            const task = (checkIn.json as { task?: { id: string } | null }).task;
            if (checkIn.status === 200 && task)
              await send(i++, 'POST', `/api/tasks/${task.id}/complete`, guard.token, {});
            const owner = residents.find((r) => r.householdId === car.householdId);
            if (owner !== undefined) {
              const { token } = feeds.get(owner.id)!;
              await send(i++, 'GET', `/api/vehicles/${car.id}`, token);
              await send(i++, 'POST', `/api/vehicles/${car.id}/departures`, token, {
                kind: 'standing',
                time: '07:30',
                weekdays: [1, 2, 3, 4, 5],
              });
            }
          }
        }),
      );
      expect(replies.filter((r) => r.status >= 500)).toEqual([]);
      expect(replies.filter((r) => r.status === 200).length).toBeGreaterThan(cars.length);

      const store = await openStore({ databaseUrl: url });
      try {
        // Wait (bounded) for the outbox to drain and the feeds to hear it.
        const expected = new Map<string, string[]>();
        for (let tries = 0; tries < 300; tries++) {
          const pending = await store.db
            .selectFrom('notification_outbox')
            .select('id')
            .where('status', '=', 'pending')
            .execute();
          const rows = await store.db.selectFrom('notifications').select(['id', 'user_id']).execute();
          expected.clear();
          for (const row of rows) expected.set(row.user_id, [...(expected.get(row.user_id) ?? []), row.id]);
          const complete = [...feeds].every(([userId, feed]) =>
            feed.ids.every((ids) => ids.length >= (expected.get(userId)?.length ?? 0)),
          );
          if (pending.length === 0 && complete) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const notified = [...feeds.keys()].filter((id) => (expected.get(id)?.length ?? 0) > 0);
        expect(notified.length, 'the workload notified no resident').toBeGreaterThan(0);
        for (const [userId, feed] of feeds)
          for (const [n, ids] of feed.ids.entries())
            expect([...ids].sort(), `${userId}'s feed on server ${n}`).toEqual(
              [...(expected.get(userId) ?? [])].sort(),
            );

        const outbox = await store.db.selectFrom('notification_outbox').select(['id', 'status']).execute();
        expect(outbox.filter((o) => o.status !== 'sent')).toEqual([]);
        expect([...deliveries].sort()).toEqual(outbox.map((o) => o.id).sort());
        const open = await store.db
          .selectFrom('tasks')
          .select(['vehicle_id'])
          .where('status', 'in', ['queued', 'started'])
          .execute();
        expect(new Set(open.map((t) => t.vehicle_id)).size, 'a car with two open tasks').toBe(open.length);
        expect(await store.compoundIds()).toEqual(['jinfang']);
        expect(await store.verify('jinfang')).toMatchObject({ ok: true });
        expect((await store.replay('jinfang')).equal).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      abort.abort();
      await Promise.all(
        servers.map((s) => {
          const exited = new Promise((r) => s.child.once('exit', r));
          s.child.kill('SIGTERM');
          return exited;
        }),
      );
      await new Promise((r) => gateway.close(r));
    }
  }, 300_000);
});
