/**
 * Crashes with retries (issue 14, item 7): the server is SIGKILLed at seeded points of a stream of
 * mutations sent with `Idempotency-Key`s by several clients at once, started again on the same
 * database, and every request the kill cut off is retried with its key, as the README tells a
 * phone to. Every retry must settle (applied now, or the first reply again; never 409 or 5xx),
 * every acknowledged mutation must be there once, nothing half-written, the ledger must verify
 * and replay, no unfinished key may stay behind, and each notification is delivered once.
 * SQLite always; PostgreSQL (a database of its own) when DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/core/random.js';
import { openStore } from '../src/store/store.js';
import type { Reply } from './support/durable.js';
import { call, createDatabase, demo, dropDatabase, signIn } from './support/durable.js';
import { runCli, startServer } from './support/processes.js';

const KILLS = 4;
const WORKERS = 4;

interface Sent {
  key: string;
  method: string;
  path: string;
  body: unknown;
  /** The reply, or null when the kill cut the request off. */
  reply: Reply | null;
}

const backends: { name: string; env: () => Promise<Record<string, string>>; cleanup: () => Promise<void> }[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'parkbutler-crash-retry-'));
backends.push({
  name: 'sqlite',
  env: () => Promise.resolve({ PARKBUTLER_DATA: dataDir }),
  cleanup: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
});
const adminUrl = process.env.DATABASE_URL;
if (adminUrl !== undefined && adminUrl !== '') {
  let url = '';
  backends.push({
    name: 'postgres',
    env: async () => ({ DATABASE_URL: (url = await createDatabase(adminUrl)) }),
    cleanup: () => (url === '' ? Promise.resolve() : dropDatabase(adminUrl, url)),
  });
}
afterAll(async () => {
  for (const b of backends) await b.cleanup();
});

describe.each(backends)('a server SIGKILLed under a stream of keyed mutations ($name)', (backend) => {
  it('settles every retry with its key, loses nothing acknowledged, and leaves a verifying ledger', async () => {
    const env = await backend.env();
    const random = mulberry32(backend.name === 'sqlite' ? 1401 : 1402);
    const sent: Sent[] = [];
    let nextVehicle = 0;
    let keyNo = 0;
    let retried = 0;

    for (let round = 0; round < KILLS; round++) {
      const server = await startServer(env);
      const guard = await signIn(server.url, 'guard', 0);
      if (round === 0) {
        const manager = await signIn(server.url, 'manager');
        const duty = await call(server.url, 'POST', '/api/shifts/duty', manager.token, {
          onDuty: true,
          guardId: guard.userId,
        });
        expect(duty.status).toBe(200);
      }
      // Every request the last kill cut off, retried with its key on the new server.
      for (const s of sent.filter((x) => x.reply === null)) {
        retried++;
        s.reply = await call(server.url, s.method, s.path, guard.token, s.body, s.key);
        expect(s.reply.status, `retry of ${s.method} ${s.path}: ${JSON.stringify(s.reply.json)}`).toBe(200);
      }

      const killAfter = 6 + Math.floor(random() * 20);
      let acked = 0;
      let killed = false;
      const send = async (method: string, path: string, body: unknown): Promise<Reply | null> => {
        const s: Sent = { key: `crash-${backend.name}-${++keyNo}`, method, path, body, reply: null };
        sent.push(s);
        try {
          s.reply = await call(server.url, method, path, guard.token, body, s.key);
        } catch (error) {
          if (killed) return null;
          throw error;
        }
        if (s.reply.status === 200) acked++;
        return s.reply;
      };
      const worker = async (): Promise<void> => {
        while (!killed && nextVehicle < demo.vehicles.length) {
          const vehicle = demo.vehicles[nextVehicle++]!;
          const checkIn = await send('POST', '/api/compounds/jinfang/check-ins', { plate: vehicle.plate });
          const task = (checkIn?.json as { task?: { id: string } | null } | null)?.task;
          if (checkIn?.status !== 200 || task === null || task === undefined) continue;
          await send('POST', `/api/tasks/${task.id}/complete`, {});
        }
      };
      const workers = Array.from({ length: WORKERS }, () => worker());
      while (acked < killAfter) await new Promise((r) => setTimeout(r, 2));
      killed = true;
      const exited = new Promise((r) => server.child.once('exit', (_code, signal) => r(signal)));
      server.child.kill('SIGKILL');
      await Promise.all(workers);
      expect(await exited).toBe('SIGKILL');
    }

    // The last start: retry what the last kill cut off, let the outbox drain, stop cleanly.
    const server = await startServer(env);
    const guard = await signIn(server.url, 'guard', 0);
    for (const s of sent.filter((x) => x.reply === null)) {
      retried++;
      s.reply = await call(server.url, s.method, s.path, guard.token, s.body, s.key);
      expect(s.reply.status, `retry of ${s.method} ${s.path}: ${JSON.stringify(s.reply.json)}`).toBe(200);
    }
    const store = await openStore(
      env.DATABASE_URL === undefined ? { dataDir: env.PARKBUTLER_DATA! } : { databaseUrl: env.DATABASE_URL },
    );
    try {
      for (let i = 0; i < 200; i++) {
        const pending = await store.db
          .selectFrom('notification_outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'pending')
          .executeTakeFirstOrThrow();
        if (Number(pending.n) === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const stopped = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      expect(await stopped).toBe(0);

      expect(retried, 'no request was cut off by a kill').toBeGreaterThan(0);
      // Every acknowledged mutation is in the ledger, once.
      const events = await store.events('jinfang');
      const bySeq = new Map(events.map((e) => [e.seq, e]));
      const acks = sent.filter((s) => s.reply?.status === 200);
      for (const s of acks) {
        const event = (s.reply!.json as { event: { seq: number; hash: string } }).event;
        expect(bySeq.get(event.seq)?.hash, `${s.method} ${s.path} (${s.key})`).toBe(event.hash);
      }
      // No key is left unfinished; each notification has one delivery, sent.
      const unfinished = await store.db
        .selectFrom('idempotency_keys')
        .select('key')
        .where('status_code', 'is', null)
        .execute();
      expect(unfinished).toEqual([]);
      const deliveries = await store.db
        .selectFrom('notification_outbox')
        .select(['notification_id', 'status'])
        .execute();
      expect(new Set(deliveries.map((d) => d.notification_id)).size).toBe(deliveries.length);
      // A row a killed server had claimed waits for its lease (60 s) and is then sent; none failed.
      expect(deliveries.filter((d) => d.status === 'failed')).toEqual([]);
      expect(await store.verify('jinfang')).toMatchObject({ ok: true });
      expect((await store.replay('jinfang')).equal).toBe(true);
    } finally {
      await store.close();
    }
    const verify = runCli(['ledger', 'verify'], env);
    expect(verify.status, verify.stderr).toBe(0);
    const replay = runCli(['ledger', 'replay'], env);
    expect(replay.status, replay.stderr).toBe(0);
  }, 300_000);
});
